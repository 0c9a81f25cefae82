/** Why a call into the OAuth stand-in's own API (not an HTTP request to it) was refused. */
export type OAuthStandInErrorCode = 'invalid-argument' | 'unknown-client' | 'server-closed';

/**
 * Thrown when a test misuses the stand-in (bad options, unknown client id…). Errors that Google
 * would report over HTTP are HTTP responses instead, never exceptions.
 */
export class OAuthStandInError extends Error {
  override readonly name = 'OAuthStandInError';
  readonly code: OAuthStandInErrorCode;

  constructor(code: OAuthStandInErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export function invalidArgument(message: string): OAuthStandInError {
  return new OAuthStandInError('invalid-argument', message);
}
