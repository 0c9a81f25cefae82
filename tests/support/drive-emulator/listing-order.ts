import { createHash } from 'node:crypto';
import { type FileRecord, isFolder } from './file-record';
import { invalidValue } from './google-errors';

/**
 * `orderBy` and `pageToken` for files.list. Paging is keyset-based: a token remembers the sort
 * key of the last file returned, so files added or deleted between pages never make the listing
 * skip or repeat the files that did not change.
 */

export interface SortKey {
  key: string;
  descending: boolean;
}

type SortValue = string | number;

const SORT_KEYS = new Set([
  'createdTime',
  'folder',
  'modifiedByMeTime',
  'modifiedTime',
  'name',
  'name_natural',
  'quotaBytesUsed',
  'recency',
  'sharedWithMeTime',
  'starred',
  'viewedByMeTime',
]);

const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export function parseOrderBy(text: string | null): SortKey[] {
  if (text === null || text.trim() === '') return [];
  return text.split(',').map((part) => {
    const words = part.trim().split(/\s+/);
    const [key, modifier, extra] = words;
    const valid =
      key !== undefined &&
      SORT_KEYS.has(key) &&
      extra === undefined &&
      (modifier === undefined || modifier === 'desc');
    if (!valid) throw invalidValue('orderBy', `Invalid sort key: ${part.trim()}`);
    return { key: key as string, descending: modifier === 'desc' };
  });
}

export function sortValues(record: FileRecord, keys: readonly SortKey[]): SortValue[] {
  return keys.map(({ key }) => {
    switch (key) {
      case 'createdTime':
        return record.createdTime;
      case 'folder':
        // Folders first, as Drive's UI and API order them.
        return isFolder(record) ? 0 : 1;
      case 'name':
      case 'name_natural':
        return record.name;
      case 'quotaBytesUsed':
        return record.content?.size ?? 0;
      case 'starred':
        return record.starred ? 1 : 0;
      case 'sharedWithMeTime':
        return 0;
      default:
        return record.modifiedTime;
    }
  });
}

/** Total order: the sort keys, then creation order as the tie-breaker. */
export function compareSortTuples(
  keys: readonly SortKey[],
  a: { values: SortValue[]; seq: number },
  b: { values: SortValue[]; seq: number },
): number {
  for (const [index, sortKey] of keys.entries()) {
    const order = compareValues(sortKey.key, a.values[index], b.values[index]);
    if (order !== 0) return sortKey.descending ? -order : order;
  }
  return a.seq - b.seq;
}

function compareValues(key: string, a: SortValue | undefined, b: SortValue | undefined): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a ?? '');
  const right = String(b ?? '');
  if (key === 'name_natural') return natural.compare(left, right);
  // "alphabetical ordering, so 1, 12, 2, 22": case-folded code-point order.
  const folded = compareStrings(left.toLowerCase(), right.toLowerCase());
  return folded !== 0 ? folded : compareStrings(left, right);
}

function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

export interface PageCursor {
  values: SortValue[];
  seq: number;
}

/** Ties a token to the listing it came from; Drive rejects a token reused with another query. */
export function listingSignature(parts: readonly (string | null)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 12);
}

export function encodePageToken(cursor: PageCursor, signature: string): string {
  return Buffer.from(JSON.stringify({ c: cursor.values, s: cursor.seq, h: signature })).toString('base64url');
}

export function decodePageToken(token: string, signature: string, keyCount: number): PageCursor {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      c?: unknown;
      s?: unknown;
      h?: unknown;
    };
    const values = parsed.c;
    const valid =
      parsed.h === signature &&
      typeof parsed.s === 'number' &&
      Array.isArray(values) &&
      values.length === keyCount &&
      values.every((value) => typeof value === 'string' || typeof value === 'number');
    if (valid) return { values: values as SortValue[], seq: parsed.s as number };
  } catch {
    // Falls through to the same error as a well-formed but foreign token.
  }
  throw invalidValue('pageToken');
}
