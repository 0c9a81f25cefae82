import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '@/utils/storage/memory';
import { isStorageError } from '@/utils/storage/storage';
import { CountingStorage } from '../../support/counting-storage';
import { FaultyStorage } from '../../support/faulty-storage';
import { expectSameBytes, listNames, patternBytes, readAll, rejectionOf, streamOf } from './helpers';

describe('FaultyStorage', () => {
  it('fails only the Nth call of an operation', async () => {
    const storage = new FaultyStorage(new MemoryStorage(), [{ operation: 'put', nth: 3, code: 'network' }]);
    await storage.put('a', new Uint8Array(1));
    await storage.get('a');
    await storage.put('b', new Uint8Array(1));
    expect(isStorageError(await rejectionOf(storage.put('c', new Uint8Array(1))), 'network')).toBe(true);
    await storage.put('d', new Uint8Array(1));
    expect(await listNames(storage, '')).toEqual(['a', 'b', 'd']);
    expect(storage.injected).toEqual([{ operation: 'put', name: 'c', code: 'network' }]);
  });

  it('fails a run of calls with `times`', async () => {
    const storage = new FaultyStorage(new MemoryStorage(), [
      { operation: 'stat', nth: 2, times: 2, code: 'unavailable' },
    ]);
    const outcomes = [];
    for (let i = 0; i < 5; i += 1)
      outcomes.push(
        await storage.stat('x').then(
          () => 'ok',
          (error) => error.code,
        ),
      );
    expect(outcomes).toEqual(['ok', 'unavailable', 'unavailable', 'ok', 'ok']);
  });

  it('fails puts whose name matches a pattern, with the chosen code and Retry-After', async () => {
    const storage = new FaultyStorage(new MemoryStorage(), [
      { operation: 'put', name: /^data\//g, code: 'rate-limited', retryAfterSeconds: 7 },
    ]);
    await storage.put('index/1', new Uint8Array(1));
    for (const name of ['data/1', 'data/2']) {
      expect(await rejectionOf(storage.put(name, new Uint8Array(1)))).toMatchObject({
        code: 'rate-limited',
        retryable: true,
        retryAfterSeconds: 7,
      });
    }
    expect(await listNames(storage, '')).toEqual(['index/1']);
  });

  it('matches an exact name given as a string', async () => {
    const storage = new FaultyStorage(new MemoryStorage(), [{ name: 'config', code: 'forbidden' }]);
    await storage.put('config.bak', new Uint8Array(1));
    expect(isStorageError(await rejectionOf(storage.get('config')), 'forbidden')).toBe(true);
    expect(isStorageError(await rejectionOf(storage.delete('config')), 'forbidden')).toBe(true);
  });

  it.each([
    ['streamed', () => streamOf([patternBytes(600, 1), patternBytes(600, 2)])],
    ['byte', () => patternBytes(1200, 1)],
  ])(
    'cuts a %s put after N bytes; the backend sees exactly those bytes and stores nothing',
    async (_, data) => {
      const memory = new MemoryStorage();
      const seen: number[] = [];
      const storage = new FaultyStorage(memory, [{ operation: 'put', afterBytes: 1000, code: 'network' }]);
      const error = await rejectionOf(
        storage.put('data/cut', data(), { onProgress: (stored) => seen.push(stored) }),
      );
      expect(isStorageError(error, 'network')).toBe(true);
      expect(seen.at(-1)).toBe(1000);
      expect(await memory.stat('data/cut')).toBeUndefined();
    },
  );

  it('can lose the response of a call that succeeded (when: after)', async () => {
    const memory = new MemoryStorage();
    const storage = new FaultyStorage(memory, [{ operation: 'put', when: 'after', code: 'network' }]);
    expect(isStorageError(await rejectionOf(storage.put('data/landed', new Uint8Array(3))), 'network')).toBe(
      true,
    );
    expect(await memory.stat('data/landed')).toEqual({ name: 'data/landed', size: 3 });
  });

  it('cuts a download after N bytes', async () => {
    const memory = new MemoryStorage();
    await memory.put('data/x', patternBytes(300_000, 1));
    const storage = new FaultyStorage(memory, [
      { operation: 'getStream', afterBytes: 70_000, code: 'network' },
    ]);
    const reader = (await storage.getStream('data/x')).getReader();
    let received = 0;
    const error = await (async () => {
      for (;;) {
        const next = await reader.read();
        if (next.done) return undefined;
        received += next.value.length;
      }
    })().catch((failure) => failure);
    expect(received).toBe(70_000);
    expect(isStorageError(error, 'network')).toBe(true);
  });

  it('fails a listing after N objects', async () => {
    const memory = new MemoryStorage();
    for (const name of ['a', 'b', 'c', 'd']) await memory.put(name, new Uint8Array(1));
    const storage = new FaultyStorage(memory, [{ operation: 'list', afterItems: 2, code: 'unavailable' }]);
    const seen: string[] = [];
    const error = await (async () => {
      for await (const info of storage.list('')) seen.push(info.name);
    })().catch((failure) => failure);
    expect(seen).toHaveLength(2);
    expect(isStorageError(error, 'unavailable')).toBe(true);
  });

  it('stops failing after clearRules', async () => {
    const storage = new FaultyStorage(new MemoryStorage(), [{ code: 'internal' }]);
    expect(isStorageError(await rejectionOf(storage.stat('x')), 'internal')).toBe(true);
    storage.clearRules();
    expect(await storage.stat('x')).toBeUndefined();
  });

  it.each([
    ['no code', {}],
    ['nth 0', { code: 'network', nth: 0 }],
    ['afterBytes on get', { code: 'network', operation: 'get', afterBytes: 1 }],
    ['afterItems on put', { code: 'network', operation: 'put', afterItems: 1 }],
    ['after combined with afterBytes', { code: 'network', operation: 'put', afterBytes: 1, when: 'after' }],
  ])('refuses a rule with %s', (_, rule) => {
    expect(() => new FaultyStorage(new MemoryStorage(), [rule as never])).toThrow();
  });
});

describe('CountingStorage', () => {
  it('counts calls per operation, failed ones included, and bytes moved', async () => {
    const storage = new CountingStorage(
      new FaultyStorage(new MemoryStorage(), [{ operation: 'get', nth: 2, code: 'network' }]),
    );
    await storage.put('a', patternBytes(100, 1));
    await storage.put('b', streamOf([patternBytes(50, 2), patternBytes(25, 3)]));
    await storage.get('a', { offset: 10, length: 20 });
    await rejectionOf(storage.get('a'));
    expectSameBytes(
      await readAll(await storage.getStream('b')),
      new Uint8Array([...patternBytes(50, 2), ...patternBytes(25, 3)]),
    );
    await storage.stat('a');
    await listNames(storage, '');
    await storage.delete('a');
    expect(storage.counts).toEqual({
      calls: { put: 2, get: 2, getStream: 1, stat: 1, list: 1, delete: 1 },
      bytesPut: 175,
      bytesGot: 20 + 75,
    });
    expect(storage.totalCalls).toBe(8);
  });

  it('starts from zero after reset, and hands out copies of its counts', async () => {
    const storage = new CountingStorage(new MemoryStorage());
    await storage.put('a', new Uint8Array(4));
    const before = storage.counts;
    storage.reset();
    await storage.get('a');
    expect(before.calls.put).toBe(1);
    expect(storage.counts).toMatchObject({ calls: { put: 0, get: 1 }, bytesPut: 0, bytesGot: 4 });
  });
});
