export type AuthErrorCode =
  /** No OAuth client id was built in: the message says which variable to set. */
  | 'not-configured'
  /** The user closed the sign-in window or pressed Cancel. */
  | 'cancelled'
  /** A silent renewal needs the user (never signed in, signed out, or access revoked). */
  | 'sign-in-required'
  /** The user signed in but did not allow access to ChatVault's Drive files. */
  | 'scope-denied'
  /** This browser cannot use the configured sign-in method. */
  | 'unsupported'
  /** The redirect did not come from the flow we started, or made no sense. */
  | 'bad-response'
  /** Google could not be reached; trying again later may work. */
  | 'unavailable';

/** Every failure of utils/auth; `retryable` is read by the Drive backend (drive-api.ts). */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly code: AuthErrorCode;
  readonly retryable: boolean;

  constructor(code: AuthErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.retryable = code === 'unavailable';
  }
}

export function isAuthError(error: unknown, code?: AuthErrorCode): error is AuthError {
  return error instanceof AuthError && (code === undefined || error.code === code);
}
