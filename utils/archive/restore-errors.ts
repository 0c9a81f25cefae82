/**
 * Why the restore page could not go on, each with a code the page can act on and a message it can
 * show as it is. Damaged backup data is not one of these: the archive reports it and carries on.
 *
 * `invalid-argument`: a caller passed something that is not the documented kind of value.
 * `drive-token`: the background could not hand out a Drive token (not signed in, revoked, …).
 * `cancelled`: the user closed the save dialog.
 * `write-failed`: the chosen file or the download could not be written.
 */
export type RestorePageErrorCode = 'invalid-argument' | 'drive-token' | 'cancelled' | 'write-failed';

export class RestorePageError extends Error {
  override readonly name = 'RestorePageError';
  readonly code: RestorePageErrorCode;
  /** For `drive-token`: the background's own failure code (e.g. `sign-in-required`). */
  readonly reason?: string;

  constructor(
    code: RestorePageErrorCode,
    message: string,
    options: { cause?: unknown; reason?: string } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.reason = options.reason;
  }
}

export function isRestorePageError(error: unknown, code?: RestorePageErrorCode): error is RestorePageError {
  return error instanceof RestorePageError && (code === undefined || error.code === code);
}
