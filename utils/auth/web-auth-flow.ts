import { DRIVE_FILE_SCOPE, GOOGLE_AUTHORIZE_URL } from './auth-config';
import { AuthError } from './auth-errors';
import type { IdentityApi } from './identity-api';

/** An access token from Google's implicit flow. */
export interface WebFlowToken {
  token: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  scopes: string[];
}

/**
 * The redirect URI to register with the "Web application" client and send to Google.
 * Chromium browsers: `https://<extension id>.chromiumapp.org/`. Firefox's getRedirectURL() gives
 * `https://<id>.extensions.allizom.org/`, a domain Google does not accept; Firefox (86+) also
 * catches the loopback form `http://127.0.0.1/mozoauth2/<id>`, which Google allows.
 */
export function redirectUriFor(identity: Pick<IdentityApi, 'getRedirectURL'>): string {
  const url = identity.getRedirectURL();
  const firefox = /^https:\/\/([a-z0-9]+)\.extensions\.allizom\.org\/?$/i.exec(url);
  return firefox ? `http://127.0.0.1/mozoauth2/${firefox[1]}` : url;
}

/** Google's authorisation URL for the implicit ("token") flow; `silent` asks for no UI at all. */
export function authorizeUrl(options: {
  clientId: string;
  redirectUri: string;
  state: string;
  silent: boolean;
  authorizeEndpoint?: string;
}): string {
  const url = new URL(options.authorizeEndpoint ?? GOOGLE_AUTHORIZE_URL);
  url.searchParams.set('client_id', options.clientId);
  url.searchParams.set('redirect_uri', options.redirectUri);
  url.searchParams.set('response_type', 'token');
  url.searchParams.set('scope', DRIVE_FILE_SCOPE);
  url.searchParams.set('state', options.state);
  url.searchParams.set('include_granted_scopes', 'true');
  if (options.silent) url.searchParams.set('prompt', 'none');
  return url.toString();
}

/**
 * Reads the redirect Google sent back (`…#access_token=…&state=…`). The state must be the one we
 * sent: otherwise the token may have been injected by somebody else's flow (RFC 6749 §10.12).
 */
export function parseRedirect(redirect: string, expectedState: string, now: number): WebFlowToken {
  let params: URLSearchParams;
  try {
    const url = new URL(redirect);
    // Google answers in the fragment; an error may come in the query instead.
    params = new URLSearchParams(url.hash.replace(/^#/, '') || url.search.replace(/^\?/, ''));
  } catch (error) {
    throw new AuthError('bad-response', 'The sign-in ended on an address that is not a URL', {
      cause: error,
    });
  }
  if (params.get('state') !== expectedState) {
    throw new AuthError(
      'bad-response',
      'The sign-in answer does not belong to the sign-in ChatVault started; nothing was changed',
    );
  }
  const error = params.get('error');
  if (error !== null) throw errorFromGoogle(error, params.get('error_description'));
  const token = params.get('access_token');
  const expiresIn = Number(params.get('expires_in'));
  if (!token || !(expiresIn > 0)) {
    throw new AuthError('bad-response', 'Google’s sign-in answer carried no usable access token');
  }
  const scopes = (params.get('scope') ?? DRIVE_FILE_SCOPE).split(/\s+/).filter((scope) => scope.length > 0);
  if (!scopes.includes(DRIVE_FILE_SCOPE)) {
    throw new AuthError(
      'scope-denied',
      'ChatVault was not allowed to store files in your Google Drive. Sign in again and tick the box that ' +
        'lets ChatVault "see, edit, create and delete only the specific Google Drive files you use with this app".',
    );
  }
  return { token, expiresAt: now + expiresIn * 1000, scopes };
}

/** A random `state` value (128 bits, hex). */
export function newState(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function errorFromGoogle(error: string, description: string | null): AuthError {
  const detail = description ? ` (${description})` : '';
  switch (error) {
    case 'access_denied':
      return new AuthError('cancelled', `The Google sign-in was cancelled${detail}`);
    case 'interaction_required':
    case 'login_required':
    case 'consent_required':
    case 'account_selection_required':
      return new AuthError('sign-in-required', `Google needs you to sign in again${detail}`);
    case 'temporarily_unavailable':
    case 'server_error':
      return new AuthError('unavailable', `Google’s sign-in is unavailable right now${detail}`);
    default:
      return new AuthError('bad-response', `Google refused the sign-in: ${error}${detail}`);
  }
}
