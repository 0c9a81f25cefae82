import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkClient, DEFAULT_CLIENT_ID, isAllowedRedirect, type OAuthClient } from './clients';
import { corsHeaders, readAll, redirectWithFragment, sendHtml } from './http-replies';
import { invalidArgument } from './oauth-error';
import { consentPage, errorPage } from './pages';
import { parseScopeParameter } from './scopes';
import { answerRevoke, answerTokenInfo } from './token-endpoints';
import { createTokenRegistry, type TokenRegistry } from './token-registry';

/**
 * A stand-in for Google's OAuth 2.0 endpoints as an extension meets them through
 * identity.launchWebAuthFlow with the implicit ("token") flow:
 *   GET  accounts.google.com/o/oauth2/v2/auth     consent page, then 302 to redirect_uri#access_token=…
 *   POST accounts.google.com/o/oauth2/v2/auth/consent   the page's Allow / Cancel
 *   GET  oauth2.googleapis.com/tokeninfo, www.googleapis.com/oauth2/v3/tokeninfo
 *   POST oauth2.googleapis.com/revoke (also accounts.google.com/o/oauth2/revoke)
 * Paths are the same whatever the host, so one handler can be mounted for all three hosts.
 */

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface OAuthServerOptions {
  /** Share with the Drive emulator so issued tokens work there. A fresh registry when omitted. */
  tokens?: TokenRegistry;
  /** Registered clients; one with DEFAULT_CLIENT_ID (any chromiumapp.org redirect) when omitted. */
  clients?: readonly OAuthClient[];
  /** Approve at once, without showing the consent page (default false). */
  autoApprove?: boolean;
  /** Lifetime of the tokens this server issues; the registry's default (3600 s) when omitted. */
  tokenLifetimeSeconds?: number;
}

/** Changeable while the server runs. */
export interface OAuthSettings {
  autoApprove: boolean;
  tokenLifetimeSeconds: number | undefined;
}

export interface OAuthCounters {
  authorizationRequests: number;
  consentPagesShown: number;
  tokensIssued: number;
  denials: number;
  errors: number;
  tokenInfoRequests: number;
  revocations: number;
}

export interface OAuthServer {
  readonly handle: RequestHandler;
  ownsRequest(request: IncomingMessage): boolean;
  readonly tokens: TokenRegistry;
  readonly settings: OAuthSettings;
  readonly counters: OAuthCounters;
  registerClient(client: OAuthClient): void;
  clients(): OAuthClient[];
  /** Consent pages shown and not yet answered. */
  pendingConsents(): number;
  /** Forgets pending consents and counters (tokens and grants live in the registry). */
  reset(): void;
  dispose(): void;
}

interface AuthorizationRequest {
  client: OAuthClient;
  redirectUri: string;
  scopes: string[];
  state: string | null;
}

const PATHS = {
  authorize: ['/o/oauth2/v2/auth', '/o/oauth2/auth'],
  consent: ['/o/oauth2/v2/auth/consent'],
  tokenInfo: ['/oauth2/v3/tokeninfo', '/tokeninfo'],
  revoke: ['/revoke', '/o/oauth2/revoke'],
};
const ALL_PATHS = new Set(Object.values(PATHS).flat());

export function createOAuthServer(options: OAuthServerOptions = {}): OAuthServer {
  if (options === null || typeof options !== 'object')
    throw invalidArgument('createOAuthServer() takes an options object');
  if (options.clients !== undefined && !Array.isArray(options.clients)) {
    throw invalidArgument('clients must be an array of OAuth clients');
  }
  const lifetime = options.tokenLifetimeSeconds;
  if (lifetime !== undefined && !(Number.isInteger(lifetime) && lifetime > 0)) {
    throw invalidArgument(`tokenLifetimeSeconds must be a positive whole number, got ${String(lifetime)}`);
  }
  const tokens = options.tokens ?? createTokenRegistry();
  const registered = new Map<string, OAuthClient>();
  for (const client of options.clients ?? [{ clientId: DEFAULT_CLIENT_ID, name: 'ChatVault' }]) {
    const checked = checkClient(client);
    registered.set(checked.clientId, checked);
  }
  const settings: OAuthSettings = {
    autoApprove: options.autoApprove ?? false,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds,
  };
  const pending = new Map<string, AuthorizationRequest>();
  let counters = emptyCounters();

  const issueAndRedirect = (res: ServerResponse, request: AuthorizationRequest) => {
    const record = tokens.issue({
      clientId: request.client.clientId,
      scopes: request.scopes,
      lifetimeSeconds: settings.tokenLifetimeSeconds,
    });
    counters.tokensIssued += 1;
    redirectWithFragment(res, request.redirectUri, {
      access_token: record.token,
      token_type: 'Bearer',
      expires_in: String(Math.round((record.expiresAt - record.issuedAt) / 1000)),
      scope: record.scopes.join(' '),
      state: request.state,
    });
  };

  const fail = (res: ServerResponse, request: AuthorizationRequest, error: string, description?: string) => {
    counters.errors += 1;
    redirectWithFragment(res, request.redirectUri, {
      error,
      error_description: description,
      state: request.state,
    });
  };

  const authorize = (url: URL, res: ServerResponse) => {
    counters.authorizationRequests += 1;
    const params = url.searchParams;
    const client = registered.get(params.get('client_id') ?? '');
    if (!client) {
      counters.errors += 1;
      sendHtml(res, 401, errorPage(401, 'invalid_client', 'The OAuth client was not found.'));
      return;
    }
    const redirectUri = params.get('redirect_uri') ?? '';
    if (!isAllowedRedirect(client, redirectUri)) {
      counters.errors += 1;
      const detail = `You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. redirect_uri=${redirectUri}`;
      sendHtml(res, 400, errorPage(400, 'redirect_uri_mismatch', detail));
      return;
    }
    const scopes = parseScopeParameter(params.get('scope') ?? '');
    const request: AuthorizationRequest = { client, redirectUri, scopes, state: params.get('state') };
    if (params.get('response_type') !== 'token') {
      fail(res, request, 'unsupported_response_type', 'This stand-in implements only response_type=token.');
      return;
    }
    if (scopes.length === 0) {
      counters.errors += 1;
      sendHtml(res, 400, errorPage(400, 'invalid_request', 'Missing required parameter: scope'));
      return;
    }
    const prompt = new Set((params.get('prompt') ?? '').split(/\s+/).filter((value) => value.length > 0));
    if (prompt.has('none') && prompt.size > 1) {
      fail(res, request, 'invalid_request', 'prompt=none cannot be combined with other values.');
      return;
    }
    const hint = params.get('login_hint');
    const hintMatches = hint === null || hint.toLowerCase() === tokens.account.email.toLowerCase();
    const granted = tokens.hasGrant(client.clientId, scopes);
    if (prompt.has('none')) {
      // Silent renewal works only for what the user already allowed, for the signed-in account.
      if (granted && hintMatches) issueAndRedirect(res, request);
      else fail(res, request, 'interaction_required');
      return;
    }
    if (settings.autoApprove || (granted && prompt.size === 0)) {
      tokens.grant(client.clientId, scopes);
      issueAndRedirect(res, request);
      return;
    }
    const requestId = randomBytes(18).toString('base64url');
    pending.set(requestId, request);
    counters.consentPagesShown += 1;
    sendHtml(
      res,
      200,
      consentPage({
        requestId,
        clientName: client.name ?? client.clientId,
        email: tokens.account.email,
        scopes,
      }),
    );
  };

  const decide = async (req: IncomingMessage, res: ServerResponse) => {
    const form = new URLSearchParams((await readAll(req)).toString('utf8'));
    const requestId = form.get('request_id') ?? '';
    const request = pending.get(requestId);
    if (!request) {
      counters.errors += 1;
      sendHtml(
        res,
        400,
        errorPage(400, 'invalid_request', 'This sign-in request expired or was already answered.'),
      );
      return;
    }
    pending.delete(requestId);
    if (form.get('decision') === 'allow') {
      tokens.grant(request.client.clientId, request.scopes);
      issueAndRedirect(res, request);
    } else {
      counters.denials += 1;
      fail(res, request, 'access_denied');
    }
  };

  const process = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://oauth-stand-in.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    if (method === 'OPTIONS') {
      res.writeHead(200, corsHeaders(req, { 'content-length': '0' })).end();
    } else if (PATHS.authorize.includes(path) && method === 'GET') {
      authorize(url, res);
    } else if (PATHS.consent.includes(path) && method === 'POST') {
      await decide(req, res);
    } else if (PATHS.tokenInfo.includes(path) && (method === 'GET' || method === 'POST')) {
      counters.tokenInfoRequests += 1;
      await answerTokenInfo(tokens, req, url, res);
    } else if (PATHS.revoke.includes(path) && (method === 'POST' || method === 'GET')) {
      counters.revocations += 1;
      await answerRevoke(tokens, req, url, res);
    } else {
      sendHtml(res, 404, errorPage(404, 'not_found', 'The requested URL was not found on this server.'));
    }
  };

  const handle: RequestHandler = (req, res) => {
    process(req, res).catch((error: unknown) => {
      console.error('[oauth-stand-in]', error);
      if (!res.headersSent)
        res.writeHead(500, { 'content-type': 'text/plain' }).end('oauth stand-in failure');
      else res.destroy();
    });
  };

  return {
    handle,
    ownsRequest: (request) =>
      ALL_PATHS.has(new URL(request.url ?? '/', 'http://oauth-stand-in.invalid').pathname),
    tokens,
    settings,
    get counters() {
      return { ...counters };
    },
    registerClient(client) {
      const checked = checkClient(client);
      registered.set(checked.clientId, checked);
    },
    clients: () => [...registered.values()],
    pendingConsents: () => pending.size,
    reset() {
      pending.clear();
      counters = emptyCounters();
    },
    dispose() {
      pending.clear();
    },
  };
}

function emptyCounters(): OAuthCounters {
  return {
    authorizationRequests: 0,
    consentPagesShown: 0,
    tokensIssued: 0,
    denials: 0,
    errors: 0,
    tokenInfoRequests: 0,
    revocations: 0,
  };
}
