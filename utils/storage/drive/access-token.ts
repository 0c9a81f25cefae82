/**
 * Where the Drive backend gets its OAuth access token. Injected: the extension passes its
 * Google sign-in (utils/auth), tests pass a token from the OAuth stand-in. The backend never
 * starts an interactive sign-in itself; it only asks for a token and, after a 401, a fresh one.
 */
export interface AccessTokenSource {
  /** A usable access token (cached or silently renewed); rejects when the user must sign in. */
  getToken(): Promise<string>;
  /**
   * Drive refused `staleToken` (401: expired early, revoked): forget it and return another one,
   * obtained without user interaction, or reject when that is impossible.
   */
  refreshToken(staleToken: string): Promise<string>;
}

export function isAccessTokenSource(value: unknown): value is AccessTokenSource {
  const source = value as AccessTokenSource | null;
  return (
    typeof source === 'object' &&
    source !== null &&
    typeof source.getToken === 'function' &&
    typeof source.refreshToken === 'function'
  );
}

/** A fixed token, for the CLI and tests that hold a token from elsewhere. Refreshing cannot help it. */
export function staticAccessToken(token: string): AccessTokenSource {
  if (typeof token !== 'string' || token.length === 0)
    throw new TypeError('An access token must be a non-empty string');
  return {
    getToken: async () => token,
    refreshToken: async () => {
      throw new Error('The access token was refused and this token source cannot renew it');
    },
  };
}
