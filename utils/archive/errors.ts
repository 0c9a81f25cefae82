/**
 * Every way writing a restore archive can fail that a caller must tell apart. Damaged backup
 * data is NOT an error here: the archive is still written and the loss is listed in its
 * problems file; these errors are for calls that cannot produce an archive at all.
 *
 * `invalid-argument`: a caller passed something that is not the documented kind of value.
 * `invalid-time-zone`: the time zone option is not an IANA zone this runtime knows.
 * `invalid-path`: an archive entry path would escape the archive or is not portable.
 * `destination-not-empty`: the folder to write into already holds files.
 * `io`: the destination failed (disk full, permission denied, stream aborted).
 */
export type ArchiveErrorCode =
  | 'invalid-argument'
  | 'invalid-time-zone'
  | 'invalid-path'
  | 'destination-not-empty'
  | 'io';

export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';
  readonly code: ArchiveErrorCode;

  constructor(code: ArchiveErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
  }
}

export function isArchiveError(error: unknown, code?: ArchiveErrorCode): error is ArchiveError {
  return error instanceof ArchiveError && (code === undefined || error.code === code);
}

/**
 * Thrown by an entry's byte stream when its bytes turned out to be damaged part-way through
 * (the backup's media blob failed verification after some bytes were already handed out).
 * Writers must not present the file as whole: the folder writer deletes it, the zip writer
 * ends the entry there (a zip stream cannot take bytes back) and the problems file says so.
 */
export class DamagedEntryError extends Error {
  override readonly name = 'DamagedEntryError';
  readonly path: string;
  /** How many verified bytes had been handed out before the damage was found. */
  readonly bytesDelivered: number;

  constructor(path: string, bytesDelivered: number, options: { cause?: unknown } = {}) {
    super(`${path} is damaged after ${bytesDelivered} bytes`, { cause: options.cause });
    this.path = path;
    this.bytesDelivered = bytesDelivered;
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
