/**
 * Which snapshots a retention policy keeps (FORMAT §15): the last N, and the newest of each of
 * the last N days / ISO weeks / months, in UTC. Pure: decides, deletes nothing.
 */
export interface RetentionPolicy {
  last?: number;
  daily?: number;
  weekly?: number;
  monthly?: number;
}

export function snapshotsToKeep(
  snapshots: readonly { id: string; time: string }[],
  policy: RetentionPolicy,
): Set<string> {
  const newestFirst = [...snapshots].sort((a, b) => b.time.localeCompare(a.time) || b.id.localeCompare(a.id));
  const keep = new Set<string>();
  for (const s of newestFirst.slice(0, policy.last ?? 0)) keep.add(s.id);
  const byBucket = (count: number | undefined, bucketOf: (date: Date) => string) => {
    if (!count) return;
    const seen = new Set<string>();
    for (const s of newestFirst) {
      const bucket = bucketOf(new Date(s.time));
      if (seen.has(bucket)) continue;
      if (seen.size >= count) break;
      seen.add(bucket);
      keep.add(s.id);
    }
  };
  byBucket(policy.daily, (d) => d.toISOString().slice(0, 10));
  byBucket(policy.weekly, isoWeek);
  byBucket(policy.monthly, (d) => d.toISOString().slice(0, 7));
  return keep;
}

function isoWeek(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
