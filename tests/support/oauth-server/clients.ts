import { invalidArgument } from './oauth-error';

/**
 * An OAuth client registered with the stand-in, like a "Web application" client in Google
 * Cloud console. Google redirects only to a registered URI; for extensions that is
 * `https://<extension id>.chromiumapp.org/…` (what identity.getRedirectURL() returns).
 */
export interface OAuthClient {
  clientId: string;
  /** Shown on the consent page. */
  name?: string;
  /** Exact redirect URIs accepted besides chromiumapp.org ones (e.g. Firefox's). */
  redirectUris?: readonly string[];
  /** Accept https://<id>.chromiumapp.org/… redirects (default true). */
  allowChromiumAppRedirect?: boolean;
  /** Restrict those to these extension ids; any id when omitted. */
  extensionIds?: readonly string[];
}

/** Used when a test registers no client of its own. */
export const DEFAULT_CLIENT_ID = '123456789012-chatvaulttestclient0000000000000.apps.googleusercontent.com';

const CHROMIUM_APP_REDIRECT = /^https:\/\/([a-p]{32})\.chromiumapp\.org\/[^#\s]*$/;

export function checkClient(client: OAuthClient): OAuthClient {
  if (client === null || typeof client !== 'object') throw invalidArgument('A client must be an object');
  if (typeof client.clientId !== 'string' || client.clientId.trim() === '') {
    throw invalidArgument('A client needs a non-empty clientId');
  }
  for (const uri of client.redirectUris ?? []) {
    if (typeof uri !== 'string' || !URL.canParse(uri) || uri.includes('#')) {
      throw invalidArgument(`Invalid redirect URI ${JSON.stringify(uri)}: absolute, without a fragment`);
    }
  }
  for (const id of client.extensionIds ?? []) {
    if (!/^[a-p]{32}$/.test(id)) throw invalidArgument(`Invalid extension id ${JSON.stringify(id)}`);
  }
  return { ...client };
}

export function isAllowedRedirect(client: OAuthClient, redirectUri: string): boolean {
  if (client.redirectUris?.includes(redirectUri)) return true;
  if (client.allowChromiumAppRedirect === false) return false;
  const match = CHROMIUM_APP_REDIRECT.exec(redirectUri);
  if (!match) return false;
  return client.extensionIds === undefined || client.extensionIds.includes(match[1] as string);
}
