// Maps Node file-system errors (errno codes) onto the storage error vocabulary. Used by FolderStorage;
// it imports no Node API itself, so it needs no .node.ts suffix.
import { StorageError, type StorageErrorCode } from './storage';

const CODES_BY_ERRNO: Readonly<Record<string, StorageErrorCode>> = {
  ENOENT: 'not-found',
  ENOTDIR: 'not-found',
  ENOSPC: 'quota-exceeded',
  EDQUOT: 'quota-exceeded',
  EFBIG: 'quota-exceeded',
  EACCES: 'forbidden',
  EPERM: 'forbidden',
  EROFS: 'forbidden',
  // Conditions that pass: too many open files, a busy or slow network mount, a stale NFS handle.
  EMFILE: 'unavailable',
  ENFILE: 'unavailable',
  EAGAIN: 'unavailable',
  EBUSY: 'unavailable',
  ETIMEDOUT: 'unavailable',
  ESTALE: 'unavailable',
};

/** The `code` of a Node system error (`ENOENT`, …), or undefined for anything else. */
export function errnoOf(error: unknown): string | undefined {
  // StorageError has a `code` too, but never an errno one.
  if (typeof error !== 'object' || error === null || error instanceof StorageError) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turns a file-system failure into a StorageError whose code tells the caller what to do
 * (`forbidden`: fix permissions; `quota-exceeded`: free space; `unavailable`: try again).
 * `overrides` adjusts codes whose meaning depends on the operation (ENOENT during a put is not
 * a missing object). StorageErrors pass through unchanged.
 */
export function folderError(
  error: unknown,
  doing: string,
  overrides: Readonly<Record<string, StorageErrorCode>> = {},
): StorageError {
  if (error instanceof StorageError) return error;
  const errno = errnoOf(error);
  const code = (errno && (overrides[errno] ?? CODES_BY_ERRNO[errno])) || 'internal';
  const detail = error instanceof Error ? error.message : String(error);
  return new StorageError(code, `${doing} failed: ${detail}`, { cause: error });
}
