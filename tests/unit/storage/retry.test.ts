import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStorage } from '@/utils/storage/memory';
import { type RetryOptions, withRetry } from '@/utils/storage/retry';
import {
  isStorageError,
  type ObjectInfo,
  type Storage,
  StorageError,
  type StorageErrorCode,
} from '@/utils/storage/storage';
import { CountingStorage } from '../../support/counting-storage';
import { type FaultRule, FaultyStorage } from '../../support/faulty-storage';
import {
  expectSameBytes,
  listNames,
  patternBytes,
  readAll,
  rejectionOf,
  streamOf,
  trackedStream,
} from './helpers';

/** Records requested waits and returns at once, so backoff is tested without waiting. */
function instantSleep() {
  const delays: number[] = [];
  const sleep = async (ms: number) => {
    delays.push(ms);
  };
  return { delays, sleep };
}

/** memory ← faults ← counter ← retry: the counter sees every attempt the retry wrapper makes. */
async function setUp(rules: FaultRule[], options: RetryOptions = {}) {
  const memory = new MemoryStorage();
  await memory.put('data/x', patternBytes(100, 1));
  const faulty = new FaultyStorage(memory, rules);
  const counting = new CountingStorage(faulty);
  const { delays, sleep } = instantSleep();
  const retries: [number, StorageErrorCode, number][] = [];
  const storage = withRetry(counting, {
    sleep,
    random: () => 0.5,
    onRetry: (attempt, error, delayMs) => retries.push([attempt, error.code, delayMs]),
    ...options,
  });
  return { memory, faulty, counting, storage, delays, retries };
}

describe('withRetry', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each(['rate-limited', 'unavailable', 'network'] as const)(
    'retries %s with doubling, jittered waits until the call succeeds',
    async (code) => {
      const { storage, counting, delays, retries } = await setUp([{ operation: 'get', code, times: 3 }]);
      expectSameBytes(await storage.get('data/x'), patternBytes(100, 1));
      expect(counting.counts.calls.get).toBe(4);
      // random() = 0.5 picks the middle of the 1 s, 2 s, 4 s windows.
      expect(delays).toEqual([500, 1000, 2000]);
      expect(retries).toEqual([
        [1, code, 500],
        [2, code, 1000],
        [3, code, 2000],
      ]);
    },
  );

  it('caps the window at 16 s and gives up after 8 attempts with the last error', async () => {
    let attempts = 0;
    const failing = stubStorage({
      get: async () => {
        attempts += 1;
        throw new StorageError('unavailable', `outage, attempt ${attempts}`);
      },
    });
    const { delays, sleep } = instantSleep();
    const error = await rejectionOf(withRetry(failing, { sleep, random: () => 0.999_999 }).get('data/x'));
    expect(attempts).toBe(8);
    expect((error as Error).message).toBe('outage, attempt 8');
    expect(delays).toEqual([999, 1999, 3999, 7999, 15_999, 15_999, 15_999]);
  });

  it('honours maxAttempts, baseDelayMs and maxDelayMs', async () => {
    const { storage, counting, delays } = await setUp([{ operation: 'stat', code: 'network' }], {
      maxAttempts: 4,
      baseDelayMs: 100,
      maxDelayMs: 250,
      random: () => 0.5,
    });
    expect(isStorageError(await rejectionOf(storage.stat('data/x')), 'network')).toBe(true);
    expect(counting.counts.calls.stat).toBe(4);
    expect(delays).toEqual([50, 100, 125]);
  });

  it('waits for a Retry-After longer than the backoff', async () => {
    const { storage, delays } = await setUp([
      { operation: 'delete', code: 'rate-limited', nth: 1, retryAfterSeconds: 30 },
    ]);
    await storage.delete('data/x');
    expect(delays).toEqual([30_000]);
  });

  it('keeps the backoff when Retry-After is shorter', async () => {
    const { storage, delays } = await setUp([
      { operation: 'delete', code: 'rate-limited', nth: 1, retryAfterSeconds: 0.1 },
    ]);
    await storage.delete('data/x');
    expect(delays).toEqual([500]);
  });

  it.each([
    'not-found',
    'invalid-name',
    'quota-exceeded',
    'unauthorized',
    'forbidden',
    'aborted',
    'corrupt',
    'internal',
  ] as const)('passes %s through at once', async (code) => {
    const { storage, counting, delays } = await setUp([{ operation: 'get', code }]);
    expect(isStorageError(await rejectionOf(storage.get('data/x')), code)).toBe(true);
    expect(counting.counts.calls.get).toBe(1);
    expect(delays).toEqual([]);
  });

  it('follows the error’s retryable flag rather than its code', async () => {
    const { storage, counting } = await setUp([
      { operation: 'get', code: 'internal', retryable: true, nth: 1 },
      { operation: 'stat', code: 'network', retryable: false },
    ]);
    await storage.get('data/x');
    expect(counting.counts.calls.get).toBe(2);
    expect(isStorageError(await rejectionOf(storage.stat('data/x')), 'network')).toBe(true);
    expect(counting.counts.calls.stat).toBe(1);
  });

  it('passes errors that are not StorageErrors through at once', async () => {
    let calls = 0;
    const broken = stubStorage({
      stat: async () => {
        calls += 1;
        throw new TypeError('bug');
      },
    });
    expect(await rejectionOf(withRetry(broken, instantSleep()).stat('x'))).toBeInstanceOf(TypeError);
    expect(calls).toBe(1);
  });

  it('stops waiting and rejects with aborted when its signal fires, even if sleep ignores it', async () => {
    const controller = new AbortController();
    const { storage, counting } = await setUp([{ operation: 'get', code: 'network' }], {
      signal: controller.signal,
      sleep: () => {
        controller.abort();
        return new Promise<void>(() => {});
      },
    });
    expect(isStorageError(await rejectionOf(storage.get('data/x')), 'aborted')).toBe(true);
    expect(counting.counts.calls.get).toBe(1);
  });

  it('makes no attempt once its signal has fired', async () => {
    const controller = new AbortController();
    controller.abort();
    const { storage, counting } = await setUp([], { signal: controller.signal });
    expect(isStorageError(await rejectionOf(storage.get('data/x')), 'aborted')).toBe(true);
    expect(isStorageError(await rejectionOf(listNames(storage, '')), 'aborted')).toBe(true);
    expect(counting.totalCalls).toBe(0);
  });

  it('starts no streaming put once its signal has fired, and releases the stream', async () => {
    const controller = new AbortController();
    controller.abort();
    const { storage, counting } = await setUp([], { signal: controller.signal });
    const source = trackedStream([new Uint8Array(1)]);
    const error = await rejectionOf(storage.put('data/y', source.stream));
    expect(isStorageError(error, 'aborted')).toBe(true);
    expect(source.state).toEqual({ cancelled: true, reason: error });
    expect(counting.counts.calls.put).toBe(0);
  });

  it('stops retrying a put when the put’s own signal fires', async () => {
    const controller = new AbortController();
    const { storage, counting } = await setUp([{ operation: 'put', code: 'unavailable' }], {
      sleep: async () => controller.abort(),
    });
    const error = await rejectionOf(
      storage.put('data/y', patternBytes(10, 1), { signal: controller.signal }),
    );
    expect(isStorageError(error, 'aborted')).toBe(true);
    expect(counting.counts.calls.put).toBe(1);
  });

  it('retries a put of bytes, which then lands whole', async () => {
    const { storage, memory, counting } = await setUp([{ operation: 'put', code: 'network', nth: 1 }]);
    const bytes = patternBytes(5000, 3);
    await storage.put('data/y', bytes);
    expect(counting.counts.calls.put).toBe(2);
    expectSameBytes(await memory.get('data/y'), bytes);
  });

  it('does not retry a streaming put, which cannot be replayed', async () => {
    const { storage, counting, delays } = await setUp([
      { operation: 'put', code: 'network', nth: 1, afterBytes: 10 },
    ]);
    const error = await rejectionOf(storage.put('data/y', streamOf([patternBytes(100, 1)])));
    expect(isStorageError(error, 'network')).toBe(true);
    expect(counting.counts.calls.put).toBe(1);
    expect(delays).toEqual([]);
  });

  it('retries opening a stream', async () => {
    const { storage, counting } = await setUp([{ operation: 'getStream', code: 'unavailable', times: 2 }]);
    expectSameBytes(
      await readAll(await storage.getStream('data/x', { offset: 10 })),
      patternBytes(100, 1).subarray(10),
    );
    expect(counting.counts.calls.getStream).toBe(3);
  });

  it('restarts a listing that fails part-way and yields each object once', async () => {
    const { storage, memory, retries } = await setUp([
      { operation: 'list', code: 'network', nth: 1, afterItems: 3 },
    ]);
    for (let i = 0; i < 9; i += 1) await memory.put(`data/${i}`, new Uint8Array(i));
    const names = await listNames(storage, 'data/');
    expect(names).toEqual([
      'data/0',
      'data/1',
      'data/2',
      'data/3',
      'data/4',
      'data/5',
      'data/6',
      'data/7',
      'data/8',
      'data/x',
    ]);
    expect(retries).toEqual([[1, 'network', 500]]);
  });

  it('keeps restarting a listing as long as each attempt makes progress', async () => {
    const all: ObjectInfo[] = Array.from({ length: 10 }, (_, i) => ({ name: `n${i}`, size: i }));
    let listings = 0;
    const flaky = stubStorage({
      // Attempt k yields the first k objects, then the connection drops.
      list: async function* () {
        listings += 1;
        yield* all.slice(0, listings);
        if (listings < all.length) throw new StorageError('network', 'dropped');
      },
    });
    const storage = withRetry(flaky, { ...instantSleep(), maxAttempts: 2 });
    expect(await listNames(storage, '')).toEqual(all.map((info) => info.name).sort());
    expect(listings).toBe(10);
  });

  it('gives up on a listing after maxAttempts failures without progress', async () => {
    const { storage } = await setUp([{ operation: 'list', code: 'network' }], { maxAttempts: 3 });
    expect(isStorageError(await rejectionOf(listNames(storage, '')), 'network')).toBe(true);
  });

  it('ends the wrapped listing when the consumer breaks off', async () => {
    let finished = false;
    const storage = withRetry(
      stubStorage({
        list: async function* () {
          try {
            yield { name: 'a', size: 1 };
            yield { name: 'b', size: 1 };
          } finally {
            finished = true;
          }
        },
      }),
      instantSleep(),
    );
    for await (const _ of storage.list('')) break;
    expect(finished).toBe(true);
  });

  it('keeps going when onRetry throws', async () => {
    const { storage } = await setUp([{ operation: 'get', code: 'network', nth: 1 }], {
      onRetry: () => {
        throw new Error('progress display broke');
      },
    });
    expectSameBytes(await storage.get('data/x'), patternBytes(100, 1));
  });

  it('sleeps with real timers by default', async () => {
    vi.useFakeTimers();
    const { storage } = await setUp([{ operation: 'get', code: 'network', nth: 1 }], { sleep: undefined });
    let settled = false;
    const get = storage.get('data/x').then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(499);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await get;
    expect(settled).toBe(true);
  });

  it('keeps the wrapped storage’s description', () => {
    expect(withRetry(new MemoryStorage('memory here')).description).toBe('memory here');
  });

  it.each([
    ['a missing storage', undefined, {}, TypeError],
    ['zero attempts', new MemoryStorage(), { maxAttempts: 0 }, RangeError],
    ['fractional attempts', new MemoryStorage(), { maxAttempts: 1.5 }, RangeError],
    ['a negative delay', new MemoryStorage(), { baseDelayMs: -1 }, RangeError],
    ['an infinite cap', new MemoryStorage(), { maxDelayMs: Number.POSITIVE_INFINITY }, RangeError],
    ['a sleep that is not a function', new MemoryStorage(), { sleep: 5 }, TypeError],
    ['a signal that is not a signal', new MemoryStorage(), { signal: {} }, TypeError],
  ])('rejects %s', (_, storage, options, errorType) => {
    expect(() => withRetry(storage as unknown as Storage, options as RetryOptions)).toThrow(errorType);
  });
});

/** A Storage whose unspecified methods fail loudly, for scripting one method's behaviour. */
function stubStorage(methods: Partial<Storage>): Storage {
  const unexpected = () => {
    throw new Error('unexpected call');
  };
  return {
    description: 'stub',
    put: unexpected,
    get: unexpected,
    getStream: unexpected,
    stat: unexpected,
    list: unexpected,
    delete: unexpected,
    ...methods,
  };
}
