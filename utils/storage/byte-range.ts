import type { ByteRange } from './storage';
import { invalidArgument } from './storage-errors';

/** Half-open interval `[start, end)` of an object's bytes, already clamped to its size. */
export interface ResolvedRange {
  start: number;
  end: number;
}

/** Rejects ranges no backend could serve (negative, fractional, NaN) before any I/O happens. */
export function checkByteRange(range: ByteRange | undefined): void {
  if (range === undefined) return;
  if (typeof range !== 'object' || range === null) {
    throw invalidArgument(`A byte range must be an object, got ${String(range)}`);
  }
  if (!Number.isSafeInteger(range.offset) || range.offset < 0) {
    throw invalidArgument(`Byte range offset must be a non-negative integer, got ${String(range.offset)}`);
  }
  if (range.length !== undefined && (!Number.isSafeInteger(range.length) || range.length < 0)) {
    throw invalidArgument(`Byte range length must be a non-negative integer, got ${String(range.length)}`);
  }
}

/**
 * Applies storage.ts's clamping rule: a range running past the end stops at the end, and one
 * starting past the end is empty. Expects a range that passed `checkByteRange`.
 */
export function resolveByteRange(range: ByteRange | undefined, size: number): ResolvedRange {
  if (range === undefined) return { start: 0, end: size };
  const start = Math.min(range.offset, size);
  const end = range.length === undefined ? size : Math.min(size, start + range.length);
  return { start, end };
}
