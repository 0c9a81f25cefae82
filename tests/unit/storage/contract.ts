import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ByteRange, isStorageError, type Storage, StorageError } from '@/utils/storage/storage';
import {
  cutIntoChunks,
  expectSameBytes,
  listAll,
  listNames,
  MiB,
  patternBytes,
  readAll,
  rejectionOf,
  streamOf,
} from './helpers';

export interface StorageUnderTest {
  /** A storage holding no objects. */
  storage: Storage;
  /** Removes whatever the test left behind (temp folders, emulator state). */
  cleanup?: () => Promise<void> | void;
}

/**
 * The one test suite every Storage implementation passes: each rule written in
 * utils/storage/storage.ts has a test here. `makeStorage` is called before every test and must
 * return a fresh, empty storage.
 */
export function describeStorageContract(label: string, makeStorage: () => Promise<StorageUnderTest>): void {
  describe(`Storage contract: ${label}`, () => {
    let storage: Storage;
    let cleanup: StorageUnderTest['cleanup'];

    beforeEach(async () => {
      ({ storage, cleanup } = await makeStorage());
    });

    afterEach(async () => {
      await cleanup?.();
    });

    describe('put then get', () => {
      it.each([
        ['0 bytes', 0],
        ['1 byte', 1],
        ['1 MiB', MiB],
      ])('round-trips %s', async (_, size) => {
        const bytes = patternBytes(size, size + 7);
        await storage.put('data/object', bytes);
        expectSameBytes(await storage.get('data/object'), bytes);
        expect(await storage.stat('data/object')).toEqual({ name: 'data/object', size });
        expect(await listAll(storage, '')).toEqual([{ name: 'data/object', size }]);
      });

      it('round-trips a streamed multi-MiB object in irregular chunks, empty ones included', async () => {
        const bytes = patternBytes(5 * MiB + 3, 42);
        const chunks = cutIntoChunks(bytes, [65_536, 1, 0, 300_001, 7, 1_048_576]);
        await storage.put('data/streamed', streamOf(chunks), { size: bytes.length });
        expectSameBytes(await storage.get('data/streamed'), bytes);
        expectSameBytes(await readAll(await storage.getStream('data/streamed')), bytes);
        expect(await storage.stat('data/streamed')).toEqual({ name: 'data/streamed', size: bytes.length });
      });

      it('accepts a stream whose size is not declared', async () => {
        const bytes = patternBytes(300_000, 5);
        await storage.put('data/unsized', streamOf(cutIntoChunks(bytes, [100_000])));
        expectSameBytes(await storage.get('data/unsized'), bytes);
      });

      it('accepts an empty stream', async () => {
        await storage.put('data/empty', streamOf([]));
        expect(await storage.stat('data/empty')).toEqual({ name: 'data/empty', size: 0 });
        expect((await storage.get('data/empty')).length).toBe(0);
      });

      it('reports progress that only grows and ends at the full size', async () => {
        const bytes = patternBytes(2 * MiB + 11, 3);
        const reports: number[] = [];
        await storage.put('data/progress', streamOf(cutIntoChunks(bytes, [256 * 1024])), {
          size: bytes.length,
          onProgress: (stored) => reports.push(stored),
        });
        expect(reports.length).toBeGreaterThan(0);
        expect(reports.at(-1)).toBe(bytes.length);
        expect(reports.every((stored, i) => stored >= (reports[i - 1] ?? 0) && stored <= bytes.length)).toBe(
          true,
        );
      });

      it('preserves every byte value exactly, from bytes and from a stream', async () => {
        const allValues = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);
        expect(new Set(allValues).size).toBe(256);
        await storage.put('binary/bytes', allValues);
        await storage.put('binary/stream', streamOf(cutIntoChunks(allValues, [1, 255, 1000])));
        expectSameBytes(await storage.get('binary/bytes'), allValues);
        expectSameBytes(await storage.get('binary/stream'), allValues);
      });

      it('keeps its own copy: changing the caller’s or the reader’s bytes changes nothing stored', async () => {
        const bytes = patternBytes(1000, 9);
        const original = bytes.slice();
        await storage.put('data/copy', bytes);
        bytes.fill(0);
        const read = await storage.get('data/copy');
        read.fill(1);
        expectSameBytes(await storage.get('data/copy'), original);
      });

      it.each([
        ['255 characters', 'n'.repeat(255)],
        ['255 characters with folders', `data/${'x'.repeat(250)}`],
        ['deep folders', 'a/b/c/d/e/f'],
        ['every allowed character', 'Az09._-/._-zA'],
        ['a leading dot', '.hidden'],
        ['a segment of three dots', 'data/.../x'],
      ])('accepts a name with %s', async (_, name) => {
        const bytes = patternBytes(10, 2);
        await storage.put(name, bytes);
        expectSameBytes(await storage.get(name), bytes);
        expect(await listNames(storage, '')).toEqual([name]);
        await storage.delete(name);
        expect(await storage.stat(name)).toBeUndefined();
      });
    });

    describe('replacing', () => {
      it('replaces an existing object, which is then listed once with its new size', async () => {
        await storage.put('index/current', patternBytes(5000, 1));
        const replacement = patternBytes(17, 2);
        await storage.put('index/current', replacement);
        expectSameBytes(await storage.get('index/current'), replacement);
        expect(await storage.stat('index/current')).toEqual({ name: 'index/current', size: 17 });
        expect(await listAll(storage, '')).toEqual([{ name: 'index/current', size: 17 }]);
      });

      it('replaces with a streamed object', async () => {
        await storage.put('index/current', patternBytes(10, 1));
        const replacement = patternBytes(200_000, 2);
        await storage.put('index/current', streamOf(cutIntoChunks(replacement, [65_536])));
        expectSameBytes(await storage.get('index/current'), replacement);
      });

      it('stores concurrent puts of different names', async () => {
        const names = Array.from({ length: 20 }, (_, i) => `data/concurrent-${i}`);
        await Promise.all(names.map((name, i) => storage.put(name, patternBytes(1000 + i, i + 1))));
        for (const [i, name] of names.entries())
          expectSameBytes(await storage.get(name), patternBytes(1000 + i, i + 1));
      });

      it('leaves one complete version after concurrent puts of one name', async () => {
        const first = patternBytes(300_000, 1);
        const second = patternBytes(200_000, 2);
        await Promise.all([
          storage.put('config', streamOf(cutIntoChunks(first, [50_000]))),
          storage.put('config', streamOf(cutIntoChunks(second, [40_000]))),
        ]);
        const stored = await storage.get('config');
        expectSameBytes(stored, stored.length === first.length ? first : second);
        expect(await listNames(storage, '')).toEqual(['config']);
      });
    });

    describe('byte ranges', () => {
      const object = patternBytes(100, 11);
      const cases: [string, ByteRange, number, number][] = [
        ['from the start', { offset: 0, length: 10 }, 0, 10],
        ['in the middle', { offset: 40, length: 20 }, 40, 60],
        ['to the end (no length)', { offset: 90 }, 90, 100],
        ['the whole object', { offset: 0 }, 0, 100],
        ['clamped when it runs past the end', { offset: 90, length: 50 }, 90, 100],
        ['empty when it starts at the end', { offset: 100, length: 5 }, 100, 100],
        ['empty when it starts past the end', { offset: 150, length: 5 }, 100, 100],
        ['empty past the end with no length', { offset: 1000 }, 100, 100],
        ['empty when its length is 0', { offset: 10, length: 0 }, 10, 10],
      ];

      beforeEach(async () => {
        await storage.put('data/ranged', object);
      });

      it.each(cases)('get reads a range %s', async (_, range, start, end) => {
        expectSameBytes(await storage.get('data/ranged', range), object.subarray(start, end));
      });

      it.each(cases)('getStream reads a range %s', async (_, range, start, end) => {
        expectSameBytes(
          await readAll(await storage.getStream('data/ranged', range)),
          object.subarray(start, end),
        );
      });

      it('reads ranges of an empty object as empty', async () => {
        await storage.put('data/empty', new Uint8Array(0));
        expect((await storage.get('data/empty', { offset: 0, length: 5 })).length).toBe(0);
        expect((await readAll(await storage.getStream('data/empty', { offset: 3 }))).length).toBe(0);
      });

      it('reads ranges across chunk boundaries of a large object', async () => {
        const large = patternBytes(3 * MiB, 13);
        await storage.put('data/large', large);
        const range = { offset: MiB - 5, length: MiB + 10 };
        expectSameBytes(await storage.get('data/large', range), large.subarray(MiB - 5, 2 * MiB + 5));
        expectSameBytes(
          await readAll(await storage.getStream('data/large', range)),
          large.subarray(MiB - 5, 2 * MiB + 5),
        );
      });

      it.each([
        ['a negative offset', { offset: -1 }],
        ['a fractional offset', { offset: 1.5 }],
        ['a NaN offset', { offset: Number.NaN }],
        ['a negative length', { offset: 0, length: -1 }],
        ['an infinite length', { offset: 0, length: Number.POSITIVE_INFINITY }],
      ])('rejects %s with a non-retryable StorageError', async (_, range) => {
        for (const call of [
          () => storage.get('data/ranged', range),
          () => storage.getStream('data/ranged', range),
        ]) {
          const error = await rejectionOf(call());
          expect(error).toBeInstanceOf(StorageError);
          expect((error as StorageError).retryable).toBe(false);
        }
      });
    });

    describe('getStream', () => {
      it('streams a whole object', async () => {
        const bytes = patternBytes(700_000, 21);
        await storage.put('data/whole', bytes);
        expectSameBytes(await readAll(await storage.getStream('data/whole')), bytes);
      });

      it('lets the reader stop early, after which the object can be replaced and deleted', async () => {
        await storage.put('data/cancelled', patternBytes(2 * MiB, 4));
        const reader = (await storage.getStream('data/cancelled')).getReader();
        expect((await reader.read()).done).toBe(false);
        await reader.cancel();
        const replacement = patternBytes(10, 5);
        await storage.put('data/cancelled', replacement);
        expectSameBytes(await storage.get('data/cancelled'), replacement);
        await storage.delete('data/cancelled');
        expect(await storage.stat('data/cancelled')).toBeUndefined();
      });
    });

    describe('stat', () => {
      it('gives the name and size of a present object', async () => {
        await storage.put('keys/abc', patternBytes(123, 1));
        expect(await storage.stat('keys/abc')).toEqual({ name: 'keys/abc', size: 123 });
      });

      it('gives undefined for an absent object', async () => {
        expect(await storage.stat('keys/absent')).toBeUndefined();
      });

      it('treats a name that is only a folder of other objects as absent', async () => {
        await storage.put('data/ab/cd', patternBytes(3, 1));
        expect(await storage.stat('data/ab')).toBeUndefined();
        expect(await storage.stat('data')).toBeUndefined();
        expect(isStorageError(await rejectionOf(storage.get('data/ab')), 'not-found')).toBe(true);
        expect(isStorageError(await rejectionOf(storage.getStream('data')), 'not-found')).toBe(true);
      });
    });

    describe('list', () => {
      const names = [
        'config',
        'data/ab',
        'data/abc',
        'data/b',
        'database',
        'deep/a/b/c',
        'index/1',
        'keys/k',
        'snapshots/s',
      ];

      async function putAll(): Promise<void> {
        for (const [i, name] of names.entries()) await storage.put(name, patternBytes(i, i + 1));
      }

      it('lists nothing in an empty storage', async () => {
        expect(await listAll(storage, '')).toEqual([]);
        expect(await listAll(storage, 'data/')).toEqual([]);
      });

      it('lists every object once, with its size, for the empty prefix', async () => {
        await putAll();
        const listed = await listAll(storage, '');
        expect(listed.map((info) => info.name).sort()).toEqual([...names].sort());
        for (const info of listed) expect(info.size).toBe(names.indexOf(info.name));
      });

      it.each([
        ['data/', ['data/ab', 'data/abc', 'data/b']],
        ['data', ['data/ab', 'data/abc', 'data/b', 'database']],
        ['data/ab', ['data/ab', 'data/abc']],
        ['deep/a/', ['deep/a/b/c']],
        ['deep/a/b/c', ['deep/a/b/c']],
        ['config', ['config']],
        ['c', ['config']],
        ['nothing', []],
        ['data/abcd', []],
        ['a', []],
      ])('lists exactly the names starting with %j', async (prefix, expected) => {
        await putAll();
        expect(await listNames(storage, prefix)).toEqual(expected);
      });

      it('lists 250 objects, more than one page of a typical API, each exactly once', async () => {
        const many = Array.from({ length: 250 }, (_, i) => `data/${i.toString(16).padStart(4, '0')}`);
        for (let i = 0; i < many.length; i += 25) {
          await Promise.all(
            many.slice(i, i + 25).map((name, j) => storage.put(name, patternBytes((i + j) % 7, 1))),
          );
        }
        await storage.put('other', new Uint8Array(1));
        const listed = await listAll(storage, 'data/');
        expect(listed.map((info) => info.name).sort()).toEqual(many);
        for (const info of listed) expect(info.size).toBe(many.indexOf(info.name) % 7);
        expect(await listNames(storage, '')).toHaveLength(251);
      });

      it('stops cleanly when the consumer breaks off, and lists again afterwards', async () => {
        await putAll();
        for await (const _ of storage.list('')) break;
        expect(await listNames(storage, '')).toEqual([...names].sort());
      });

      it('rejects a prefix that is not a string with a StorageError', async () => {
        const error = await rejectionOf(listAll(storage, 42 as unknown as string));
        expect(error).toBeInstanceOf(StorageError);
      });
    });

    describe('delete', () => {
      it('removes an object from get, getStream, stat and list, and nothing else', async () => {
        await storage.put('data/gone', patternBytes(10, 1));
        await storage.put('data/kept', patternBytes(10, 2));
        await storage.delete('data/gone');
        expect(isStorageError(await rejectionOf(storage.get('data/gone')), 'not-found')).toBe(true);
        expect(isStorageError(await rejectionOf(storage.getStream('data/gone')), 'not-found')).toBe(true);
        expect(await storage.stat('data/gone')).toBeUndefined();
        expect(await listNames(storage, '')).toEqual(['data/kept']);
      });

      it('succeeds for a missing name, and when repeated', async () => {
        await storage.delete('data/never');
        await storage.put('data/twice', new Uint8Array(1));
        await storage.delete('data/twice');
        await storage.delete('data/twice');
        expect(await listAll(storage, '')).toEqual([]);
      });

      it('succeeds for a name that is only a folder of other objects, and keeps them', async () => {
        await storage.put('data/ab/cd', patternBytes(3, 1));
        await storage.delete('data/ab');
        await storage.delete('data');
        expect(await storage.stat('data/ab/cd')).toEqual({ name: 'data/ab/cd', size: 3 });
      });
    });

    describe('errors', () => {
      it.each(['get', 'getStream'] as const)(
        '%s of a missing object rejects with not-found',
        async (method) => {
          const error = await rejectionOf(storage[method]('data/missing'));
          expect(error).toBeInstanceOf(StorageError);
          expect(error).toMatchObject({ code: 'not-found', retryable: false });
          expect((error as Error).message).toContain('data/missing');
        },
      );

      it.each([
        ['a parent segment', '../x'],
        ['a parent segment inside', 'a/../b'],
        ['a current segment', 'a/./b'],
        ['only a dot', '.'],
        ['only two dots', '..'],
        ['an empty segment', 'a//b'],
        ['a leading slash', '/a'],
        ['a trailing slash', 'a/'],
        ['the empty string', ''],
        ['a space', 'a b'],
        ['256 characters', 'n'.repeat(256)],
        ['a backslash', 'a\\b'],
        ['a non-ASCII letter', 'caf\u00e9'],
        ['a newline', 'a\nb'],
        ['a colon', 'c:x'],
      ])('rejects a name with %s, in every operation, with invalid-name', async (_, name) => {
        const calls: [string, () => Promise<unknown>][] = [
          ['put bytes', () => storage.put(name, new Uint8Array(1))],
          ['put stream', () => storage.put(name, streamOf([new Uint8Array(1)]))],
          ['get', () => storage.get(name)],
          ['getStream', () => storage.getStream(name)],
          ['stat', () => storage.stat(name)],
          ['delete', () => storage.delete(name)],
        ];
        for (const [label, call] of calls) {
          const error = await rejectionOf(call());
          expect({ label, invalidName: isStorageError(error, 'invalid-name') }).toEqual({
            label,
            invalidName: true,
          });
        }
        expect(await listAll(storage, '')).toEqual([]);
      });

      it('rejects put data that is neither bytes nor a stream with a StorageError', async () => {
        const error = await rejectionOf(storage.put('data/x', 'text' as unknown as Uint8Array));
        expect(error).toBeInstanceOf(StorageError);
        expect(await storage.stat('data/x')).toBeUndefined();
      });
    });

    describe('a put that fails stores nothing', () => {
      const previous = patternBytes(1000, 77);

      it('rejects with aborted when the signal fired before the call', async () => {
        const controller = new AbortController();
        controller.abort();
        const error = await rejectionOf(
          storage.put('data/a', patternBytes(10, 1), { signal: controller.signal }),
        );
        expect(isStorageError(error, 'aborted')).toBe(true);
        expect(await storage.stat('data/a')).toBeUndefined();
      });

      it('rejects with aborted when aborted mid-stream, keeping the previous version', async () => {
        await storage.put('data/a', previous);
        const controller = new AbortController();
        const chunk = patternBytes(64 * 1024, 3);
        let pulls = 0;
        const source = new ReadableStream<Uint8Array>({
          pull(streamController) {
            pulls += 1;
            if (pulls === 4) controller.abort();
            if (pulls > 50) streamController.close();
            else streamController.enqueue(chunk);
          },
        });
        const error = await rejectionOf(storage.put('data/a', source, { signal: controller.signal }));
        expect(isStorageError(error, 'aborted')).toBe(true);
        expectSameBytes(await storage.get('data/a'), previous);
        expect(await listAll(storage, '')).toEqual([{ name: 'data/a', size: previous.length }]);
      });

      it('rejects with aborted while the source stalls', { timeout: 20_000 }, async () => {
        const controller = new AbortController();
        let pulls = 0;
        // highWaterMark 0: the stream pulls only when the put asks for a chunk, so the second pull
        // means the put is waiting on a source that will never deliver; only the signal can end it.
        const source = new ReadableStream<Uint8Array>(
          {
            pull(streamController) {
              pulls += 1;
              if (pulls === 1) {
                streamController.enqueue(patternBytes(1000, 1));
                return;
              }
              setTimeout(() => controller.abort(), 0);
              return new Promise<void>(() => {});
            },
          },
          { highWaterMark: 0 },
        );
        const put = storage.put('data/stalled', source, { signal: controller.signal });
        expect(isStorageError(await rejectionOf(put), 'aborted')).toBe(true);
        expect(pulls).toBe(2);
        expect(await storage.stat('data/stalled')).toBeUndefined();
      });

      it('rejects with a StorageError when the source stream fails, keeping the previous version', async () => {
        await storage.put('data/a', previous);
        let pulls = 0;
        const source = new ReadableStream<Uint8Array>({
          pull(streamController) {
            pulls += 1;
            if (pulls === 5) streamController.error(new Error('encryption failed'));
            else streamController.enqueue(patternBytes(100_000, pulls));
          },
        });
        const error = await rejectionOf(storage.put('data/a', source));
        expect(error).toBeInstanceOf(StorageError);
        expectSameBytes(await storage.get('data/a'), previous);
        expect(await listAll(storage, '')).toEqual([{ name: 'data/a', size: previous.length }]);
      });

      it('keeps the code of a StorageError raised by the source stream', async () => {
        const source = new ReadableStream<Uint8Array>({
          start(streamController) {
            streamController.enqueue(new Uint8Array(10));
            streamController.error(new StorageError('corrupt', 'bad chunk'));
          },
        });
        expect(isStorageError(await rejectionOf(storage.put('data/b', source)), 'corrupt')).toBe(true);
        expect(await storage.stat('data/b')).toBeUndefined();
      });

      it.each([
        ['fewer bytes than declared', 100, 99],
        ['more bytes than declared', 100, 101],
      ])('rejects a stream with %s', async (_, declared, actual) => {
        const source = streamOf(cutIntoChunks(patternBytes(actual, 1), [30]));
        const error = await rejectionOf(storage.put('data/sized', source, { size: declared }));
        expect(error).toBeInstanceOf(StorageError);
        expect((error as StorageError).retryable).toBe(false);
        expect(await storage.stat('data/sized')).toBeUndefined();
        expect(await listAll(storage, '')).toEqual([]);
      });

      it('rejects bytes whose length differs from the declared size', async () => {
        const error = await rejectionOf(storage.put('data/sized', new Uint8Array(5), { size: 6 }));
        expect(error).toBeInstanceOf(StorageError);
        expect(await storage.stat('data/sized')).toBeUndefined();
      });
    });

    it('describes itself for messages', () => {
      expect(typeof storage.description).toBe('string');
      expect(storage.description.length).toBeGreaterThan(0);
    });
  });
}
