import { afterEach, describe, expect, it } from 'vitest';
import { ROOT_MARKER_KEY } from '@/utils/storage/drive/folder-tree';
import { type FileRecord, FOLDER_MIME_TYPE } from '../../support/drive-emulator';
import { type DriveFixture, startDriveFixture } from './drive-fixture';
import { expectSameBytes, listAll, listNames, patternBytes, rejectionOf } from './helpers';

/** How objects are laid out in Drive, and how duplicates and foreign files are read past. */

let fixture: DriveFixture;
let clock = Date.parse('2025-03-01T10:00:00Z');

async function start(): Promise<DriveFixture> {
  fixture = await startDriveFixture({ emulator: { clock: () => clock } });
  return fixture;
}

afterEach(async () => {
  await fixture?.close();
});

const files = () => fixture.running.emulator.state.files();
const counters = () => fixture.running.emulator.counters;

function folderNamed(name: string, parent?: string): FileRecord {
  const found = files().filter(
    (record) =>
      record.name === name &&
      record.mimeType === FOLDER_MIME_TYPE &&
      (parent === undefined || record.parents.includes(parent)),
  );
  expect(found).toHaveLength(1);
  return found[0] as FileRecord;
}

/** A file "uploaded earlier" straight into the emulated Drive, `minutesAgo` before the clock. */
function seedObject(parent: string, name: string, content: Uint8Array, minutesAgo: number): FileRecord {
  const saved = clock;
  clock -= minutesAgo * 60_000;
  try {
    return fixture.running.emulator.state.seedFile({ name, parent, content });
  } finally {
    clock = saved;
  }
}

describe('layout in Drive', () => {
  it('keeps data/ab as the file ab in the folder data of a visible "ChatVault Backups" in My Drive', async () => {
    await start();
    const bytes = patternBytes(1000, 1);
    await fixture.storage.put('data/ab', bytes);
    const state = fixture.running.emulator.state;
    const root = folderNamed('ChatVault Backups');
    expect(root.parents).toEqual([state.rootId]);
    expect(root.space).toBe('drive');
    const data = folderNamed('data', root.id);
    const [file] = state.children(data.id);
    expect(file).toMatchObject({ name: 'ab', mimeType: 'application/octet-stream' });
    expectSameBytes(state.readContent((file as FileRecord).id), bytes);
  });

  it('finds the folder again by its private marker, even after the user renamed it', async () => {
    await start();
    await fixture.storage.put('config', new Uint8Array([1, 2, 3]));
    const root = folderNamed('ChatVault Backups');
    expect(Object.values(root.appProperties)[0]).toEqual({ [ROOT_MARKER_KEY]: 'ChatVault Backups' });
    root.name = 'My old backups';
    const later = fixture.another();
    expectSameBytes(await later.get('config'), new Uint8Array([1, 2, 3]));
    expect(files().filter((record) => record.mimeType === FOLDER_MIME_TYPE)).toHaveLength(1);
  });

  it('creates each folder once when many puts start together, and looks each up once', async () => {
    await start();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => fixture.storage.put(`snapshots/s${i}`, patternBytes(10, i + 1))),
    );
    expect(
      files()
        .filter((record) => record.mimeType === FOLDER_MIME_TYPE)
        .map((f) => f.name)
        .sort(),
    ).toEqual(['ChatVault Backups', 'snapshots']);
    // One creation per folder (the rest of files.create is nothing): shared lookups, no twins.
    expect(counters().requests['files.create']).toBe(2);
    expect(await listNames(fixture.storage, 'snapshots/')).toHaveLength(12);
  });

  it('uses the oldest of twin backup folders made by two devices at once', async () => {
    await start();
    const state = fixture.running.emulator.state;
    const marker = { [ROOT_MARKER_KEY]: 'ChatVault Backups' };
    clock -= 60_000;
    const older = state.seedFile({
      name: 'ChatVault Backups',
      mimeType: FOLDER_MIME_TYPE,
      appProperties: marker,
    });
    clock += 60_000;
    const younger = state.seedFile({
      name: 'ChatVault Backups',
      mimeType: FOLDER_MIME_TYPE,
      appProperties: marker,
    });
    seedObject(older.id, 'config', new Uint8Array([1]), 1);
    seedObject(younger.id, 'config', new Uint8Array([2]), 0);
    expectSameBytes(await fixture.storage.get('config'), new Uint8Array([1]));
    await fixture.storage.put('keys/k', new Uint8Array([3]));
    expect(
      state
        .children(older.id)
        .map((record) => record.name)
        .sort(),
    ).toEqual(['config', 'keys']);
  });

  it('lets a second instance read what the first wrote (nothing is only in memory)', async () => {
    await start();
    await fixture.storage.put('index/one', patternBytes(70_000, 3));
    expectSameBytes(await fixture.another().get('index/one'), patternBytes(70_000, 3));
  });
});

describe('duplicate names', () => {
  async function twins(): Promise<{ folderId: string; older: Uint8Array; newer: Uint8Array }> {
    await start();
    await fixture.storage.put('keys/placeholder', new Uint8Array(1));
    const keys = folderNamed('keys');
    const older = patternBytes(300, 1);
    const newer = patternBytes(200, 2);
    seedObject(keys.id, 'k', older, 10);
    seedObject(keys.id, 'k', newer, 5);
    return { folderId: keys.id, older, newer };
  }

  it('reads the newest file of a name and ignores the others', async () => {
    const { newer } = await twins();
    const storage = fixture.another();
    expectSameBytes(await storage.get('keys/k'), newer);
    expectSameBytes(await storage.get('keys/k', { offset: 10, length: 5 }), newer.subarray(10, 15));
    expect(await storage.stat('keys/k')).toEqual({ name: 'keys/k', size: 200 });
  });

  it('lists a duplicated name once, with the size of the newest', async () => {
    await twins();
    const listed = await listAll(fixture.another(), 'keys/');
    expect(listed.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'keys/k', size: 200 },
      { name: 'keys/placeholder', size: 1 },
    ]);
  });

  it('removes the older files of a name when it is written again', async () => {
    const { folderId } = await twins();
    const replacement = patternBytes(50, 3);
    await fixture.storage.put('keys/k', replacement);
    const left = fixture.running.emulator.state.children(folderId).filter((record) => record.name === 'k');
    expect(left).toHaveLength(1);
    expectSameBytes(fixture.running.emulator.state.readContent((left[0] as FileRecord).id), replacement);
  });

  it('deletes every file of a name', async () => {
    const { folderId } = await twins();
    await fixture.storage.delete('keys/k');
    expect(fixture.running.emulator.state.children(folderId).map((record) => record.name)).toEqual([
      'placeholder',
    ]);
  });

  it('reads the new version when another device replaced an object this instance had listed', async () => {
    await start();
    const reader = fixture.storage;
    await reader.put('config', patternBytes(100, 1));
    await listAll(reader, '');
    const writer = fixture.another();
    clock += 60_000;
    await writer.put('config', patternBytes(40, 2));
    expectSameBytes(await reader.get('config'), patternBytes(40, 2));
  });
});

describe('what is not an object', () => {
  it('skips files whose names are not object names, and files in the trash', async () => {
    await start();
    await fixture.storage.put('data/real', new Uint8Array(3));
    const data = folderNamed('data');
    const state = fixture.running.emulator.state;
    state.seedFile({ name: 'Copy of real', parent: data.id, content: 'x' });
    state.seedFile({ name: 'binned', parent: data.id, content: 'x', trashed: true });
    expect(await listNames(fixture.storage, '')).toEqual(['data/real']);
    expect(await fixture.storage.stat('data/binned')).toBeUndefined();
  });

  it('does not see files the user put there with another app (drive.file shows only ours)', async () => {
    await start();
    await fixture.storage.put('data/real', new Uint8Array(3));
    const data = folderNamed('data');
    fixture.running.emulator.state.seedFile({ name: 'foreign', parent: data.id, content: 'x', appId: null });
    expect(await listNames(fixture.storage, 'data/')).toEqual(['data/real']);
  });

  it('treats an empty Drive as an empty repository without creating anything', async () => {
    await start();
    expect(await listNames(fixture.storage, '')).toEqual([]);
    expect(await fixture.storage.stat('config')).toBeUndefined();
    await fixture.storage.delete('config');
    expect(files()).toEqual([]);
  });
});

describe('requests', () => {
  it('lists a folder of more than one page (Drive pages at 1000)', async () => {
    await start();
    await fixture.storage.put('data/first', new Uint8Array(1));
    const data = folderNamed('data');
    for (let i = 0; i < 1004; i += 1) {
      fixture.running.emulator.state.seedFile({ name: `p${i}`, parent: data.id, content: 'x' });
    }
    fixture.running.emulator.resetCounters();
    const names = await listNames(fixture.storage, 'data/');
    expect(names).toHaveLength(1005);
    expect(new Set(names).size).toBe(1005);
    expect(counters().requests['files.list']).toBe(2);
  });

  it('lists a prefix inside a folder from that folder alone', async () => {
    await start();
    for (const name of ['data/ab', 'data/abc', 'data/b', 'database', 'snapshots/s']) {
      await fixture.storage.put(name, new Uint8Array(1));
    }
    fixture.running.emulator.resetCounters();
    expect(await listNames(fixture.another(), 'data/a')).toEqual(['data/ab', 'data/abc']);
    // The root folder, the data folder, then data's children: nothing else is read.
    expect(counters().requests['files.list']).toBe(3);
    fixture.running.emulator.resetCounters();
    // Folder ids never change, so an instance looks each up once.
    expect(await listNames(fixture.storage, 'data/a')).toEqual(['data/ab', 'data/abc']);
    expect(counters().requests['files.list']).toBe(1);
  });

  it('downloads only the bytes of a range', async () => {
    await start();
    const bytes = patternBytes(3 * 1024 * 1024, 7);
    await fixture.storage.put('data/big', bytes);
    fixture.running.emulator.resetCounters();
    expectSameBytes(
      await fixture.storage.get('data/big', { offset: 1000, length: 100 }),
      bytes.subarray(1000, 1100),
    );
    expect(counters().bytesSent).toBeLessThan(10_000);
    expect(counters().requests['files.download']).toBe(1);
  });

  it('stores a small object with one upload request and a big one with a resumable session', async () => {
    await start();
    await fixture.storage.put('data/warm-up', new Uint8Array(1));
    fixture.running.emulator.resetCounters();
    await fixture.storage.put('data/small', patternBytes(4 * 1024 * 1024, 1));
    expect(counters().requests).toMatchObject({ 'upload.multipart': 1 });
    expect(counters().requests['upload.resumable.start']).toBeUndefined();
    fixture.running.emulator.resetCounters();
    await fixture.storage.put('data/big', patternBytes(6 * 1024 * 1024, 2));
    expect(counters().requests).toMatchObject({ 'upload.resumable.start': 1 });
    expect(counters().requests['upload.multipart']).toBeUndefined();
  });

  it('fails a read of a missing object with not-found after one lookup', async () => {
    await start();
    await fixture.storage.put('data/x', new Uint8Array(1));
    const error = await rejectionOf(fixture.storage.get('data/y'));
    expect(error).toMatchObject({ code: 'not-found', retryable: false });
  });
});
