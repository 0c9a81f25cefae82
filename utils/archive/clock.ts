import { ArchiveError } from './errors';

/**
 * Wall-clock times for the archive. WhatsApp's export writes local times without saying which
 * zone they are in; we pick one zone for the whole archive (UTC unless the caller names an IANA
 * zone), say which in README.txt and the viewer, and use it for the text export, the
 * attachment names (IMG-YYYYMMDD-…) and the viewer's day separators alike.
 */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export interface ArchiveClock {
  /** The IANA name times are shown in, as the runtime spells it (`UTC`, `Europe/Berlin`). */
  readonly timeZone: string;
  wallTime(seconds: number): WallTime;
  /** `DD/MM/YYYY, HH:MM` — the 24-hour variant of WhatsApp's Android export. */
  exportStamp(seconds: number): string;
  /** `YYYYMMDD`, the day as WhatsApp puts it into attachment names. */
  dayKey(seconds: number): string;
}

export function createArchiveClock(timeZone = 'UTC'): ArchiveClock {
  const zone = resolveTimeZone(timeZone);
  const wallTime = zone === 'UTC' ? utcWallTime : zonedWallTime(zone);
  return {
    timeZone: zone,
    wallTime,
    exportStamp(seconds) {
      const t = wallTime(checkSeconds(seconds));
      return `${pad(t.day, 2)}/${pad(t.month, 2)}/${pad(t.year, 4)}, ${pad(t.hour, 2)}:${pad(t.minute, 2)}`;
    },
    dayKey(seconds) {
      const t = wallTime(checkSeconds(seconds));
      return `${pad(t.year, 4)}${pad(t.month, 2)}${pad(t.day, 2)}`;
    },
  };
}

/** The runtime's canonical spelling of an IANA zone; ArchiveError when it knows no such zone. */
export function resolveTimeZone(timeZone: string): string {
  if (typeof timeZone !== 'string' || timeZone.trim() === '') {
    throw new ArchiveError('invalid-time-zone', 'timeZone must be an IANA time zone name such as "UTC"');
  }
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-GB', { timeZone }).resolvedOptions().timeZone;
  } catch (error) {
    throw new ArchiveError(
      'invalid-time-zone',
      `"${timeZone}" is not a time zone this runtime knows (use an IANA name such as "Europe/Berlin")`,
      { cause: error },
    );
  }
  return resolved === 'Etc/UTC' || resolved === 'Etc/GMT' || resolved === 'GMT' ? 'UTC' : resolved;
}

function checkSeconds(seconds: number): number {
  if (!Number.isFinite(seconds)) {
    throw new ArchiveError('invalid-argument', `a time must be finite unix seconds, got ${seconds}`);
  }
  return seconds;
}

function utcWallTime(seconds: number): WallTime {
  const date = new Date(seconds * 1000);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
  };
}

function zonedWallTime(timeZone: string): (seconds: number) => WallTime {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    // h23, not hour12:false: some engines write midnight as "24" with the latter.
    hourCycle: 'h23',
  });
  // Chats come in time order and many messages share a minute; Intl is the slow part.
  let cachedMinute = Number.NaN;
  let cached: WallTime | undefined;
  return (seconds) => {
    const minute = Math.floor(seconds / 60);
    if (minute === cachedMinute && cached) return cached;
    const parts: Partial<Record<string, number>> = {};
    for (const part of format.formatToParts(new Date(minute * 60_000))) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    cached = {
      year: parts.year ?? 0,
      month: parts.month ?? 1,
      day: parts.day ?? 1,
      hour: parts.hour ?? 0,
      minute: parts.minute ?? 0,
    };
    cachedMinute = minute;
    return cached;
  };
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
