import { describe, expect, it } from 'vitest';
import { snapshotsToKeep } from '@/utils/repo/retention';

/** One snapshot every 6 hours for 70 days from Monday 2024-01-01 00:00 UTC. */
const snapshots = Array.from({ length: 70 * 4 }, (_, i) => ({
  id: `s${String(i).padStart(3, '0')}`,
  time: new Date(Date.UTC(2024, 0, 1) + i * 6 * 3_600_000).toISOString(),
}));
const newest = snapshots.at(-1)!;

describe('retention', () => {
  it('keeps the last N', () => {
    expect([...snapshotsToKeep(snapshots, { last: 3 })].sort()).toEqual(['s277', 's278', 's279']);
  });

  it('keeps the newest snapshot of each of the last N days, ISO weeks and months (UTC)', () => {
    const daily = snapshotsToKeep(snapshots, { daily: 3 });
    // The last snapshot of each day is at 18:00.
    expect([...daily].map((id) => snapshots.find((s) => s.id === id)!.time).sort()).toEqual([
      '2024-03-08T18:00:00.000Z',
      '2024-03-09T18:00:00.000Z',
      '2024-03-10T18:00:00.000Z',
    ]);
    const weekly = [...snapshotsToKeep(snapshots, { weekly: 2 })].map(
      (id) => snapshots.find((s) => s.id === id)!.time,
    );
    // ISO weeks end on Sunday: 2024-03-03 and 2024-03-10 are Sundays.
    expect(weekly.sort()).toEqual(['2024-03-03T18:00:00.000Z', '2024-03-10T18:00:00.000Z']);
    const monthly = [...snapshotsToKeep(snapshots, { monthly: 5 })].map(
      (id) => snapshots.find((s) => s.id === id)!.time,
    );
    expect(monthly.sort()).toEqual(['2024-01-31T18:00:00.000Z', '2024-02-29T18:00:00.000Z', newest.time]);
  });

  it('keeps the union of all rules and nothing else', () => {
    const keep = snapshotsToKeep(snapshots, { last: 1, daily: 2, monthly: 1 });
    expect(keep.size).toBe(2);
    expect(keep.has(newest.id)).toBe(true);
    expect(snapshotsToKeep(snapshots, {}).size).toBe(0);
  });
});
