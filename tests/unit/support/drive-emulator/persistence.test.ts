import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHUNK_GRANULARITY, createDriveEmulator } from '../../../support/drive-emulator';
import { createTokenRegistry, type TokenRegistry } from '../../../support/oauth-server';
import { type Harness, json, patternBytes, sha256, startHarness } from './harness';

/** A Drive kept in a directory survives an emulator restart: files, bytes, quota and open sessions. */

let directory: string;
let tokens: TokenRegistry;
let harness: Harness | undefined;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'drive-emulator-'));
  tokens = createTokenRegistry();
});

afterEach(async () => {
  await harness?.close();
  harness = undefined;
  rmSync(directory, { recursive: true, force: true });
});

describe('persistence', () => {
  it('keeps files, content, quota and an unfinished resumable session across a restart', async () => {
    harness = await startHarness({ tokens, directory, quotaBytes: 10_000_000 });
    const folder = await (
      await harness.api('drive/v3/files', {
        method: 'POST',
        ...json({ name: 'repo', mimeType: 'application/vnd.google-apps.folder' }),
      })
    ).json();
    const small = patternBytes(777, 2);
    const uploaded = await (
      await harness.api('upload/drive/v3/files?uploadType=media&fields=id', { method: 'POST', body: small })
    ).json();
    const big = patternBytes(2 * CHUNK_GRANULARITY + 10, 8);
    const start = await harness.api('upload/drive/v3/files?uploadType=resumable&fields=id,sha256Checksum', {
      method: 'POST',
      ...json({ name: 'big.bin', parents: [folder.id] }),
    });
    const location = start.headers.get('location') as string;
    const first = await fetch(location, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${harness.token}`,
        'content-range': `bytes 0-${CHUNK_GRANULARITY - 1}/${big.length}`,
      },
      body: big.slice(0, CHUNK_GRANULARITY),
    });
    expect(first.status).toBe(308);
    const token = harness.token;
    await harness.close();

    harness = await startHarness({ tokens, directory });
    expect(harness.running.emulator.state.quotaBytes).toBe(10_000_000);
    const listed = await (await harness.api('drive/v3/files?orderBy=name&fields=files(id,name,size)')).json();
    expect(listed.files).toEqual([
      { id: folder.id, name: 'repo' },
      { id: uploaded.id, name: 'Untitled', size: '777' },
    ]);
    const content = new Uint8Array(
      await (await harness.api(`drive/v3/files/${uploaded.id}?alt=media`)).arrayBuffer(),
    );
    expect(content).toEqual(small);

    // The session URI from before the restart still works, on the new port.
    const moved = new URL(location);
    moved.port = new URL(harness.running.url).port;
    const status = await fetch(moved, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-range': `bytes */${big.length}` },
    });
    expect(status.headers.get('range')).toBe(`bytes=0-${CHUNK_GRANULARITY - 1}`);
    const last = await fetch(moved, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${token}`,
        'content-range': `bytes ${CHUNK_GRANULARITY}-${big.length - 1}/${big.length}`,
      },
      body: big.slice(CHUNK_GRANULARITY),
    });
    expect(await last.json()).toEqual({ id: expect.any(String), sha256Checksum: sha256(big) });
  });

  it('stores metadata as one JSON file and each file’s bytes as one content file', () => {
    const emulator = createDriveEmulator({ directory });
    emulator.state.seedFile({ name: 'a', content: 'x' });
    emulator.state.seedFile({ name: 'b', content: 'y' });
    emulator.dispose();
    expect(readdirSync(directory).sort()).toEqual(['content', 'drive-state.json']);
    expect(readdirSync(join(directory, 'content'))).toHaveLength(2);
  });

  it('reset() empties a persisted Drive for good', () => {
    const emulator = createDriveEmulator({ directory });
    emulator.state.seedFile({ name: 'a', content: 'x' });
    emulator.reset();
    expect(createDriveEmulator({ directory }).state.files()).toEqual([]);
    expect(readdirSync(join(directory, 'content'))).toEqual([]);
  });

  it('refuses a corrupt state file with a typed error instead of starting empty', () => {
    writeFileSync(join(directory, 'drive-state.json'), '{ not json');
    expect(() => createDriveEmulator({ directory })).toThrow(
      expect.objectContaining({ name: 'DriveEmulatorError', code: 'corrupt-state' }),
    );
  });

  it('keeps everything in memory when no directory is given', () => {
    const first = createDriveEmulator();
    first.state.seedFile({ name: 'a' });
    expect(createDriveEmulator().state.files()).toEqual([]);
  });
});
