import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FOLDER_MIME_TYPE, startDriveEmulator } from '../../../support/drive-emulator';
import { SCOPES } from '../../../support/oauth-server';
import { CLIENT_ID, errorReason, type Harness, json, patternBytes, startHarness } from './harness';

/** The files/about endpoints over raw HTTP: shapes, errors, scopes, ordering and paging. */

let harness: Harness;

beforeEach(async () => {
  harness = await startHarness();
});

afterEach(async () => {
  await harness.close();
});

const state = () => harness.running.emulator.state;

// Response bodies are checked field by field against Drive's documented shapes.
// biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
async function getJson(path: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const response = await harness.api(path, init);
  return { status: response.status, body: await response.json() };
}

describe('authentication', () => {
  it('answers a request without credentials with 401 required and WWW-Authenticate', async () => {
    const response = await harness.api('drive/v3/files', { headers: { authorization: '' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="https://accounts.google.com/"');
    expect(await response.json()).toMatchObject({
      error: {
        code: 401,
        status: 'UNAUTHENTICATED',
        errors: [{ reason: 'required', location: 'Authorization' }],
      },
    });
  });

  it.each([
    ['unknown', () => 'ya29.not-a-token'],
    [
      'expired',
      () => {
        harness.tokens.expire(harness.token);
        return harness.token;
      },
    ],
    [
      'revoked',
      () => {
        harness.tokens.revoke(harness.token);
        return harness.token;
      },
    ],
  ])('answers an %s token with 401 authError', async (_label, tokenOf) => {
    const response = await harness.api('drive/v3/files', {
      headers: { authorization: `Bearer ${tokenOf()}` },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(await response.json()).toMatchObject({
      error: {
        code: 401,
        message: expect.stringContaining('invalid authentication credentials'),
        status: 'UNAUTHENTICATED',
        errors: [{ domain: 'global', reason: 'authError', message: 'Invalid Credentials' }],
      },
    });
  });

  it('answers a token without any Drive scope with 403 insufficientPermissions', async () => {
    const token = harness.tokens.issue({ clientId: CLIENT_ID, scopes: [SCOPES.email] }).token;
    const response = await harness.api('drive/v3/files', { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(403);
    expect(await errorReason(response)).toBe('insufficientPermissions');
  });
});

describe('scopes decide what a token sees', () => {
  it('drive.file sees only its own app’s files; the full drive scope sees all', async () => {
    const mine = state().seedFile({ name: 'mine' });
    const theirs = state().seedFile({ name: 'made in the UI', appId: null });
    const names = async (authorization?: string) => {
      const init = authorization ? { headers: { authorization } } : undefined;
      const { body } = await getJson('drive/v3/files?fields=files(name)', init);
      return body.files.map((file: { name: string }) => file.name).sort();
    };
    expect(await names()).toEqual(['mine']);
    expect((await harness.api(`drive/v3/files/${theirs.id}`)).status).toBe(404);
    const full = harness.tokens.issue({ clientId: CLIENT_ID, scopes: [SCOPES.drive] }).token;
    expect(await names(`Bearer ${full}`)).toEqual(['made in the UI', 'mine']);
    const readonly = harness.tokens.issue({ clientId: 'viewer', scopes: [SCOPES.driveReadonly] }).token;
    const patch = await harness.api(`drive/v3/files/${mine.id}`, {
      method: 'PATCH',
      ...json({ name: 'renamed' }),
      headers: { authorization: `Bearer ${readonly}`, 'content-type': 'application/json' },
    });
    expect(patch.status).toBe(403);
    expect(await errorReason(patch)).toBe('insufficientPermissions');
  });

  it('keeps appDataFolder files apart and demands the drive.appdata scope for them', async () => {
    const created = await getJson('drive/v3/files?fields=id,parents,spaces', {
      method: 'POST',
      ...json({ name: 'config.json', parents: ['appDataFolder'] }),
    });
    expect(created.status).toBe(200);
    expect(created.body.spaces).toEqual(['appDataFolder']);
    const inDrive = await getJson('drive/v3/files?fields=files(name)');
    expect(inDrive.body.files).toEqual([]);
    const inAppData = await getJson(
      `drive/v3/files?spaces=appDataFolder&fields=files(name)&q=${encodeURIComponent("'appDataFolder' in parents")}`,
    );
    expect(inAppData.body.files).toEqual([{ name: 'config.json' }]);
    const fileOnly = harness.tokens.issue({ clientId: CLIENT_ID, scopes: [SCOPES.driveFile] }).token;
    const refused = await harness.api('drive/v3/files?spaces=appDataFolder', {
      headers: { authorization: `Bearer ${fileOnly}` },
    });
    expect(refused.status).toBe(403);
    expect(await errorReason(refused)).toBe('insufficientScopes');
  });
});

describe('files.create, files.get and files.update', () => {
  it('creates files with Drive-shaped ids and resources; duplicate names are allowed', async () => {
    const first = await getJson('drive/v3/files?fields=*', { method: 'POST', ...json({ name: 'same' }) });
    const second = await getJson('drive/v3/files', { method: 'POST', ...json({ name: 'same' }) });
    expect(first.body.id).toMatch(/^[A-Za-z0-9_-]{33}$/);
    expect(second.body).toEqual({
      kind: 'drive#file',
      id: expect.any(String),
      name: 'same',
      mimeType: 'application/octet-stream',
    });
    expect(first.body.id).not.toBe(second.body.id);
    expect(first.body).toMatchObject({
      kind: 'drive#file',
      size: '0',
      md5Checksum: 'd41d8cd98f00b204e9800998ecf8427e',
      version: expect.stringMatching(/^\d+$/),
      createdTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      trashed: false,
      ownedByMe: true,
    });
  });

  it('gives folders no size or checksums', async () => {
    const folder = await getJson('drive/v3/files?fields=*', {
      method: 'POST',
      ...json({ name: 'f', mimeType: FOLDER_MIME_TYPE }),
    });
    expect(folder.body.mimeType).toBe(FOLDER_MIME_TYPE);
    expect(folder.body).not.toHaveProperty('size');
    expect(folder.body).not.toHaveProperty('md5Checksum');
  });

  it('answers an unknown id with Google’s notFound body', async () => {
    const response = await getJson('drive/v3/files/1doesNotExist');
    expect(response).toEqual({
      status: 404,
      body: {
        error: {
          code: 404,
          message: 'File not found: 1doesNotExist.',
          errors: [
            {
              message: 'File not found: 1doesNotExist.',
              domain: 'global',
              reason: 'notFound',
              location: 'fileId',
              locationType: 'parameter',
            },
          ],
        },
      },
    });
  });

  it('renames, merges appProperties (null deletes), trashes and moves with addParents/removeParents', async () => {
    const from = state().seedFolder({ name: 'from' });
    const to = state().seedFolder({ name: 'to' });
    const file = state().seedFile({ name: 'a', parent: from.id, appProperties: { keep: '1', drop: '2' } });
    const updated = await getJson(
      `drive/v3/files/${file.id}?addParents=${to.id}&removeParents=${from.id}&fields=name,parents,appProperties,trashed,version`,
      { method: 'PATCH', ...json({ name: 'b', appProperties: { drop: null, add: '3' }, trashed: true }) },
    );
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual({
      name: 'b',
      parents: [to.id],
      appProperties: { keep: '1', add: '3' },
      trashed: true,
      version: '2',
    });
  });

  it('refuses read-only fields with 403 fieldNotWritable, and a second parent with cannotAddParent', async () => {
    const file = state().seedFile({ name: 'a' });
    for (const body of [{ size: '3' }, { parents: ['x'] }, { md5Checksum: 'x' }]) {
      const response = await harness.api(`drive/v3/files/${file.id}`, { method: 'PATCH', ...json(body) });
      expect(response.status).toBe(403);
      expect(await errorReason(response)).toBe('fieldNotWritable');
    }
    const folder = state().seedFolder({ name: 'f' });
    const second = await harness.api(`drive/v3/files/${file.id}?addParents=${folder.id}`, {
      method: 'PATCH',
      ...json({}),
    });
    expect(second.status).toBe(403);
    expect(await errorReason(second)).toBe('cannotAddParent');
    const twoOnCreate = await harness.api('drive/v3/files', {
      method: 'POST',
      ...json({ name: 'x', parents: [folder.id, 'root'] }),
    });
    expect(twoOnCreate.status).toBe(403);
  });

  it('rejects malformed JSON with 400 parseError and oversized appProperties with 400', async () => {
    const broken = await harness.api('drive/v3/files', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(broken.status).toBe(400);
    expect(await errorReason(broken)).toBe('parseError');
    const huge = await harness.api('drive/v3/files', {
      method: 'POST',
      ...json({ name: 'x', appProperties: { key: 'v'.repeat(200) } }),
    });
    expect(huge.status).toBe(400);
  });

  it('creates via uploadType=media (named Untitled) and multipart, and rejects a bad multipart body', async () => {
    const media = await getJson('upload/drive/v3/files?uploadType=media&fields=name,mimeType,size', {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg' },
      body: patternBytes(123),
    });
    expect(media.body).toEqual({ name: 'Untitled', mimeType: 'image/jpeg', size: '123' });
    const boundary = 'b0undary';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n{"name":"m.txt"}\r\n`,
      ),
      Buffer.from(`--${boundary}\r\nContent-Type: text/plain\r\n\r\nhello\r\n--${boundary}--`),
    ]);
    const multipart = await getJson('upload/drive/v3/files?uploadType=multipart&fields=name,mimeType,size', {
      method: 'POST',
      headers: { 'content-type': `multipart/related; boundary=${boundary}` },
      body,
    });
    expect(multipart.body).toEqual({ name: 'm.txt', mimeType: 'text/plain', size: '5' });
    const bad = await harness.api('upload/drive/v3/files?uploadType=multipart', {
      method: 'POST',
      headers: { 'content-type': `multipart/related; boundary=${boundary}` },
      body: 'no parts here',
    });
    expect(bad.status).toBe(400);
    expect(await errorReason(bad)).toBe('badContent');
  });

  it('replaces content with PATCH /upload/…?uploadType=media and bumps the checksums', async () => {
    const file = state().seedFile({ name: 'index', content: 'v1' });
    const before = file.content?.sha256;
    const updated = await getJson(
      `upload/drive/v3/files/${file.id}?uploadType=media&fields=size,sha256Checksum`,
      {
        method: 'PATCH',
        body: 'version 2',
      },
    );
    expect(updated.body.size).toBe('9');
    expect(updated.body.sha256Checksum).not.toBe(before);
    expect(state().readContent(file.id).toString()).toBe('version 2');
  });
});

describe('downloads', () => {
  it('serves suffix and open-ended ranges, and 416 past the end', async () => {
    const file = state().seedFile({ name: 'r', content: '0123456789' });
    const suffix = await harness.api(`drive/v3/files/${file.id}?alt=media`, {
      headers: { range: 'bytes=-3' },
    });
    expect(suffix.status).toBe(206);
    expect(suffix.headers.get('content-range')).toBe('bytes 7-9/10');
    expect(await suffix.text()).toBe('789');
    const open = await harness.api(`drive/v3/files/${file.id}?alt=media`, { headers: { range: 'bytes=4-' } });
    expect(await open.text()).toBe('456789');
    const clamped = await harness.api(`drive/v3/files/${file.id}?alt=media`, {
      headers: { range: 'bytes=8-100' },
    });
    expect(clamped.headers.get('content-range')).toBe('bytes 8-9/10');
    const beyond = await harness.api(`drive/v3/files/${file.id}?alt=media`, {
      headers: { range: 'bytes=10-20' },
    });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe('bytes */10');
  });

  it('refuses to download a folder with 403 fileNotDownloadable', async () => {
    const folder = state().seedFolder({ name: 'f' });
    const response = await harness.api(`drive/v3/files/${folder.id}?alt=media`);
    expect(response.status).toBe(403);
    expect(await errorReason(response)).toBe('fileNotDownloadable');
  });
});

describe('files.delete', () => {
  it('answers 204 with no body and deletes a folder with everything in it', async () => {
    const folder = state().seedFolder({ name: 'f' });
    const inner = state().seedFolder({ name: 'g', parent: folder.id });
    const file = state().seedFile({ name: 'x', parent: inner.id, content: 'abc' });
    const response = await harness.api(`drive/v3/files/${folder.id}`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect((await harness.api(`drive/v3/files/${file.id}`)).status).toBe(404);
    expect(state().files()).toEqual([]);
    expect(state().usage().usage).toBe(0);
  });
});

describe('files.list ordering and paging', () => {
  let now = 0;

  async function withClock() {
    await harness.close();
    now = Date.parse('2026-05-01T00:00:00Z');
    harness = await startHarness({ clock: () => now });
  }

  async function names(query: string): Promise<string[]> {
    const { status, body } = await getJson(`drive/v3/files?fields=files(name)&${query}`);
    expect(status).toBe(200);
    return body.files.map((file: { name: string }) => file.name);
  }

  it('orders by name (alphabetical), name_natural, createdTime and modifiedTime desc', async () => {
    await withClock();
    for (const name of ['b2', 'a10', 'a2', 'B1']) {
      now += 1000;
      state().seedFile({ name });
    }
    expect(await names('orderBy=name')).toEqual(['a10', 'a2', 'B1', 'b2']);
    expect(await names('orderBy=name_natural')).toEqual(['a2', 'a10', 'B1', 'b2']);
    expect(await names('orderBy=createdTime')).toEqual(['b2', 'a10', 'a2', 'B1']);
    expect(await names('orderBy=modifiedTime%20desc')).toEqual(['B1', 'a2', 'a10', 'b2']);
    expect(await names('orderBy=folder,name%20desc')).toEqual(['b2', 'B1', 'a2', 'a10']);
  });

  it('rejects a bad orderBy, pageSize 0 and a foreign pageToken; coerces pageSize above 1000', async () => {
    for (const query of [
      'orderBy=size',
      'orderBy=name%20up',
      'pageSize=0',
      'pageSize=abc',
      'pageToken=garbage',
    ]) {
      const response = await harness.api(`drive/v3/files?${query}`);
      expect(response.status, query).toBe(400);
      expect(await errorReason(response)).toBe('invalid');
    }
    for (let index = 0; index < 1001; index += 1) state().seedFile({ name: `f${index}` });
    const first = await getJson('drive/v3/files?pageSize=5000&fields=nextPageToken,files(id)');
    expect(first.body.files).toHaveLength(1000);
    const foreign = await harness.api(`drive/v3/files?orderBy=name&pageToken=${first.body.nextPageToken}`);
    expect(foreign.status).toBe(400);
  });

  it('never skips or repeats unchanged files when others are deleted between pages', async () => {
    const all = Array.from({ length: 30 }, (_, index) =>
      state().seedFile({ name: `n${String(index).padStart(2, '0')}` }),
    );
    const seen: string[] = [];
    let pageToken = '';
    let round = 0;
    do {
      const { body } = await getJson(
        `drive/v3/files?orderBy=name&pageSize=7&fields=nextPageToken,files(name)${pageToken ? `&pageToken=${pageToken}` : ''}`,
      );
      seen.push(...body.files.map((file: { name: string }) => file.name));
      pageToken = body.nextPageToken ?? '';
      // Delete a file already listed and one not listed yet.
      if (round === 0) {
        state().deleteTree((all[1] as { id: string }).id);
        state().deleteTree((all[20] as { id: string }).id);
      }
      round += 1;
    } while (pageToken);
    const expected = all.map((file) => file.name).filter((name) => name !== 'n20');
    expect(seen).toEqual(expected);
  });

  it('returns kind, incompleteSearch and files(kind,id,name,mimeType) by default', async () => {
    state().seedFile({ name: 'x' });
    const { body } = await getJson('drive/v3/files');
    expect(body).toEqual({
      kind: 'drive#fileList',
      incompleteSearch: false,
      files: [
        { kind: 'drive#file', id: expect.any(String), name: 'x', mimeType: 'application/octet-stream' },
      ],
    });
  });
});

describe('about, CORS, routing', () => {
  it('demands fields on about.get and reports the user and quota', async () => {
    const missing = await harness.api('drive/v3/about');
    expect(missing.status).toBe(400);
    expect(await errorReason(missing)).toBe('required');
    state().seedFile({ name: 'x', content: patternBytes(10) });
    state().seedFile({ name: 'y', content: patternBytes(5), trashed: true });
    const { body } = await getJson('drive/v3/about?fields=storageQuota,user(emailAddress,displayName)');
    expect(body).toEqual({
      storageQuota: {
        limit: String(15 * 1024 ** 3),
        usage: '15',
        usageInDrive: '15',
        usageInDriveTrash: '5',
      },
      user: { displayName: 'ChatVault Tester', emailAddress: 'chatvault.tester@gmail.com' },
    });
  });

  it('answers CORS preflights and exposes the upload headers', async () => {
    const preflight = await fetch(new URL('upload/drive/v3/files', harness.running.url), {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, x-upload-content-type',
      },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(preflight.headers.get('access-control-allow-headers')).toBe(
      'authorization, x-upload-content-type',
    );
    const start = await harness.api('upload/drive/v3/files?uploadType=resumable', {
      method: 'POST',
      headers: { origin: 'https://app.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(start.headers.get('access-control-expose-headers')).toContain('location');
  });

  it('answers unknown paths with an HTML 404, and hands non-Drive paths to the fallback', async () => {
    const unknown = await harness.api('drive/v2/files');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/text\/html/);
    const withFallback = await startDriveEmulator({
      fallback: (_request, response) => void response.writeHead(418).end('tokeninfo here'),
    });
    try {
      const response = await fetch(new URL('oauth2/v3/tokeninfo', withFallback.url));
      expect(response.status).toBe(418);
      expect(withFallback.emulator.ownsRequest({ url: '/upload/drive/v3/files' } as never)).toBe(true);
      expect(withFallback.emulator.ownsRequest({ url: '/oauth2/v3/tokeninfo' } as never)).toBe(false);
    } finally {
      await withFallback.close();
    }
  });

  it('rejects bad options with a typed error', async () => {
    await expect(startDriveEmulator({ uploadSessionLifetimeMs: -1 })).rejects.toMatchObject({
      name: 'DriveEmulatorError',
      code: 'invalid-argument',
    });
    expect(() => {
      state().quotaBytes = -5;
    }).toThrow(/quotaBytes/);
  });
});
