/**
 * Search inside one chat: case-insensitive, and blind to Unicode normalisation (a text typed
 * with a decomposed "é" is found by a query with the composed one).
 */
export function normaliseForSearch(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

/** Indexes (ascending) of the haystacks that contain the query; none for a blank query. */
export function findMatches(haystacks: readonly string[], query: string): number[] {
  const needle = normaliseForSearch(query.trim());
  if (needle === '') return [];
  const matches: number[] = [];
  for (let index = 0; index < haystacks.length; index++) {
    if (haystacks[index]!.includes(needle)) matches.push(index);
  }
  return matches;
}

/**
 * Where the query occurs in a text as shown, for highlighting: [start, end) ranges in the
 * original string. Only when lower-casing keeps the length (true for nearly all text);
 * otherwise no ranges, and the message is still marked as a match.
 */
export function highlightRanges(text: string, query: string): [number, number][] {
  const needle = query.trim().toLowerCase();
  const lower = text.toLowerCase();
  if (needle === '' || lower.length !== text.length) return [];
  const ranges: [number, number][] = [];
  for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + needle.length)) {
    ranges.push([at, at + needle.length]);
  }
  return ranges;
}
