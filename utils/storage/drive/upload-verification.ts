import { StorageError } from '../storage';
import type { DriveApi } from './drive-api';
import { type DriveFile, deleteDriveFile, FILE_FIELDS, sizeOf } from './drive-files';

/** How uploads retry on their own (a consumed stream cannot be retried by withRetry). */
export interface UploadRetryPolicy {
  /** Failures in a row without progress before the upload gives up. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Checks the file Drive made against what was sent: its size and Drive's own MD5 of the stored
 * bytes. A mismatch means bytes were lost or doubled on the way (or a resume went wrong): the
 * file is deleted again, so nobody reads it, and the put fails with a retryable `corrupt`.
 */
export async function verifyUploadedFile(
  api: DriveApi,
  file: DriveFile,
  sentBytes: number,
  sentMd5: string,
  what: string,
): Promise<DriveFile> {
  if (typeof file?.id !== 'string')
    throw new StorageError('unavailable', `${what}: Drive's answer named no file`);
  let checked = file;
  // Drive has been seen to leave md5Checksum out of an upload's answer; the file itself has it.
  if (checked.md5Checksum === undefined || checked.size === undefined) {
    checked = await api.json<DriveFile>({
      method: 'GET',
      url: `drive/v3/files/${encodeURIComponent(file.id)}`,
      query: { fields: FILE_FIELDS },
      what: `${what} (checking the stored file)`,
    });
  }
  const sizeMatches = sizeOf(checked) === sentBytes;
  const md5Matches = checked.md5Checksum === undefined || checked.md5Checksum === sentMd5;
  if (sizeMatches && md5Matches) return checked;
  await deleteDriveFile(api, checked.id, `${what} (discarding a damaged upload)`).catch(() => {});
  throw new StorageError(
    'corrupt',
    `${what}: Drive stored ${sizeOf(checked)} bytes with MD5 ${checked.md5Checksum ?? '(none)'}, but ` +
      `${sentBytes} bytes with MD5 ${sentMd5} were sent; the damaged file was discarded`,
    { retryable: true },
  );
}
