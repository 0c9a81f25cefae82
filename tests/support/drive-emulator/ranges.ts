import { badRequest } from './google-errors';

/** A resumable-upload PUT's Content-Range: a chunk, or (`bytes *\/N`) a status query. */
export type UploadRange =
  | { kind: 'status'; total: number | undefined }
  | { kind: 'chunk'; start: number; end: number; total: number | undefined };

/** Parses `bytes s-e/N`, `bytes s-e/*`, `bytes *\/N` or `bytes *\/*`; absent means "the whole file". */
export function parseUploadContentRange(header: string | undefined, bodyLength: number): UploadRange {
  if (header === undefined) {
    // A single PUT with no Content-Range carries the entire content.
    return bodyLength === 0
      ? { kind: 'chunk', start: 0, end: -1, total: 0 }
      : { kind: 'chunk', start: 0, end: bodyLength - 1, total: bodyLength };
  }
  const match = /^bytes\s+(?:(\*)|(\d+)-(\d+))\/(\*|\d+)\s*$/i.exec(header.trim());
  if (!match) throw badRequest('Failed to parse Content-Range header.');
  const total = match[4] === '*' ? undefined : Number(match[4]);
  if (match[1] === '*') return { kind: 'status', total };
  const start = Number(match[2]);
  const end = Number(match[3]);
  if (end < start || (total !== undefined && end >= total))
    throw badRequest('Failed to parse Content-Range header.');
  return { kind: 'chunk', start, end, total };
}

/** A download's Range header resolved against the file size. */
export type ByteRangeRequest = { start: number; end: number } | 'unsatisfiable' | undefined;

/**
 * Parses a single `bytes=a-b`, `bytes=a-` or `bytes=-n` range (RFC 9110). Anything else —
 * multiple ranges, other units, garbage — is ignored and the whole file is sent, which the RFC
 * allows.
 */
export function parseDownloadRange(header: string | undefined, size: number): ByteRangeRequest {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/i.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Number(match[2]);
  if (end < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(end, size - 1) };
}
