import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffDelayMs, DEFAULT_BACKOFF } from '@/utils/storage/backoff';
import { sleep } from '@/utils/storage/sleep';
import { isStorageError } from '@/utils/storage/storage';
import { rejectionOf } from './helpers';

describe('backoffDelayMs', () => {
  it('doubles the window from 1 s up to a 16 s cap (rclone’s schedule)', () => {
    const top = () => 0.999_999_999;
    const windows = [1, 2, 3, 4, 5, 6, 8, 60].map(
      (attempt) => backoffDelayMs(attempt, DEFAULT_BACKOFF, top) + 1,
    );
    expect(windows).toEqual([1000, 2000, 4000, 8000, 16_000, 16_000, 16_000, 16_000]);
  });

  it('waits nothing when random() is 0 (full jitter reaches down to zero)', () => {
    expect(backoffDelayMs(5, DEFAULT_BACKOFF, () => 0)).toBe(0);
  });

  it('stays inside [0, min(cap, base · 2^(n-1))) for any attempt and draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (attempt, draw, baseDelayMs, maxDelayMs) => {
          const delay = backoffDelayMs(attempt, { baseDelayMs, maxDelayMs }, () => draw);
          const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
          return Number.isInteger(delay) && delay >= 0 && delay < ceiling;
        },
      ),
    );
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects attempt %s', (attempt) => {
    expect(() => backoffDelayMs(attempt, DEFAULT_BACKOFF, Math.random)).toThrow(RangeError);
  });

  it.each([1, -0.1, Number.NaN])('rejects a random() that returns %s', (draw) => {
    expect(() => backoffDelayMs(1, DEFAULT_BACKOFF, () => draw)).toThrow(RangeError);
  });
});

describe('sleep', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves after the time has passed', async () => {
    vi.useFakeTimers();
    let done = false;
    const waiting = sleep(1000).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await waiting;
    expect(done).toBe(true);
  });

  it('rejects with aborted at once when the signal fires, and clears its timer', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort();
    expect(isStorageError(await rejectionOf(waiting), 'aborted')).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with aborted when the signal has already fired', async () => {
    expect(isStorageError(await rejectionOf(sleep(10, AbortSignal.abort())), 'aborted')).toBe(true);
  });
});
