/**
 * Every way a repository operation can fail that a user must understand. The CLI maps codes to
 * exit codes and the extension to messages; `message` is already readable on its own.
 */
export type RepoErrorCode =
  | 'not-a-repository'
  | 'already-initialised'
  | 'unsupported-version'
  | 'wrong-password'
  | 'wrong-recovery-key'
  | 'no-key-slot'
  | 'config-mismatch'
  | 'snapshot-not-found'
  | 'corrupt'
  | 'missing-data'
  | 'invalid-argument';

export class RepoError extends Error {
  override readonly name = 'RepoError';
  readonly code: RepoErrorCode;
  constructor(code: RepoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isRepoError(error: unknown, code?: RepoErrorCode): error is RepoError {
  return error instanceof RepoError && (code === undefined || error.code === code);
}
