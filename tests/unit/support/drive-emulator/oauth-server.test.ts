import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningDriveEmulator, startDriveEmulator } from '../../../support/drive-emulator';
import {
  createTokenRegistry,
  DEFAULT_CLIENT_ID,
  type RunningOAuthServer,
  SCOPES,
  startOAuthServer,
  type TokenRegistry,
} from '../../../support/oauth-server';

/** The OAuth 2.0 stand-in, as identity.launchWebAuthFlow drives Google's implicit flow. */

const EXTENSION_ID = 'abcdefghijklmnopabcdefghijklmnop';
const REDIRECT = `https://${EXTENSION_ID}.chromiumapp.org/`;
const SCOPE = `${SCOPES.driveFile} ${SCOPES.driveAppData}`;

let now: number;
let tokens: TokenRegistry;
let oauth: RunningOAuthServer;
let drive: RunningDriveEmulator;

beforeEach(async () => {
  now = Date.parse('2026-02-01T12:00:00Z');
  tokens = createTokenRegistry({ clock: () => now });
  oauth = await startOAuthServer({
    tokens,
    clients: [
      { clientId: DEFAULT_CLIENT_ID, name: 'ChatVault', redirectUris: ['http://127.0.0.1/mozoauth2/abc'] },
      { clientId: 'pinned-client', extensionIds: [EXTENSION_ID] },
    ],
  });
  drive = await startDriveEmulator({ tokens, clock: () => now });
});

afterEach(async () => {
  await oauth.close();
  await drive.close();
});

function authorizeUrl(params: Record<string, string>): URL {
  const url = new URL('o/oauth2/v2/auth', oauth.url);
  const defaults = {
    client_id: DEFAULT_CLIENT_ID,
    redirect_uri: REDIRECT,
    response_type: 'token',
    scope: SCOPE,
  };
  for (const [key, value] of Object.entries({ ...defaults, ...params })) url.searchParams.set(key, value);
  return url;
}

function authorize(params: Record<string, string> = {}): Promise<Response> {
  return fetch(authorizeUrl(params), { redirect: 'manual' });
}

function fragmentOf(response: Response): URLSearchParams {
  const location = response.headers.get('location') as string;
  expect(location.startsWith(REDIRECT) || location.startsWith('http://127.0.0.1/mozoauth2/')).toBe(true);
  return new URLSearchParams(new URL(location).hash.slice(1));
}

async function answerConsent(page: Response, decision: 'allow' | 'deny'): Promise<Response> {
  const html = await page.text();
  const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1] as string;
  return fetch(new URL('o/oauth2/v2/auth/consent', oauth.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ request_id: requestId, decision }).toString(),
  });
}

async function signIn(params: Record<string, string> = {}): Promise<URLSearchParams> {
  const page = await authorize(params);
  expect(page.status).toBe(200);
  const redirect = await answerConsent(page, 'allow');
  expect(redirect.status).toBe(302);
  return fragmentOf(redirect);
}

describe('authorization endpoint', () => {
  it('shows a consent page, then redirects with the token in the fragment; the token works on Drive', async () => {
    const page = await authorize({ state: 'xyz 1' });
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.clone().text();
    expect(html).toContain('id="allow"');
    expect(html).toContain(tokens.account.email);
    const fragment = fragmentOf(await answerConsent(page, 'allow'));
    expect(Object.fromEntries(fragment)).toEqual({
      access_token: expect.stringMatching(/^ya29\./),
      token_type: 'Bearer',
      expires_in: '3600',
      scope: SCOPE,
      state: 'xyz 1',
    });
    const files = await fetch(new URL('drive/v3/files', drive.url), {
      headers: { authorization: `Bearer ${fragment.get('access_token')}` },
    });
    expect(files.status).toBe(200);
  });

  it('redirects with error=access_denied when the user cancels', async () => {
    const fragment = fragmentOf(await answerConsent(await authorize({ state: 's' }), 'deny'));
    expect(Object.fromEntries(fragment)).toEqual({ error: 'access_denied', state: 's' });
    expect(oauth.server.counters.denials).toBe(1);
  });

  it('approves at once with autoApprove', async () => {
    oauth.server.settings.autoApprove = true;
    const response = await authorize();
    expect(response.status).toBe(302);
    expect(fragmentOf(response).get('token_type')).toBe('Bearer');
    expect(oauth.server.counters.consentPagesShown).toBe(0);
  });

  it('answers prompt=none with interaction_required until the user has consented, then silently', async () => {
    const silent = await authorize({ prompt: 'none', state: 'q' });
    expect(silent.status).toBe(302);
    expect(Object.fromEntries(fragmentOf(silent))).toEqual({ error: 'interaction_required', state: 'q' });
    await signIn();
    const renewed = await authorize({ prompt: 'none' });
    expect(fragmentOf(renewed).get('access_token')).toMatch(/^ya29\./);
    const otherAccount = await authorize({ prompt: 'none', login_hint: 'someone.else@gmail.com' });
    expect(fragmentOf(otherAccount).get('error')).toBe('interaction_required');
  });

  it('shows Google’s error pages for an unknown client or a redirect URI that is not registered', async () => {
    const unknown = await authorize({ client_id: 'nope' });
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain('Error 401: invalid_client');
    const elsewhere = await authorize({ redirect_uri: 'https://evil.example/' });
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toContain('redirect_uri_mismatch');
    const wrongExtension = await authorize({
      client_id: 'pinned-client',
      redirect_uri: 'https://ponmlkjihgfedcbaponmlkjihgfedcba.chromiumapp.org/',
    });
    expect(wrongExtension.status).toBe(400);
  });

  it('accepts a registered non-chromiumapp redirect (Firefox) and a chromiumapp path', async () => {
    oauth.server.settings.autoApprove = true;
    const firefox = await authorize({ redirect_uri: 'http://127.0.0.1/mozoauth2/abc' });
    expect(firefox.headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1\/mozoauth2\/abc#access_token=/);
    const withPath = await authorize({ redirect_uri: `${REDIRECT}callback` });
    expect(withPath.headers.get('location')).toMatch(new RegExp(`^${REDIRECT}callback#access_token=`));
  });

  it('rejects other response types in the fragment and a missing scope with a page', async () => {
    const code = await authorize({ response_type: 'code', state: 'c' });
    expect(fragmentOf(code).get('error')).toBe('unsupported_response_type');
    const noScope = await authorize({ scope: '' });
    expect(noScope.status).toBe(400);
    expect(await noScope.text()).toContain('invalid_request');
  });

  it('refuses a consent answer for an unknown request', async () => {
    const response = await fetch(new URL('o/oauth2/v2/auth/consent', oauth.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'request_id=nope&decision=allow',
    });
    expect(response.status).toBe(400);
  });
});

describe('tokeninfo and revoke', () => {
  it('describes a live token, then calls it invalid once it expires', async () => {
    oauth.server.settings.tokenLifetimeSeconds = 120;
    const token = (await signIn()).get('access_token') as string;
    for (const path of ['tokeninfo', 'oauth2/v3/tokeninfo']) {
      const info = await fetch(new URL(`${path}?access_token=${token}`, oauth.url));
      expect(info.status).toBe(200);
      expect(await info.json()).toEqual({
        azp: DEFAULT_CLIENT_ID,
        aud: DEFAULT_CLIENT_ID,
        sub: tokens.account.sub,
        scope: SCOPE,
        exp: String(Math.floor(now / 1000) + 120),
        expires_in: '120',
        access_type: 'online',
      });
    }
    now += 121_000;
    const expired = await fetch(new URL(`tokeninfo?access_token=${token}`, oauth.url));
    expect(expired.status).toBe(400);
    expect(await expired.json()).toEqual({ error: 'invalid_token', error_description: 'Invalid Value' });
    const onDrive = await fetch(new URL('drive/v3/files', drive.url), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(onDrive.status).toBe(401);
  });

  it('revokes the grant: the token stops working and silent sign-in needs the user again', async () => {
    const token = (await signIn()).get('access_token') as string;
    const revoked = await fetch(new URL(`revoke?token=${token}`, oauth.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(revoked.status).toBe(200);
    const onDrive = await fetch(new URL('drive/v3/files', drive.url), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(onDrive.status).toBe(401);
    expect(fragmentOf(await authorize({ prompt: 'none' })).get('error')).toBe('interaction_required');
    const again = await fetch(new URL('revoke', oauth.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${token}`,
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({
      error: 'invalid_token',
      error_description: 'Token expired or revoked',
    });
  });
});

describe('registry and options', () => {
  it('rejects bad registrations and options with a typed error', async () => {
    expect(() => oauth.server.registerClient({ clientId: '' })).toThrow(
      expect.objectContaining({ name: 'OAuthStandInError', code: 'invalid-argument' }),
    );
    expect(() => oauth.server.registerClient({ clientId: 'x', redirectUris: ['https://a/#frag'] })).toThrow(
      /fragment/,
    );
    expect(() => createTokenRegistry({ defaultLifetimeSeconds: 0 })).toThrow(/defaultLifetimeSeconds/);
    expect(() => tokens.issue({ clientId: '', scopes: [] })).toThrow(/clientId/);
  });

  it('owns only its paths, so one host can route between the stand-ins', () => {
    expect(oauth.server.ownsRequest({ url: '/oauth2/v3/tokeninfo?access_token=x' } as never)).toBe(true);
    expect(oauth.server.ownsRequest({ url: '/drive/v3/files' } as never)).toBe(false);
  });
});
