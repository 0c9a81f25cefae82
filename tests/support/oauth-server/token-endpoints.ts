import type { IncomingMessage, ServerResponse } from 'node:http';
import { readAll, sendJson } from './http-replies';
import type { TokenRegistry } from './token-registry';

/**
 * Google's token inspection and revocation endpoints. Both take the token as a query parameter
 * or a form field; their error bodies are OAuth-style (`error`, `error_description`), not the
 * googleapis JSON error envelope.
 */

/** GET|POST /tokeninfo, /oauth2/v3/tokeninfo. Counts are strings, as Google sends them. */
export async function answerTokenInfo(
  tokens: TokenRegistry,
  req: IncomingMessage,
  url: URL,
  res: ServerResponse,
): Promise<void> {
  const token = url.searchParams.get('access_token') ?? (await formField(req, 'access_token')) ?? '';
  const check = tokens.check(token);
  if (!check.valid) {
    sendJson(res, 400, { error: 'invalid_token', error_description: 'Invalid Value' });
    return;
  }
  const { record } = check;
  const info: Record<string, string> = {
    azp: record.clientId,
    aud: record.clientId,
    sub: tokens.account.sub,
    scope: record.scopes.join(' '),
    exp: String(Math.floor(record.expiresAt / 1000)),
    expires_in: String(Math.max(0, Math.floor((record.expiresAt - tokens.now()) / 1000))),
  };
  if (record.scopes.some((scope) => scope === 'email' || scope.endsWith('/userinfo.email'))) {
    info.email = tokens.account.email;
    info.email_verified = 'true';
  }
  info.access_type = 'online';
  sendJson(res, 200, info);
}

/** POST /revoke (and the older /o/oauth2/revoke): ends the whole grant of the token's app. */
export async function answerRevoke(
  tokens: TokenRegistry,
  req: IncomingMessage,
  url: URL,
  res: ServerResponse,
): Promise<void> {
  const token = url.searchParams.get('token') ?? (await formField(req, 'token')) ?? '';
  if (!tokens.revoke(token)) {
    sendJson(res, 400, { error: 'invalid_token', error_description: 'Token expired or revoked' });
    return;
  }
  sendJson(res, 200, {});
}

async function formField(req: IncomingMessage, name: string): Promise<string | undefined> {
  if (req.method !== 'POST') return undefined;
  return new URLSearchParams((await readAll(req)).toString('utf8')).get(name) ?? undefined;
}
