/**
 * Pure pieces of the DOM reader: the `data-pre-plain-text` prefix (`[HH:MM, DD/MM/YYYY] Sender: `,
 * with the order of day and month and the 12/24-hour clock depending on the locale, and no
 * sender since May 2026), and merging the snapshots of a virtualised timeline into one order.
 */
export interface StampParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** The sender the prefix names, when it names one. */
  sender?: string;
}

const STAMP =
  /^\[(\d{1,2})[:.](\d{2})(?:\s*([AaPp])\.?\s*[Mm]\.?)?,\s*(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})\]\s*/;

/**
 * Parses a prefix. `monthFirst` decides `a/b/yyyy` when neither number is above 12 (en-US writes
 * M/D, most others D/M); with a 12-hour clock and no hint, month first is assumed.
 */
export function parsePrePlainText(text: string, monthFirst?: boolean): StampParts | undefined {
  if (typeof text !== 'string') return undefined;
  const match = STAMP.exec(text);
  if (!match) return undefined;
  const [, h, m, meridiem, a, b, c] = match as unknown as string[];
  let hour = Number(h);
  const minute = Number(m);
  if (meridiem) {
    const pm = meridiem.toLowerCase() === 'p';
    if (hour === 12) hour = pm ? 12 : 0;
    else if (pm) hour += 12;
  }
  let year: number;
  let month: number;
  let day: number;
  const first = Number(a);
  const second = Number(b);
  const third = Number(c);
  if (a!.length === 4) {
    [year, month, day] = [first, second, third];
  } else {
    year = c!.length <= 2 ? 2000 + third : third;
    const preferMonthFirst = monthFirst ?? Boolean(meridiem);
    if (first > 12) [day, month] = [first, second];
    else if (second > 12) [month, day] = [first, second];
    else [month, day] = preferMonthFirst ? [first, second] : [second, first];
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return undefined;
  const rest = text.slice(match[0].length);
  const sender = rest.endsWith(': ') ? rest.slice(0, -2) : rest.endsWith(':') ? rest.slice(0, -1) : undefined;
  return { year, month, day, hour, minute, ...(sender ? { sender } : {}) };
}

/** Seconds since the epoch of a prefix, read in the browser's own time zone (as the page wrote it). */
export function localSeconds(parts: StampParts): number {
  return Math.floor(
    new Date(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute).getTime() / 1000,
  );
}

/**
 * Merges one snapshot of rendered rows (ids top to bottom) into the order known so far (oldest
 * first). Rows shared with the known order anchor the new ones; a snapshot with nothing in
 * common is older than everything (the reader scrolls upwards).
 */
export function mergeSnapshot(order: string[], snapshot: readonly string[]): string[] {
  const known = new Set(order);
  const anchor = snapshot.findIndex((id) => known.has(id));
  if (anchor < 0) return [...snapshot.filter((id, i) => snapshot.indexOf(id) === i), ...order];
  const result = [...order];
  const place = new Set(order);
  // Rows above the first shared one go right before it, in their order.
  const before = snapshot.slice(0, anchor).filter((id) => !place.has(id));
  result.splice(result.indexOf(snapshot[anchor]!), 0, ...before);
  for (const id of before) place.add(id);
  // Rows below it go right after the row above them.
  let previous = snapshot[anchor]!;
  for (const id of snapshot.slice(anchor + 1)) {
    if (!place.has(id)) {
      result.splice(result.indexOf(previous) + 1, 0, id);
      place.add(id);
    }
    previous = id;
  }
  return result;
}

/** A short, stable, digits-only hash (FNV-1a), for synthetic ids. */
export function digitsHash(text: string, length = 15): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    a = Math.imul(a ^ text.charCodeAt(i), 0x01000193) >>> 0;
    b = Math.imul(b ^ text.charCodeAt(i), 0x811c9dc5) >>> 0;
  }
  return `9${(a.toString().padStart(10, '0') + b.toString().padStart(10, '0')).slice(0, length - 1)}`;
}
