import type { IdentityApi } from '@/utils/auth/identity-api';
import type { RunningOAuthServer } from '../../support/oauth-server';

export const EXTENSION_ID = 'abcdefghijklmnopabcdefghijklmnop';
export const REDIRECT_URI = `https://${EXTENSION_ID}.chromiumapp.org/`;

/** What the person in front of the sign-in window does with Google's consent page. */
export type UserChoice = 'allow' | 'deny' | 'close';

/**
 * identity.launchWebAuthFlow as Chromium implements it, against the OAuth stand-in: open the URL,
 * follow redirects until one reaches the extension's redirect URI, and (interactive only) let the
 * user answer a consent page. Silent flows that meet a page fail as Chrome's do.
 */
export function standInIdentity(
  oauth: RunningOAuthServer,
  user: { choice: UserChoice } = { choice: 'allow' },
): IdentityApi & { flows: { url: string; interactive: boolean }[] } {
  const flows: { url: string; interactive: boolean }[] = [];
  const local = (url: string) => url.replace(/^https:\/\/accounts\.google\.com\//, oauth.url);
  return {
    flows,
    getRedirectURL: () => REDIRECT_URI,
    async launchWebAuthFlow({ url, interactive }) {
      flows.push({ url, interactive });
      const first = await fetch(local(url), { redirect: 'manual' });
      if (first.status === 302) return redirectTarget(first);
      const page = await first.text();
      if (!interactive) throw new Error('User interaction required.');
      const requestId = /name="request_id" value="([^"]+)"/.exec(page)?.[1];
      if (!requestId) throw new Error('Authorization page could not be loaded.');
      if (user.choice === 'close') throw new Error('The user did not approve access.');
      const decision = await fetch(`${oauth.url}o/oauth2/v2/auth/consent`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ request_id: requestId, decision: user.choice }).toString(),
      });
      return redirectTarget(decision);
    },
  };
}

function redirectTarget(response: Response): string {
  const location = response.headers.get('location');
  if (!location?.startsWith(REDIRECT_URI)) throw new Error('Authorization page could not be loaded.');
  return location;
}
