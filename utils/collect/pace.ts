/**
 * Time and concurrency for reading at a human pace (whatsapp-web.md "Limits": automation that
 * hammers the client risks the account; an existing extension caps media downloads at 3).
 * Everything here stops at once when its signal aborts.
 */

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (!Number.isFinite(ms) || ms < 0)
    return Promise.reject(new RangeError('ms must be a non-negative number'));
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A pause of about `ms` (between half and one and a half times it), so requests do not tick
 * like a metronome. `random` is injectable for tests.
 */
export function humanPause(
  ms: number,
  signal?: AbortSignal,
  random: () => number = Math.random,
): Promise<void> {
  if (ms <= 0) return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
  return abortableSleep(Math.round(ms * (0.5 + random())), signal);
}

/** Runs tasks with at most `limit` at a time; `run` resolves with the task's own result. */
export interface Limiter {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks running now (for tests and progress). */
  active(): number;
}

export function createLimiter(limit: number): Limiter {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    active: () => active,
    async run(task) {
      // A finishing task hands its slot straight to the next waiter, so a newcomer arriving in
      // between can never push the count above the limit.
      if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      else active++;
      try {
        return await task();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else active--;
      }
    },
  };
}

/** Rejects with a TimeoutError-named DOMException when `promise` takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new DOMException(`${what} timed out after ${ms} ms`, 'TimeoutError')),
      ms,
    );
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
