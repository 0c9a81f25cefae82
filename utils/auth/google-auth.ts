import {
  DRIVE_FILE_SCOPE,
  GOOGLE_REVOKE_URL,
  type GoogleAuthConfig,
  isConfigured,
  notConfiguredMessage,
} from './auth-config';
import { AuthError, isAuthError } from './auth-errors';
import { type AuthStore, type FetchLike, type IdentityApi, memoryAuthStore } from './identity-api';
import { authorizeUrl, newState, parseRedirect, redirectUriFor, type WebFlowToken } from './web-auth-flow';

export type SignInMethod = 'chrome-identity' | 'web-auth-flow';

export interface AuthStatus {
  configured: boolean;
  /** When not configured: exactly what to set at build time. */
  help?: string;
  signedIn: boolean;
  method?: SignInMethod;
  /** When the current token of a web-flow sign-in expires (ms since the epoch). */
  expiresAt?: number;
}

export interface GoogleAuthOptions {
  config: GoogleAuthConfig;
  /** The browser's identity API; undefined where the browser has none. */
  identity: IdentityApi | undefined;
  /** Where the one-hour web-flow token is cached: storage.session (memory, not disk). */
  tokenStore?: AuthStore;
  /** Where "this user signed in, with this method" is kept: storage.local. */
  accountStore?: AuthStore;
  /** For revoking a token at sign-out. */
  fetch?: FetchLike;
  now?: () => number;
  newState?: () => string;
  authorizeEndpoint?: string;
  revokeEndpoint?: string;
}

interface AccountRecord {
  method: SignInMethod;
  signedInAt: number;
}

interface CachedToken extends WebFlowToken {
  method: SignInMethod;
}

const ACCOUNT_KEY = 'chatvault.auth.account';
const TOKEN_KEY = 'chatvault.auth.token';
const UNSUPPORTED_KEY = 'chatvault.auth.getAuthTokenUnsupported';
// A token this close to expiry is renewed first, so no Drive request starts with a dying token.
const EXPIRY_MARGIN_MS = 2 * 60 * 1000;

/**
 * Google sign-in for the extension, and the access-token source of the Drive backend.
 *
 * Two ways in: identity.getAuthToken where it works (Google Chrome with a "Chrome extension"
 * client: Chrome keeps and renews the token itself), and identity.launchWebAuthFlow with Google's
 * implicit flow everywhere else (a one-hour token, renewed silently with `prompt=none`, a random
 * `state` checked on return). When getAuthToken exists but fails for a reason other than the user
 * saying no (Edge, Brave and Opera have the function without Google's sign-in behind it), the web
 * flow takes over and the choice is remembered.
 */
export class GoogleAuth {
  readonly #config: GoogleAuthConfig;
  readonly #identity: IdentityApi | undefined;
  readonly #tokens: AuthStore;
  readonly #accounts: AuthStore;
  readonly #fetch: FetchLike;
  readonly #now: () => number;
  readonly #newState: () => string;
  readonly #authorizeEndpoint: string | undefined;
  readonly #revokeEndpoint: string;
  #renewal: Promise<string> | undefined;

  constructor(options: GoogleAuthOptions) {
    checkOptions(options);
    this.#config = options.config;
    this.#identity = options.identity;
    this.#tokens = options.tokenStore ?? memoryAuthStore();
    this.#accounts = options.accountStore ?? memoryAuthStore();
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#now = options.now ?? Date.now;
    this.#newState = options.newState ?? newState;
    this.#authorizeEndpoint = options.authorizeEndpoint;
    this.#revokeEndpoint = options.revokeEndpoint ?? GOOGLE_REVOKE_URL;
  }

  /** The redirect URI to register with the "Web application" client (README). */
  redirectUri(): string | undefined {
    return this.#identity ? redirectUriFor(this.#identity) : undefined;
  }

  async status(): Promise<AuthStatus> {
    if (!isConfigured(this.#config) || !this.#identity) {
      return { configured: false, help: this.#notConfigured().message, signedIn: false };
    }
    const account = await this.#account();
    if (!account) return { configured: true, signedIn: false };
    const cached = await this.#cachedToken();
    return { configured: true, signedIn: true, method: account.method, expiresAt: cached?.expiresAt };
  }

  /** Interactive sign-in (a click in the settings page): a window from Google, then a token. */
  async signIn(): Promise<AuthStatus> {
    const identity = this.#requireIdentity();
    if (await this.#canUseChromeIdentity(identity)) {
      try {
        await this.#chromeToken(identity, true);
        await this.#accounts.set(ACCOUNT_KEY, { method: 'chrome-identity', signedInAt: this.#now() });
        return this.status();
      } catch (error) {
        if (!isAuthError(error, 'unsupported')) throw error;
        if (this.#config.webClientId === undefined) throw needsWebClient(error.message, error);
        await this.#accounts.set(UNSUPPORTED_KEY, true);
      }
    }
    if (this.#config.webClientId === undefined) {
      throw needsWebClient('This browser cannot use Chrome’s built-in Google sign-in.');
    }
    const token = await this.#webFlow(identity, this.#config.webClientId, true);
    await this.#accounts.set(ACCOUNT_KEY, { method: 'web-auth-flow', signedInAt: this.#now() });
    await this.#tokens.set(TOKEN_KEY, { ...token, method: 'web-auth-flow' } satisfies CachedToken);
    return this.status();
  }

  /** A usable token, renewed silently when needed; `sign-in-required` when only the user can help. */
  async getToken(): Promise<string> {
    const identity = this.#requireIdentity();
    const account = await this.#account();
    if (!account) {
      throw new AuthError(
        'sign-in-required',
        'ChatVault is not connected to Google Drive yet: connect it in ChatVault’s settings.',
      );
    }
    if (account.method === 'chrome-identity') return this.#chromeToken(identity, false);
    const cached = await this.#cachedToken();
    if (cached && cached.expiresAt - this.#now() > EXPIRY_MARGIN_MS) return cached.token;
    return this.#renewSilently(identity);
  }

  /** Drive refused `staleToken`: drop it wherever it is cached and get another without the user. */
  async refreshToken(staleToken: string): Promise<string> {
    const identity = this.#requireIdentity();
    const account = await this.#account();
    if (!account)
      throw new AuthError(
        'sign-in-required',
        'ChatVault was disconnected from Google Drive; connect it again in its settings.',
      );
    if (account.method === 'chrome-identity') {
      await identity.removeCachedAuthToken?.({ token: staleToken });
      const fresh = await this.#chromeToken(identity, false);
      if (fresh === staleToken)
        throw new AuthError('sign-in-required', 'Google keeps offering a refused token; sign in again.');
      return fresh;
    }
    const cached = await this.#cachedToken();
    // Another request may have renewed it already: use that rather than renewing twice.
    if (cached && cached.token !== staleToken && cached.expiresAt - this.#now() > EXPIRY_MARGIN_MS)
      return cached.token;
    if (cached?.token === staleToken) await this.#tokens.remove(TOKEN_KEY);
    return this.#renewSilently(identity);
  }

  /** Revokes the grant at Google and forgets every token; `revoked` says whether Google confirmed. */
  async signOut(): Promise<{ revoked: boolean }> {
    const identity = this.#identity;
    const account = await this.#account();
    let token = (await this.#cachedToken())?.token;
    if (!token && account?.method === 'chrome-identity' && identity?.getAuthToken) {
      token = await this.#chromeToken(identity, false).catch(() => undefined);
    }
    const revoked = token ? await this.#revoke(token) : false;
    if (token && account?.method === 'chrome-identity') await identity?.removeCachedAuthToken?.({ token });
    await identity?.clearAllCachedAuthTokens?.().catch(() => {});
    await this.#tokens.remove(TOKEN_KEY);
    await this.#accounts.remove(ACCOUNT_KEY);
    return { revoked };
  }

  #renewSilently(identity: IdentityApi): Promise<string> {
    // Many requests may find the token expired at once; they share one renewal.
    this.#renewal ??= (async () => {
      try {
        const clientId = this.#config.webClientId;
        if (clientId === undefined) throw this.#notConfigured();
        const token = await this.#webFlow(identity, clientId, false);
        await this.#tokens.set(TOKEN_KEY, { ...token, method: 'web-auth-flow' } satisfies CachedToken);
        return token.token;
      } finally {
        this.#renewal = undefined;
      }
    })();
    return this.#renewal;
  }

  async #webFlow(identity: IdentityApi, clientId: string, interactive: boolean): Promise<WebFlowToken> {
    const state = this.#newState();
    const url = authorizeUrl({
      clientId,
      redirectUri: redirectUriFor(identity),
      state,
      silent: !interactive,
      authorizeEndpoint: this.#authorizeEndpoint,
    });
    let redirect: string | undefined;
    try {
      redirect = await identity.launchWebAuthFlow({ url, interactive });
    } catch (error) {
      throw flowError(error, interactive);
    }
    if (!redirect) throw flowError(new Error('The sign-in window closed without an answer'), interactive);
    return parseRedirect(redirect, state, this.#now());
  }

  async #chromeToken(identity: IdentityApi, interactive: boolean): Promise<string> {
    let answer: Awaited<ReturnType<NonNullable<IdentityApi['getAuthToken']>>>;
    try {
      answer = await (identity.getAuthToken as NonNullable<IdentityApi['getAuthToken']>)({
        interactive,
        scopes: [DRIVE_FILE_SCOPE],
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/did not approve|cancel/i.test(message)) {
        throw new AuthError(interactive ? 'cancelled' : 'sign-in-required', `Google sign-in: ${message}`, {
          cause: error,
        });
      }
      if (!interactive)
        throw new AuthError('sign-in-required', `Google sign-in needs you again: ${message}`, {
          cause: error,
        });
      throw new AuthError('unsupported', `Chrome’s built-in Google sign-in failed here (${message}).`, {
        cause: error,
      });
    }
    const token = typeof answer === 'string' ? answer : answer?.token;
    if (!token) throw new AuthError('sign-in-required', 'Chrome’s Google sign-in gave no token');
    const granted = typeof answer === 'object' ? answer.grantedScopes : undefined;
    if (granted && !granted.includes(DRIVE_FILE_SCOPE)) {
      throw new AuthError(
        'scope-denied',
        'ChatVault was not allowed to store files in your Google Drive. Connect again and allow it.',
      );
    }
    return token;
  }

  async #canUseChromeIdentity(identity: IdentityApi): Promise<boolean> {
    if (this.#config.chromeClientId === undefined || typeof identity.getAuthToken !== 'function')
      return false;
    return (await this.#accounts.get(UNSUPPORTED_KEY)) !== true;
  }

  async #revoke(token: string): Promise<boolean> {
    try {
      const response = await this.#fetch(this.#revokeEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }).toString(),
      });
      await response.body?.cancel().catch(() => {});
      return response.ok;
    } catch {
      return false;
    }
  }

  async #account(): Promise<AccountRecord | undefined> {
    const value = (await this.#accounts.get(ACCOUNT_KEY)) as AccountRecord | undefined;
    return value && (value.method === 'chrome-identity' || value.method === 'web-auth-flow')
      ? value
      : undefined;
  }

  async #cachedToken(): Promise<CachedToken | undefined> {
    const value = (await this.#tokens.get(TOKEN_KEY)) as CachedToken | undefined;
    return value && typeof value.token === 'string' && typeof value.expiresAt === 'number'
      ? value
      : undefined;
  }

  #requireIdentity(): IdentityApi {
    if (!isConfigured(this.#config) || !this.#identity) throw this.#notConfigured();
    return this.#identity;
  }

  #notConfigured(): AuthError {
    if (!this.#identity) {
      return new AuthError(
        'unsupported',
        'This browser has no identity API, so ChatVault cannot sign in to Google here.',
      );
    }
    return new AuthError('not-configured', notConfiguredMessage(redirectUriFor(this.#identity)));
  }
}

function needsWebClient(reason: string, cause?: unknown): AuthError {
  return new AuthError(
    'unsupported',
    `${reason} Build ChatVault with WXT_GOOGLE_WEB_CLIENT_ID (a "Web application" OAuth client) so it can ` +
      'sign in here; README, "Google Drive and sign-in", explains how.',
    { cause },
  );
}

/** What a rejected launchWebAuthFlow means (browsers say it only in words). */
function flowError(error: unknown, interactive: boolean): AuthError {
  const message = error instanceof Error ? error.message : String(error);
  if (/could not be loaded|network|timed? ?out/i.test(message)) {
    return new AuthError('unavailable', `Google’s sign-in page could not be reached: ${message}`, {
      cause: error,
    });
  }
  if (interactive && /did not approve|cancel|closed|denied/i.test(message)) {
    return new AuthError('cancelled', `The Google sign-in was cancelled: ${message}`, { cause: error });
  }
  return new AuthError(
    interactive ? 'bad-response' : 'sign-in-required',
    interactive ? `The Google sign-in failed: ${message}` : `Google needs you to sign in again: ${message}`,
    { cause: error },
  );
}

function checkOptions(options: GoogleAuthOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('GoogleAuth needs an options object');
  if (typeof options.config !== 'object' || options.config === null)
    throw new TypeError('GoogleAuth needs a config');
  const identity = options.identity;
  if (
    identity !== undefined &&
    (typeof identity.launchWebAuthFlow !== 'function' || typeof identity.getRedirectURL !== 'function')
  ) {
    throw new TypeError('identity must provide launchWebAuthFlow() and getRedirectURL()');
  }
  for (const key of ['tokenStore', 'accountStore'] as const) {
    const store = options[key];
    if (
      store !== undefined &&
      (typeof store?.get !== 'function' ||
        typeof store.set !== 'function' ||
        typeof store.remove !== 'function')
    ) {
      throw new TypeError(`${key} must have get(), set() and remove()`);
    }
  }
  for (const key of ['fetch', 'now', 'newState'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'function')
      throw new TypeError(`${key} must be a function`);
  }
}
