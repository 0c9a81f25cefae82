/**
 * The calendar month (UTC) of a unix-seconds timestamp, as `YYYY-MM`. Backups cut messages into
 * chat × month segments (FORMAT §13) and the catalog indexes messages the same way, so both must
 * agree on it exactly: this is the one definition.
 */
export function monthOf(timestampSeconds: number): string {
  const date = new Date(timestampSeconds * 1000);
  return `${String(date.getUTCFullYear()).padStart(4, '0')}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}
