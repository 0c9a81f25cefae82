/**
 * Times in the archive's zone (the same zone as the .txt files), through Intl so the viewer
 * shows what the export says whatever the zone of the computer it is opened on.
 */
export interface TimeFormat {
  /** `14:05` */
  time(seconds: number): string;
  /** `Tuesday, 12 March 2024` */
  day(seconds: number): string;
  /** The same for a `YYYY-MM-DD` day key. */
  dayLabel(dayKey: string): string;
  /** `2024-03-12`: sortable, and what <input type=date> speaks. */
  dayKey(seconds: number): string;
  /** `12/03/2024` */
  shortDate(seconds: number): string;
}

export function createTimeFormat(timeZone: string): TimeFormat {
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const day = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
  const utcDay = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const key = (seconds: number) => {
    const found: Record<string, string> = {};
    for (const part of parts.formatToParts(new Date(seconds * 1000))) found[part.type] = part.value;
    return { year: found.year ?? '0000', month: found.month ?? '01', day: found.day ?? '01' };
  };
  return {
    time: (seconds) => time.format(new Date(seconds * 1000)),
    day: (seconds) => day.format(new Date(seconds * 1000)),
    dayLabel: (dayKey) => {
      const [year, month, date] = dayKey.split('-').map(Number);
      const at = new Date(0);
      at.setUTCFullYear(year ?? 1970, (month ?? 1) - 1, date ?? 1);
      return Number.isNaN(at.getTime()) ? dayKey : utcDay.format(at);
    },
    dayKey: (seconds) => {
      const k = key(seconds);
      return `${k.year.padStart(4, '0')}-${k.month}-${k.day}`;
    },
    shortDate: (seconds) => {
      const k = key(seconds);
      return `${k.day}/${k.month}/${k.year}`;
    },
  };
}

/**
 * The first message on or after a day (`YYYY-MM-DD`), by binary search over time-ordered
 * messages; the last message when the day is after all of them.
 */
export function firstIndexOnOrAfterDay(
  count: number,
  dayKeyAt: (index: number) => string,
  day: string,
): number {
  if (count === 0) return -1;
  let low = 0;
  let high = count;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (dayKeyAt(middle) < day) low = middle + 1;
    else high = middle;
  }
  return Math.min(low, count - 1);
}
