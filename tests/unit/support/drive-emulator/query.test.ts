import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FileRecord, FOLDER_MIME_TYPE } from '../../../support/drive-emulator';
import { DriveApiError } from '../../../support/drive-emulator/google-errors';
import { matchesQuery, type QueryContext } from '../../../support/drive-emulator/query/evaluate';
import { parseQuery } from '../../../support/drive-emulator/query/parser';
import { CLIENT_ID, type Harness, startHarness } from './harness';

/** Drive's `q` language: the grammar subset, its error answers and its matching rules. */

function record(overrides: Partial<FileRecord> = {}): FileRecord {
  return {
    id: '1abc',
    seq: 1,
    name: 'file.bin',
    mimeType: 'application/octet-stream',
    parents: ['ROOT'],
    space: 'drive',
    appId: CLIENT_ID,
    starred: false,
    trashed: false,
    explicitlyTrashed: false,
    appProperties: {},
    properties: {},
    createdTime: Date.parse('2026-03-01T10:00:00Z'),
    modifiedTime: Date.parse('2026-03-02T10:00:00Z'),
    version: 1,
    ...overrides,
  };
}

const context: QueryContext = {
  resolveId: (id) => (id === 'root' ? 'ROOT' : id),
  clientId: CLIENT_ID,
  accountEmail: 'me@example.com',
};

function matches(q: string, overrides: Partial<FileRecord> = {}): boolean {
  return matchesQuery(parseQuery(q), record(overrides), context);
}

/** Escapes a value the way Drive's documentation says: \' and \\. */
function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

describe('q parser', () => {
  it.each([
    "name = 'a'",
    "name != 'a' and trashed = false",
    "name contains 'Valentine\\'s Day'",
    "mimeType = 'application/vnd.google-apps.folder' or mimeType != 'text/plain'",
    "not name contains 'tmp'",
    "('root' in parents or 'abc' in parents) and not (starred = true)",
    "appProperties has { key='kind' and value='pack' }",
    "properties has {key = 'a' and value = 'b'}",
    "modifiedTime > '2012-06-04T12:00:00' and createdTime <= '2012-06-04T12:00:00-08:00'",
    "'me' in owners and 'me@example.com' in writers",
    'fullText contains \'"hello world"\'',
    "visibility = 'limited' and sharedWithMe = false",
  ])('accepts %s', (q) => {
    expect(() => parseQuery(q)).not.toThrow();
  });

  it.each([
    ['empty', ''],
    ['double quotes', 'name = "a"'],
    ['missing value', 'name contains'],
    ['unknown field', "title = 'a'"],
    ['quoted boolean', "trashed = 'false'"],
    ['ordering on a name', "name > 'a'"],
    ['contains on a flag', 'trashed contains true'],
    ['unknown collection', "'x' in owner"],
    ['half a has', "appProperties has { key='a' }"],
    ['unterminated string', "name = 'abc"],
    ['unknown escape', "name = 'a\\nb'"],
    ['upper-case keyword', "name = 'a' AND trashed = false"],
    ['trailing tokens', "name = 'a' 'b'"],
    ['unbalanced parenthesis', "(name = 'a'"],
    ['bad date', "modifiedTime > 'yesterday'"],
    ['lone bang', "name ! 'a'"],
  ])('rejects %s with Drive’s 400 invalid on q', (_label, q) => {
    let caught: unknown;
    try {
      parseQuery(q);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DriveApiError);
    const body = (caught as DriveApiError).toBody();
    expect(body.error.code).toBe(400);
    expect(body.error.errors[0]).toEqual({
      message: 'Invalid Value',
      domain: 'global',
      reason: 'invalid',
      location: 'q',
      locationType: 'parameter',
    });
  });

  it('binds not tighter than and, and and tighter than or', () => {
    // a or (b and c): true because a holds even though c does not.
    expect(matches("name = 'file.bin' or name = 'zzz' and trashed = true")).toBe(true);
    expect(matches("(name = 'file.bin' or name = 'zzz') and trashed = true")).toBe(false);
    expect(matches("not name = 'zzz' and trashed = false")).toBe(true);
  });

  it('round-trips any name through quoting: exact match, and nothing else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (name) => {
        expect(matches(`name = ${quote(name)}`, { name })).toBe(true);
        expect(matches(`name = ${quote(name)}`, { name: `${name}x` })).toBe(false);
        expect(matches(`name != ${quote(name)}`, { name })).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('q matching follows Drive’s rules', () => {
  it('name contains is a case-insensitive prefix match on alphanumeric tokens, not a substring test', () => {
    expect(matches("name contains 'Hello'", { name: 'HelloWorld' })).toBe(true);
    expect(matches("name contains 'World'", { name: 'HelloWorld' })).toBe(false);
    expect(matches("name contains 'world'", { name: 'hello_World.txt' })).toBe(true);
    expect(matches("name contains 'HEL wor'", { name: 'hello world' })).toBe(true);
    expect(matches("name contains 'ell'", { name: 'hello' })).toBe(false);
  });

  it('fullText matches whole tokens, and a double-quoted phrase as consecutive tokens', () => {
    expect(matches("fullText contains 'there'", { name: 'Hello there world' })).toBe(true);
    expect(matches("fullText contains 'ther'", { name: 'Hello there world' })).toBe(false);
    expect(matches('fullText contains \'"hello there"\'', { name: 'Hello there world' })).toBe(true);
    expect(matches('fullText contains \'"hello world"\'', { name: 'Hello there world' })).toBe(false);
  });

  it('resolves the root alias in parents', () => {
    expect(matches("'root' in parents")).toBe(true);
    expect(matches("'other' in parents")).toBe(false);
  });

  it('sees only the calling app’s appProperties', () => {
    const appProperties = { [CLIENT_ID]: { kind: 'pack' }, 'other-app': { kind: 'index' } };
    expect(matches("appProperties has { key='kind' and value='pack' }", { appProperties })).toBe(true);
    expect(matches("appProperties has { key='kind' and value='index' }", { appProperties })).toBe(false);
  });

  it('compares times, reading a missing offset as UTC', () => {
    expect(matches("modifiedTime > '2026-03-02T09:59:59'")).toBe(true);
    expect(matches("modifiedTime > '2026-03-02T10:00:00'")).toBe(false);
    expect(matches("modifiedTime = '2026-03-02T11:00:00+01:00'")).toBe(true);
    expect(matches("createdTime < '2026-03-02'")).toBe(true);
  });

  it('tests mimeType and flags', () => {
    expect(matches(`mimeType = '${FOLDER_MIME_TYPE}'`, { mimeType: FOLDER_MIME_TYPE })).toBe(true);
    expect(matches("mimeType contains 'octet'")).toBe(true);
    expect(matches('trashed = true', { trashed: true })).toBe(true);
    expect(matches('trashed != true', { trashed: true })).toBe(false);
  });
});

describe('q over HTTP', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await startHarness();
  });

  afterEach(async () => {
    await harness.close();
  });

  it('answers an invalid query with 400 invalid on q', async () => {
    const response = await harness.api(`drive/v3/files?q=${encodeURIComponent('name contains foo')}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 400,
        message: 'Invalid Value',
        errors: [
          {
            message: 'Invalid Value',
            domain: 'global',
            reason: 'invalid',
            location: 'q',
            locationType: 'parameter',
          },
        ],
      },
    });
  });

  it('filters by parents, trash state, name and appProperties together', async () => {
    const state = harness.running.emulator.state;
    const folder = state.seedFolder({ name: 'repo' });
    state.seedFile({ name: 'pack-1', parent: folder.id, appProperties: { kind: 'pack' } });
    state.seedFile({ name: 'pack-2', parent: folder.id, appProperties: { kind: 'pack' }, trashed: true });
    state.seedFile({ name: 'index-1', parent: folder.id, appProperties: { kind: 'index' } });
    state.seedFile({ name: 'pack-3', appProperties: { kind: 'pack' } });
    const q = `'${folder.id}' in parents and trashed = false and appProperties has { key='kind' and value='pack' }`;
    const response = await harness.api(`drive/v3/files?fields=files(name)&q=${encodeURIComponent(q)}`);
    expect(await response.json()).toEqual({ files: [{ name: 'pack-1' }] });
  });
});
