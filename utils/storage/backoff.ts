/** rclone's pacer for Google Drive: waits of up to 1, 2, 4, 8, then 16 s, eight attempts in all. */
export const DEFAULT_BACKOFF = Object.freeze({ baseDelayMs: 1_000, maxDelayMs: 16_000, maxAttempts: 8 });

export interface BackoffPolicy {
  /** Upper bound of the first wait. */
  baseDelayMs: number;
  /** No wait's upper bound grows past this (the "truncated" in truncated exponential backoff). */
  maxDelayMs: number;
}

/**
 * How long to wait after failed attempt number `failedAttempt` (1 for the first failure):
 * "full jitter", a uniform pick in `[0, min(max, base · 2^(n-1)))`. Spreading retries over the
 * whole window keeps many clients that failed together (one Drive outage) from retrying together.
 * `random` returns a number in `[0, 1)`, like Math.random.
 */
export function backoffDelayMs(failedAttempt: number, policy: BackoffPolicy, random: () => number): number {
  if (!Number.isSafeInteger(failedAttempt) || failedAttempt < 1) {
    throw new RangeError(`failedAttempt must be an integer >= 1, got ${failedAttempt}`);
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(failedAttempt - 1, 52));
  const draw = random();
  if (!(draw >= 0 && draw < 1)) throw new RangeError(`random() must return a number in [0, 1), got ${draw}`);
  return Math.floor(draw * ceiling);
}
