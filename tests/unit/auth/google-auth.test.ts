import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authConfigFromEnvironment, DRIVE_FILE_SCOPE } from '@/utils/auth/auth-config';
import { AuthError } from '@/utils/auth/auth-errors';
import { GoogleAuth, type GoogleAuthOptions } from '@/utils/auth/google-auth';
import { type IdentityApi, memoryAuthStore } from '@/utils/auth/identity-api';
import {
  createTokenRegistry,
  type RunningOAuthServer,
  startOAuthServer,
  type TokenRegistry,
} from '../../support/oauth-server';
import { rejectionOf } from '../storage/helpers';
import { EXTENSION_ID, REDIRECT_URI, standInIdentity, type UserChoice } from './stand-in-identity';

const WEB_CLIENT = '1234-web.apps.googleusercontent.com';
const CHROME_CLIENT = '1234-chrome.apps.googleusercontent.com';

let now: number;
let registry: TokenRegistry;
let oauth: RunningOAuthServer;
let user: { choice: UserChoice };

beforeEach(async () => {
  now = Date.parse('2026-02-01T12:00:00Z');
  registry = createTokenRegistry({ clock: () => now });
  oauth = await startOAuthServer({
    tokens: registry,
    clients: [{ clientId: WEB_CLIENT, extensionIds: [EXTENSION_ID] }],
  });
  user = { choice: 'allow' };
});

afterEach(async () => {
  await oauth.close();
});

function webAuth(overrides: Partial<GoogleAuthOptions> = {}) {
  const identity = standInIdentity(oauth, user);
  const auth = new GoogleAuth({
    config: { webClientId: WEB_CLIENT },
    identity,
    tokenStore: memoryAuthStore(),
    accountStore: memoryAuthStore(),
    fetch: (input, init) => fetch(input.replace('https://oauth2.googleapis.com/', oauth.url), init),
    now: () => now,
    ...overrides,
  });
  return { auth, identity };
}

describe('configuration', () => {
  it('without a client id, says exactly what to configure, with this extension’s redirect URI', async () => {
    const { auth } = webAuth({ config: {} });
    const status = await auth.status();
    expect(status).toMatchObject({ configured: false, signedIn: false });
    expect(status.help).toContain('WXT_GOOGLE_WEB_CLIENT_ID');
    expect(status.help).toContain('WXT_GOOGLE_CLIENT_ID');
    expect(status.help).toContain(REDIRECT_URI);
    expect(status.help).toContain('"Web application"');
    for (const call of [() => auth.signIn(), () => auth.getToken()]) {
      expect(await rejectionOf(call())).toMatchObject({ name: 'AuthError', code: 'not-configured' });
    }
  });

  it('reads client ids from the build-time variables, ignoring blanks and malformed values', () => {
    expect(
      authConfigFromEnvironment({ WXT_GOOGLE_WEB_CLIENT_ID: ` ${WEB_CLIENT} `, WXT_GOOGLE_CLIENT_ID: '' }),
    ).toEqual({
      webClientId: WEB_CLIENT,
      chromeClientId: undefined,
    });
    expect(
      authConfigFromEnvironment({ WXT_GOOGLE_CLIENT_ID: 'paste "your id" here' }).chromeClientId,
    ).toBeUndefined();
    expect(authConfigFromEnvironment({}).webClientId).toBeUndefined();
  });

  it('refuses malformed options with a TypeError', () => {
    expect(() => new GoogleAuth(undefined as never)).toThrow(TypeError);
    expect(() => new GoogleAuth({ config: {}, identity: {} as IdentityApi })).toThrow(/launchWebAuthFlow/);
    expect(() => new GoogleAuth({ config: {}, identity: undefined, tokenStore: {} as never })).toThrow(
      /tokenStore/,
    );
  });
});

describe('sign-in with launchWebAuthFlow', () => {
  it('signs in through Google’s consent page and caches the one-hour token', async () => {
    const { auth, identity } = webAuth();
    expect(await auth.status()).toEqual({ configured: true, signedIn: false });
    const status = await auth.signIn();
    expect(status).toEqual({
      configured: true,
      signedIn: true,
      method: 'web-auth-flow',
      expiresAt: now + 3600_000,
    });
    expect(oauth.server.counters.consentPagesShown).toBe(1);
    const token = await auth.getToken();
    const check = registry.check(token);
    expect(check.valid && check.record.scopes).toEqual([DRIVE_FILE_SCOPE]);
    expect(await auth.getToken()).toBe(token);
    expect(identity.flows).toHaveLength(1);
    const sent = new URL(identity.flows[0]?.url as string);
    expect(Object.fromEntries(sent.searchParams)).toMatchObject({
      client_id: WEB_CLIENT,
      redirect_uri: REDIRECT_URI,
      response_type: 'token',
      scope: DRIVE_FILE_SCOPE,
    });
    expect(sent.searchParams.get('state')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('renews silently (prompt=none) shortly before the token expires, without the user', async () => {
    const { auth, identity } = webAuth();
    await auth.signIn();
    const first = await auth.getToken();
    now += 59 * 60_000;
    const second = await auth.getToken();
    expect(second).not.toBe(first);
    expect(identity.flows.at(-1)).toMatchObject({ interactive: false });
    expect(new URL(identity.flows.at(-1)?.url as string).searchParams.get('prompt')).toBe('none');
    expect(oauth.server.counters.consentPagesShown).toBe(1);
  });

  it('replaces a token Drive refused, once, however many requests were refused together', async () => {
    const { auth } = webAuth();
    await auth.signIn();
    const stale = await auth.getToken();
    const issued = oauth.server.counters.tokensIssued;
    const fresh = await Promise.all([
      auth.refreshToken(stale),
      auth.refreshToken(stale),
      auth.refreshToken(stale),
    ]);
    expect(new Set(fresh).size).toBe(1);
    expect(fresh[0]).not.toBe(stale);
    expect(oauth.server.counters.tokensIssued).toBe(issued + 1);
    expect(await auth.getToken()).toBe(fresh[0]);
  });

  it('needs the user again once access was revoked at Google', async () => {
    const { auth } = webAuth();
    await auth.signIn();
    const token = await auth.getToken();
    registry.revokeGrant(WEB_CLIENT);
    const error = await rejectionOf(auth.refreshToken(token));
    expect(error).toMatchObject({ code: 'sign-in-required', retryable: false });
  });

  it('asks for sign-in before any window opens when the user never connected', async () => {
    const { auth, identity } = webAuth();
    expect(await rejectionOf(auth.getToken())).toMatchObject({ code: 'sign-in-required' });
    expect(identity.flows).toHaveLength(0);
  });

  it.each([
    ['denies access on the consent page', 'deny'],
    ['closes the sign-in window', 'close'],
  ] as const)('reports cancelled when the user %s, and stays signed out', async (_, choice) => {
    user.choice = choice;
    const { auth } = webAuth();
    expect(await rejectionOf(auth.signIn())).toMatchObject({ code: 'cancelled' });
    expect((await auth.status()).signedIn).toBe(false);
  });

  it('refuses an answer whose state is not the one it sent, and stores nothing', async () => {
    const identity: IdentityApi = {
      getRedirectURL: () => REDIRECT_URI,
      launchWebAuthFlow: async () =>
        `${REDIRECT_URI}#access_token=ya29.forged&expires_in=3600&state=someone-else`,
    };
    const { auth } = webAuth({ identity });
    expect(await rejectionOf(auth.signIn())).toMatchObject({ code: 'bad-response' });
    expect((await auth.status()).signedIn).toBe(false);
  });

  it('refuses a sign-in that did not grant access to Drive files', async () => {
    let state = '';
    const identity: IdentityApi = {
      getRedirectURL: () => REDIRECT_URI,
      launchWebAuthFlow: async () =>
        `${REDIRECT_URI}#access_token=ya29.x&expires_in=3600&scope=email&state=${state}`,
    };
    const { auth } = webAuth({ identity, newState: () => (state = 'fixed-state') });
    const error = await rejectionOf(auth.signIn());
    expect(error).toMatchObject({ code: 'scope-denied' });
    expect((error as Error).message).toMatch(/Google Drive/);
  });

  it('signs out: revokes the grant at Google and forgets the token', async () => {
    const { auth } = webAuth();
    await auth.signIn();
    const token = await auth.getToken();
    expect(await auth.signOut()).toEqual({ revoked: true });
    expect(oauth.server.counters.revocations).toBe(1);
    expect(registry.check(token)).toMatchObject({ valid: false, reason: 'revoked' });
    expect(await auth.status()).toEqual({ configured: true, signedIn: false });
    expect(await rejectionOf(auth.getToken())).toMatchObject({ code: 'sign-in-required' });
  });

  it('uses Firefox’s loopback redirect URI, which Google accepts', async () => {
    const flows: string[] = [];
    const identity: IdentityApi = {
      getRedirectURL: () => 'https://2a3b4c5d6e.extensions.allizom.org/',
      launchWebAuthFlow: async ({ url }) => {
        flows.push(url);
        throw new Error('The user did not approve access.');
      },
    };
    const { auth } = webAuth({ identity });
    expect(auth.redirectUri()).toBe('http://127.0.0.1/mozoauth2/2a3b4c5d6e');
    await rejectionOf(auth.signIn());
    expect(new URL(flows[0] as string).searchParams.get('redirect_uri')).toBe(
      'http://127.0.0.1/mozoauth2/2a3b4c5d6e',
    );
  });

  it('marks an unreachable sign-in page as worth retrying', async () => {
    const identity: IdentityApi = {
      getRedirectURL: () => REDIRECT_URI,
      launchWebAuthFlow: async () => {
        throw new Error('Authorization page could not be loaded.');
      },
    };
    const error = await rejectionOf(webAuth({ identity }).auth.signIn());
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ code: 'unavailable', retryable: true });
  });
});

describe('sign-in with getAuthToken (Google Chrome)', () => {
  function chromeIdentity(behaviour: { fail?: string } = {}) {
    const calls: string[] = [];
    let issued = 0;
    const identity: IdentityApi = {
      ...standInIdentity(oauth, user),
      async getAuthToken({ interactive }) {
        calls.push(`getAuthToken(${interactive})`);
        if (behaviour.fail) throw new Error(behaviour.fail);
        issued += 1;
        return { token: `chrome-token-${issued}`, grantedScopes: [DRIVE_FILE_SCOPE] };
      },
      async removeCachedAuthToken({ token }) {
        calls.push(`removeCachedAuthToken(${token})`);
      },
    };
    return { identity, calls };
  }

  it('lets Chrome hold the token: interactive once, then silent, dropping a refused token', async () => {
    const { identity, calls } = chromeIdentity();
    const { auth } = webAuth({ identity, config: { chromeClientId: CHROME_CLIENT } });
    expect(await auth.signIn()).toMatchObject({ signedIn: true, method: 'chrome-identity' });
    expect(await auth.getToken()).toBe('chrome-token-2');
    expect(await auth.refreshToken('chrome-token-2')).toBe('chrome-token-3');
    expect(calls).toEqual([
      'getAuthToken(true)',
      'getAuthToken(false)',
      'removeCachedAuthToken(chrome-token-2)',
      'getAuthToken(false)',
    ]);
  });

  it('falls back to the web flow where getAuthToken exists but does not work (Edge), and remembers', async () => {
    const { identity, calls } = chromeIdentity({ fail: 'This API is not supported on Microsoft Edge.' });
    const { auth } = webAuth({
      identity,
      config: { chromeClientId: CHROME_CLIENT, webClientId: WEB_CLIENT },
    });
    expect(await auth.signIn()).toMatchObject({ signedIn: true, method: 'web-auth-flow' });
    await auth.signOut();
    await auth.signIn();
    expect(calls).toEqual(['getAuthToken(true)']);
  });

  it('says what to configure when getAuthToken fails and no web client was built in', async () => {
    const { identity } = chromeIdentity({ fail: 'The user is not signed in.' });
    const { auth } = webAuth({ identity, config: { chromeClientId: CHROME_CLIENT } });
    const error = await rejectionOf(auth.signIn());
    expect(error).toMatchObject({ code: 'unsupported' });
    expect((error as Error).message).toContain('WXT_GOOGLE_WEB_CLIENT_ID');
  });

  it('reports cancelled when the user declines Chrome’s prompt, without falling back', async () => {
    const { identity } = chromeIdentity({ fail: 'The user did not approve access.' });
    const { auth } = webAuth({
      identity,
      config: { chromeClientId: CHROME_CLIENT, webClientId: WEB_CLIENT },
    });
    expect(await rejectionOf(auth.signIn())).toMatchObject({ code: 'cancelled' });
    expect(oauth.server.counters.authorizationRequests).toBe(0);
  });
});
