import { RestorePageError } from './restore-errors';

/**
 * Turns the page's date fields (`YYYY-MM-DD`, either may be empty) into the archive's selection
 * in unix seconds: from the start of the first day to the end of the last, both inclusive, in
 * this runtime's local zone — the zone the page also writes the archive in, so a day the user
 * picks is the day the archive shows.
 */
export function dayRangeToSelection(fromDay: string, untilDay: string): { from?: number; until?: number } {
  const from = fromDay === '' ? undefined : localMidnight(fromDay, 'start date');
  const lastDay = untilDay === '' ? undefined : localMidnight(untilDay, 'end date');
  const until = lastDay === undefined ? undefined : nextDay(untilDay);
  if (from !== undefined && lastDay !== undefined && from > lastDay) {
    throw new RestorePageError('invalid-argument', 'The start date is after the end date.');
  }
  return { ...(from !== undefined && { from }), ...(until !== undefined && { until }) };
}

function parseDay(day: string, what: string): [number, number, number] {
  const match = typeof day === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) : null;
  if (!match) throw new RestorePageError('invalid-argument', `The ${what} must be a date (YYYY-MM-DD).`);
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(year, month - 1, date);
  if (check.getFullYear() !== year || check.getMonth() !== month - 1 || check.getDate() !== date) {
    throw new RestorePageError('invalid-argument', `The ${what} ${day} is not a day of the calendar.`);
  }
  return [year, month, date];
}

function localMidnight(day: string, what: string): number {
  const [year, month, date] = parseDay(day, what);
  return Math.floor(new Date(year, month - 1, date).getTime() / 1000);
}

function nextDay(day: string): number {
  const [year, month, date] = parseDay(day, 'end date');
  // Date rolls the 32nd over into the next month, and handles DST days of 23 or 25 hours.
  return Math.floor(new Date(year, month - 1, date + 1).getTime() / 1000);
}
