import type { FileHandle } from 'node:fs/promises';
import * as nodeFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FolderFileSystem, FolderStorage } from '@/utils/storage/folder.node.ts';
import { isStorageError, StorageError } from '@/utils/storage/storage';
import { describeStorageContract } from './contract';
import {
  cutIntoChunks,
  expectSameBytes,
  listNames,
  patternBytes,
  readAll,
  rejectionOf,
  streamOf,
  trackedStream,
} from './helpers';

async function makeTempFolder(): Promise<string> {
  return nodeFs.mkdtemp(path.join(tmpdir(), 'chatvault-folder-storage-'));
}

describeStorageContract('FolderStorage', async () => {
  const root = await makeTempFolder();
  return {
    storage: new FolderStorage(root),
    cleanup: () => nodeFs.rm(root, { recursive: true, force: true }),
  };
});

function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected`), { code });
}

/** The real file system with some calls replaced. */
function fsWith(overrides: Partial<FolderFileSystem>): FolderFileSystem {
  return { ...nodeFs, ...overrides } as FolderFileSystem;
}

/** Opens files normally, but writes to them fail with `code` after `okWrites` writes. */
function fsWhoseWritesFail(code: string, okWrites: number): FolderFileSystem {
  let writes = 0;
  const open = async (...args: Parameters<typeof nodeFs.open>) => {
    const handle = await nodeFs.open(...args);
    return new Proxy(handle, {
      get(target, property) {
        if (property === 'write') {
          return (...writeArgs: unknown[]) => {
            writes += 1;
            if (writes > okWrites) return Promise.reject(errnoError(code));
            return (target.write as (...a: unknown[]) => Promise<unknown>)(...writeArgs);
          };
        }
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as FileHandle;
  };
  return fsWith({ open: open as FolderFileSystem['open'] });
}

/** Every file name below `root`, temp files included, as `/`-joined relative paths. */
async function filesOnDisk(root: string): Promise<string[]> {
  const entries = await nodeFs.readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

describe('FolderStorage on disk', () => {
  let root: string;

  beforeEach(async () => {
    root = await makeTempFolder();
  });

  afterEach(async () => {
    await nodeFs.rm(root, { recursive: true, force: true });
  });

  it('keeps object a/b in the file <root>/a/b, readable by a later instance', async () => {
    const bytes = patternBytes(1000, 1);
    await new FolderStorage(root).put('data/ab/cd', bytes);
    expectSameBytes(await nodeFs.readFile(path.join(root, 'data', 'ab', 'cd')), bytes);
    expectSameBytes(await new FolderStorage(root).get('data/ab/cd'), bytes);
    expect(await filesOnDisk(root)).toEqual(['data/ab/cd']);
  });

  it('describes itself by its absolute folder', () => {
    const storage = new FolderStorage(path.relative(process.cwd(), root));
    expect(storage.root).toBe(root);
    expect(storage.description).toBe(`folder ${root}`);
    expect(() => new FolderStorage('')).toThrow(TypeError);
  });

  it('creates a missing root folder on the first put, and treats it as empty before', async () => {
    const storage = new FolderStorage(path.join(root, 'not', 'yet'));
    expect(await listNames(storage, '')).toEqual([]);
    expect(isStorageError(await rejectionOf(storage.get('config')), 'not-found')).toBe(true);
    expect(await storage.stat('config')).toBeUndefined();
    await storage.delete('config');
    await storage.put('config', new Uint8Array([1]));
    expect(await listNames(storage, '')).toEqual(['config']);
  });

  it('leaves neither an object nor a temp file after a streamed put fails', async () => {
    const storage = new FolderStorage(root);
    let pulls = 0;
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        if (pulls === 4) controller.error(new Error('source broke'));
        else controller.enqueue(patternBytes(100_000, pulls));
      },
    });
    expect(await rejectionOf(storage.put('data/partial', source))).toBeInstanceOf(StorageError);
    expect(await listNames(storage, '')).toEqual([]);
    expect(await filesOnDisk(root)).toEqual([]);
  });

  it('leaves no temp file after an aborted put', async () => {
    const storage = new FolderStorage(root);
    const controller = new AbortController();
    const put = storage.put('data/aborted', streamOf(cutIntoChunks(patternBytes(500_000, 1), [50_000])), {
      signal: controller.signal,
      onProgress: (stored) => {
        if (stored >= 100_000) controller.abort();
      },
    });
    expect(isStorageError(await rejectionOf(put), 'aborted')).toBe(true);
    expect(await filesOnDisk(root)).toEqual([]);
  });

  it('does not list temp files left by a crash, nor files whose names are not storage names', async () => {
    const storage = new FolderStorage(root);
    await storage.put('data/real', new Uint8Array(3));
    await nodeFs.writeFile(path.join(root, 'data', '.real.~0123456789abcdef.tmp'), 'half');
    await nodeFs.writeFile(path.join(root, 'notes about backup.txt'), 'foreign');
    await nodeFs.mkdir(path.join(root, 'odd folder'));
    await nodeFs.writeFile(path.join(root, 'odd folder', 'x'), 'foreign');
    expect(await listNames(storage, '')).toEqual(['data/real']);
  });

  it('does not list symbolic links', async () => {
    const storage = new FolderStorage(root);
    await storage.put('data/real', new Uint8Array(3));
    await nodeFs.symlink(path.join(root, 'data', 'real'), path.join(root, 'data', 'link'));
    expect(await listNames(storage, '')).toEqual(['data/real']);
  });

  it('writes a streamed put to disk as it arrives instead of buffering it', async () => {
    const storage = new FolderStorage(root);
    const chunk = patternBytes(256 * 1024, 1);
    const tempSizesAtPull: number[] = [];
    let pulls = 0;
    const source = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          pulls += 1;
          const temp = (await nodeFs.readdir(root)).find((name) => name.endsWith('.tmp'));
          tempSizesAtPull.push(temp === undefined ? 0 : (await nodeFs.stat(path.join(root, temp))).size);
          if (pulls > 8) controller.close();
          else controller.enqueue(chunk);
        },
      },
      { highWaterMark: 0 },
    );
    await storage.put('big', source);
    // By the time the 8th chunk is asked for, the earlier ones are already in the temp file.
    expect(tempSizesAtPull[7]).toBeGreaterThanOrEqual(6 * chunk.length);
    expect((await storage.stat('big'))?.size).toBe(8 * chunk.length);
  });

  it('streams a read in bounded chunks', async () => {
    const storage = new FolderStorage(root);
    const bytes = patternBytes(1024 * 1024 + 5, 2);
    await storage.put('big', bytes);
    const reader = (await storage.getStream('big')).getReader();
    const sizes: number[] = [];
    for (let next = await reader.read(); !next.done; next = await reader.read())
      sizes.push(next.value.length);
    expect(sizes.length).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(64 * 1024);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(bytes.length);
  });

  it('rejects an object whose name is also a folder of objects, and the reverse', async () => {
    const storage = new FolderStorage(root);
    await storage.put('a/b', new Uint8Array([1]));
    await storage.put('c', new Uint8Array([2]));
    const folderAsObject = await rejectionOf(storage.put('a', new Uint8Array([3])));
    const objectAsFolder = await rejectionOf(storage.put('c/d', streamOf([new Uint8Array([4])])));
    for (const error of [folderAsObject, objectAsFolder]) {
      expect(error).toMatchObject({ code: 'invalid-name', retryable: false });
      expect((error as Error).message).toContain(root);
    }
    expect(await listNames(storage, '')).toEqual(['a/b', 'c']);
    expect(await filesOnDisk(root)).toEqual(['a/b', 'c']);
  });

  it('maps ENOSPC during a write to quota-exceeded and cleans up', async () => {
    const storage = new FolderStorage(root, { fs: fsWhoseWritesFail('ENOSPC', 2) });
    await storage.put('data/old', new Uint8Array([9]));
    const source = streamOf(cutIntoChunks(patternBytes(100_000, 1), [10_000]));
    const error = await rejectionOf(storage.put('data/new', source));
    expect(error).toMatchObject({ code: 'quota-exceeded', retryable: false });
    expect((error as Error).message).toContain('data/new');
    expect(await filesOnDisk(root)).toEqual(['data/old']);
  });

  it.each([
    ['EACCES', 'forbidden'],
    ['EPERM', 'forbidden'],
    ['EROFS', 'forbidden'],
    ['EDQUOT', 'quota-exceeded'],
    ['EMFILE', 'unavailable'],
    ['EIO', 'internal'],
  ])('maps %s on creating the folder to %s', async (errno, code) => {
    const storage = new FolderStorage(root, {
      fs: fsWith({ mkdir: (() => Promise.reject(errnoError(errno))) as FolderFileSystem['mkdir'] }),
    });
    const source = trackedStream([new Uint8Array(1)]);
    const error = await rejectionOf(storage.put('data/x', source.stream));
    expect(error).toMatchObject({ name: 'StorageError', code, retryable: code === 'unavailable' });
    // The producer is released, not left waiting for a reader that will never come.
    expect(source.state).toEqual({ cancelled: true, reason: error });
  });

  it('maps EACCES on reading, listing and deleting to forbidden', async () => {
    await new FolderStorage(root).put('data/x', new Uint8Array(1));
    const denied = () => Promise.reject(errnoError('EACCES'));
    const storage = new FolderStorage(root, {
      fs: fsWith({ open: denied, stat: denied, readdir: denied, unlink: denied }),
    });
    for (const call of [
      () => storage.get('data/x'),
      () => storage.getStream('data/x'),
      () => storage.stat('data/x'),
      () => listNames(storage, ''),
      () => storage.delete('data/x'),
    ]) {
      expect(await rejectionOf(call())).toMatchObject({ code: 'forbidden' });
    }
  });

  it('maps ENOENT during a put (the folder vanished) to retryable unavailable', async () => {
    const storage = new FolderStorage(root, {
      fs: fsWith({ rename: () => Promise.reject(errnoError('ENOENT')) }),
    });
    expect(await rejectionOf(storage.put('data/x', new Uint8Array(1)))).toMatchObject({
      code: 'unavailable',
      retryable: true,
    });
    expect(await filesOnDisk(root)).toEqual([]);
  });

  it('fits the temp file name of a 255-character name under the file-name limit', async () => {
    const storage = new FolderStorage(root);
    const name = 'n'.repeat(255);
    await storage.put(name, streamOf([new Uint8Array(5)]));
    expect(await storage.stat(name)).toEqual({ name, size: 5 });
  });

  it('reads a range of a file without reading the rest', async () => {
    const storage = new FolderStorage(root);
    const bytes = patternBytes(3 * 1024 * 1024, 5);
    await storage.put('big', bytes);
    expectSameBytes(
      await readAll(await storage.getStream('big', { offset: 100, length: 10 })),
      bytes.subarray(100, 110),
    );
  });
});
