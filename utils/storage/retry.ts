import { backoffDelayMs, DEFAULT_BACKOFF } from './backoff';
import { discardPutData, isByteStream, type PutData } from './put-data';
import { sleep as realSleep } from './sleep';
import { type ByteRange, type ObjectInfo, type PutOptions, type Storage, StorageError } from './storage';
import { abortedError } from './storage-errors';

export interface RetryOptions {
  /** Tries per call, the first included (default 8). */
  maxAttempts?: number;
  /** Upper bound of the first wait (default 1000 ms); it doubles per failure. */
  baseDelayMs?: number;
  /** Cap on the backoff window (default 16000 ms). A longer Retry-After still wins. */
  maxDelayMs?: number;
  /**
   * Stops retrying (e.g. the user cancelled the backup job): a pending wait ends at once with
   * StorageError('aborted') and no further attempt starts. An attempt already running is not
   * interrupted; a put's own `PutOptions.signal` does that, and it stops retries too.
   */
  signal?: AbortSignal;
  /** Told before each wait: `attempt` is the number of the attempt that failed (1 for the first). */
  onRetry?: (attempt: number, error: StorageError, delayMs: number) => void;
  /** Injected for tests; must reject (or let the wrapper reject) once `signal` fires. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Injected for tests; a number in `[0, 1)` like Math.random. */
  random?: () => number;
}

/**
 * Wraps `storage` so calls failing with a retryable StorageError (network cut, 5xx, rate limit) are
 * tried again after truncated exponential backoff with full jitter, waiting at least as long as a
 * Retry-After the backend reported. Non-retryable errors, and anything that is not a
 * StorageError, come back at once. After `maxAttempts` the last error is thrown.
 *
 * What is retried:
 * - `get`, `stat`, `delete`, and `put` of a Uint8Array: the whole call (all are idempotent).
 * - `getStream`: opening the stream. An error while reading it reaches the reader, who knows how
 *   far it got and can ask again for the rest with a range.
 * - `list`: a listing that fails part-way is started again and names already yielded are skipped,
 *   so each object still comes once; the attempt count restarts whenever a listing makes progress.
 * - `put` of a ReadableStream: NOT retried. A stream is consumed by the failed attempt and cannot
 *   be replayed, so the call goes straight to the backend, which is expected to resume internally
 *   where it can (Drive's resumable upload sessions). A caller that must survive a failed streaming
 *   put retries at its own level, where it can produce the stream again.
 */
export function withRetry(storage: Storage, options: RetryOptions = {}): Storage {
  return new RetryingStorage(storage, options);
}

class RetryingStorage implements Storage {
  readonly description: string;
  readonly #inner: Storage;
  readonly #maxAttempts: number;
  readonly #policy: { baseDelayMs: number; maxDelayMs: number };
  readonly #signal: AbortSignal | undefined;
  readonly #onRetry: RetryOptions['onRetry'];
  readonly #sleep: NonNullable<RetryOptions['sleep']>;
  readonly #random: () => number;

  constructor(inner: Storage, options: RetryOptions) {
    checkStorage(inner);
    checkOptions(options);
    this.#inner = inner;
    this.description = inner.description;
    this.#maxAttempts = options.maxAttempts ?? DEFAULT_BACKOFF.maxAttempts;
    this.#policy = {
      baseDelayMs: options.baseDelayMs ?? DEFAULT_BACKOFF.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? DEFAULT_BACKOFF.maxDelayMs,
    };
    this.#signal = options.signal;
    this.#onRetry = options.onRetry;
    this.#sleep = options.sleep ?? realSleep;
    this.#random = options.random ?? Math.random;
  }

  async put(name: string, data: PutData, options?: PutOptions): Promise<void> {
    if (!isByteStream(data)) {
      return this.#attempt(() => this.#inner.put(name, data, options), options?.signal);
    }
    try {
      this.#throwIfAborted();
    } catch (error) {
      await discardPutData(data, error);
      throw error;
    }
    return this.#inner.put(name, data, options);
  }

  get(name: string, range?: ByteRange): Promise<Uint8Array> {
    return this.#attempt(() => this.#inner.get(name, range));
  }

  getStream(name: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
    return this.#attempt(() => this.#inner.getStream(name, range));
  }

  stat(name: string): Promise<ObjectInfo | undefined> {
    return this.#attempt(() => this.#inner.stat(name));
  }

  delete(name: string): Promise<void> {
    return this.#attempt(() => this.#inner.delete(name));
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const yielded = new Set<string>();
    let failures = 0;
    for (;;) {
      this.#throwIfAborted();
      const iterator = this.#inner.list(prefix)[Symbol.asyncIterator]();
      let finished = false;
      try {
        for (;;) {
          let next: IteratorResult<ObjectInfo>;
          try {
            next = await iterator.next();
          } catch (error) {
            finished = true; // a failed iterator is done; it needs no return()
            failures += 1;
            await this.#afterFailure(error, failures);
            break;
          }
          if (next.done) {
            finished = true;
            return;
          }
          if (yielded.has(next.value.name)) continue;
          yielded.add(next.value.name);
          failures = 0;
          yield next.value;
        }
      } finally {
        // The consumer stopped early: let the backend release what the listing holds.
        if (!finished) await iterator.return?.();
      }
    }
  }

  async #attempt<T>(operation: () => Promise<T>, callSignal?: AbortSignal): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      this.#throwIfAborted(callSignal);
      try {
        return await operation();
      } catch (error) {
        await this.#afterFailure(error, attempt, callSignal);
      }
    }
  }

  /** Rethrows `error` unless another attempt is allowed; otherwise waits for it. */
  async #afterFailure(error: unknown, failedAttempt: number, callSignal?: AbortSignal): Promise<void> {
    if (!(error instanceof StorageError) || !error.retryable || failedAttempt >= this.#maxAttempts) {
      throw error;
    }
    const delayMs = this.#delayMs(failedAttempt, error);
    try {
      this.#onRetry?.(failedAttempt, error, delayMs);
    } catch {
      // A broken progress display must not turn a storage call into a non-StorageError failure.
    }
    await this.#wait(delayMs, callSignal);
  }

  #delayMs(failedAttempt: number, error: StorageError): number {
    const backoff = backoffDelayMs(failedAttempt, this.#policy, this.#random);
    const retryAfter = error.retryAfterSeconds;
    const askedMs =
      retryAfter !== undefined && Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 0;
    return Math.max(backoff, Math.ceil(askedMs));
  }

  /** Sleeps, ending early when either signal fires even if an injected sleep ignores its signal. */
  async #wait(ms: number, callSignal: AbortSignal | undefined): Promise<void> {
    this.#throwIfAborted(callSignal);
    const signals = [this.#signal, callSignal].filter((signal) => signal !== undefined);
    const stop = new AbortController();
    const relay = (event: Event) => stop.abort((event.target as AbortSignal).reason);
    for (const signal of signals) signal.addEventListener('abort', relay, { once: true });
    const aborted = new Promise<never>((_, reject) => {
      stop.signal.addEventListener('abort', () => reject(abortedError(stop.signal)), { once: true });
    });
    aborted.catch(() => {});
    try {
      await Promise.race([this.#sleep(ms, stop.signal), aborted]);
    } finally {
      for (const signal of signals) signal.removeEventListener('abort', relay);
    }
    this.#throwIfAborted(callSignal);
  }

  #throwIfAborted(callSignal?: AbortSignal): void {
    for (const signal of [this.#signal, callSignal]) {
      if (signal?.aborted) throw abortedError(signal);
    }
  }
}

function checkStorage(storage: Storage): void {
  const methods = ['put', 'get', 'getStream', 'stat', 'list', 'delete'] as const;
  if (
    typeof storage !== 'object' ||
    storage === null ||
    methods.some((m) => typeof storage[m] !== 'function')
  ) {
    throw new TypeError('withRetry needs a Storage to wrap');
  }
}

function checkOptions(options: RetryOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('withRetry options must be an object');
  }
  const { maxAttempts, baseDelayMs, maxDelayMs, onRetry, sleep, random, signal } = options;
  if (maxAttempts !== undefined && (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1)) {
    throw new RangeError(`maxAttempts must be an integer >= 1, got ${maxAttempts}`);
  }
  for (const [label, value] of [
    ['baseDelayMs', baseDelayMs],
    ['maxDelayMs', maxDelayMs],
  ] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(`${label} must be a finite number >= 0, got ${value}`);
    }
  }
  for (const [label, value] of [
    ['onRetry', onRetry],
    ['sleep', sleep],
    ['random', random],
  ] as const) {
    if (value !== undefined && typeof value !== 'function') {
      throw new TypeError(`${label} must be a function`);
    }
  }
  if (signal !== undefined && (typeof signal !== 'object' || signal === null || !('aborted' in signal))) {
    throw new TypeError('signal must be an AbortSignal');
  }
}
