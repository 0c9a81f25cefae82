import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { createTokenRegistry, type TokenRegistry } from '../oauth-server/token-registry';
import { authenticate, requireSomeDriveScope } from './access';
import { preflightResponse, withCors } from './cors';
import { CounterSet, type DriveCounters } from './counters';
import { invalidArgument } from './emulator-error';
import { type EmulatorRequest, type EmulatorResponse, errorResponse } from './exchange';
import { type AppliedFaults, FaultInjector } from './faults';
import {
  DriveApiError,
  invalidCredentials,
  rateLimited,
  serverError,
  storageQuotaExceeded,
} from './google-errors';
import type { HandlerContext } from './handlers/context';
import { readBody, writeResponse } from './http-transport';
import { isDrivePath, type Route, routeRequest } from './routes';
import { DriveState } from './state';
import { TimerScope } from './timer-scope';

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface DriveEmulatorOptions {
  /** Shared with the OAuth stand-in so its tokens work here; a fresh registry when omitted. */
  tokens?: TokenRegistry;
  /** Persist the Drive here and reload it on the next start; in memory when omitted. */
  directory?: string;
  /** Storage quota in bytes (default 15 GiB, or what the directory remembers). */
  quotaBytes?: number;
  /** The OAuth client id that `state.seedFile()` attributes files to unless told otherwise. */
  clientId?: string;
  /** Milliseconds since the epoch, for file times and session expiry. */
  clock?: () => number;
  /** How long an unfinished resumable session lives; Drive keeps them a week. */
  uploadSessionLifetimeMs?: number;
  /** Receives requests for paths that are not Drive's (e.g. /oauth2/v3/tokeninfo); 404 otherwise. */
  fallback?: RequestHandler;
  /** Told about unexpected exceptions (which also become a 500); console.error by default. */
  onError?: (error: unknown) => void;
}

export interface DriveEmulator {
  /** Node request handler; safe to pass around unbound (e.g. to a host router). */
  readonly handle: RequestHandler;
  /** Whether a request is for Drive's paths (/drive/v3/…, /upload/drive/v3/…). */
  ownsRequest(request: IncomingMessage): boolean;
  readonly state: DriveState;
  readonly faults: FaultInjector;
  readonly tokens: TokenRegistry;
  /** A snapshot of the traffic counters. */
  readonly counters: DriveCounters;
  /** Requests being handled right now. */
  readonly inFlight: number;
  /** Latency/bandwidth timers still waiting (0 after dispose()). */
  readonly pendingTimers: number;
  /** Unexpected exceptions seen so far (each also answered with 500). */
  readonly unexpectedErrors: readonly unknown[];
  resetCounters(): void;
  /** Empties the Drive and clears faults and counters (tokens are the registry's business). */
  reset(): void;
  /** Clears every pending timer; call when the server closes. */
  dispose(): void;
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export function createDriveEmulator(options: DriveEmulatorOptions = {}): DriveEmulator {
  checkOptions(options);
  const tokens = options.tokens ?? createTokenRegistry();
  const clock = options.clock ?? Date.now;
  const state = new DriveState({ directory: options.directory, quotaBytes: options.quotaBytes, clock });
  state.defaultAppId = options.clientId ?? null;
  const faults = new FaultInjector();
  const counters = new CounterSet();
  const timers = new TimerScope();
  const unexpectedErrors: unknown[] = [];
  const onError = options.onError ?? ((error: unknown) => console.error('[drive-emulator]', error));
  const sessionLifetimeMs = options.uploadSessionLifetimeMs ?? WEEK_MS;
  let inFlight = 0;

  const reportUnexpected = (error: unknown) => {
    unexpectedErrors.push(error);
    onError(error);
  };

  const respond = (
    route: Route,
    request: EmulatorRequest,
    applied: AppliedFaults,
  ): EmulatorResponse | undefined => {
    if (route.kind === 'cors.preflight') return preflightResponse(request.headers);
    if (route.kind === 'unknown') throw route.error;
    if (applied.expiredToken) throw invalidCredentials();
    const caller = authenticate(request.headers, tokens);
    requireSomeDriveScope(caller);
    if (applied.loseUploadSession) state.dropSession(request.url.searchParams.get('upload_id') ?? '');
    const context: HandlerContext = { state, caller, account: tokens.account, sessionLifetimeMs };
    if (!request.bodyComplete) {
      // Only a resumable chunk has a use for half a body: the whole granules that arrived.
      if (route.kind === 'upload.resumable.chunk') route.run(context, request);
      return undefined;
    }
    const fault = applied.response;
    if (fault?.when === 'before') throw faultError(fault);
    const response = route.run(context, request);
    // An 'after' fault: the change happened, but the client is told it failed.
    if (fault?.when === 'after') throw faultError(fault);
    return response;
  };

  const process = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://drive-emulator.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    if (!isDrivePath(url.pathname) && options.fallback) {
      options.fallback(req, res);
      return;
    }
    const route = routeRequest(method, url, req.headers);
    counters.countRequest(route.kind);
    const applied = faults.take({ kind: route.kind, method, url });
    await timers.sleep(applied.latencyMs);
    const read = await readBody(req, {
      bytesPerSecond: applied.requestBytesPerSecond,
      cutAfter: applied.cutRequestAfter,
      timers,
    });
    counters.addReceived(read.body.length);
    if (read.cut) counters.countCut();
    const request: EmulatorRequest = {
      method,
      url,
      headers: req.headers,
      body: read.body,
      bodyComplete: read.complete,
      origin: originOf(req),
    };
    let response: EmulatorResponse | undefined;
    try {
      response = respond(route, request, applied);
    } catch (error) {
      if (error instanceof DriveApiError) {
        response = errorResponse(error, request);
      } else {
        reportUnexpected(error);
        response = errorResponse(serverError(500), request);
      }
    }
    if (!read.complete || response === undefined) {
      req.socket.destroy();
      return;
    }
    response = withCors(response, req.headers);
    counters.countResponse(response.status);
    const written = await writeResponse(res, response, {
      bytesPerSecond: applied.responseBytesPerSecond,
      cutAfter: applied.cutResponseAfter,
      timers,
    });
    counters.addSent(written.sent);
    if (written.cut) counters.countCut();
  };

  const handle: RequestHandler = (req, res) => {
    inFlight += 1;
    process(req, res)
      .catch((error: unknown) => {
        reportUnexpected(error);
        if (!res.headersSent)
          res.writeHead(500, { 'content-type': 'text/plain' }).end('drive emulator failure');
        else res.destroy();
      })
      .finally(() => {
        inFlight -= 1;
      });
  };

  return {
    handle,
    ownsRequest: (request) =>
      isDrivePath(new URL(request.url ?? '/', 'http://drive-emulator.invalid').pathname),
    state,
    faults,
    tokens,
    get counters() {
      return counters.snapshot();
    },
    get inFlight() {
      return inFlight;
    },
    get pendingTimers() {
      return timers.pendingCount;
    },
    unexpectedErrors,
    resetCounters: () => counters.reset(),
    reset() {
      state.clear();
      faults.clear();
      counters.reset();
    },
    dispose: () => timers.dispose(),
  };
}

function faultError(fault: NonNullable<AppliedFaults['response']>): DriveApiError {
  switch (fault.type) {
    case 'server-error':
      return serverError(fault.status);
    case 'rate-limit':
      return rateLimited(fault.status, fault.reason, fault.retryAfterSeconds);
    default:
      return storageQuotaExceeded();
  }
}

/** The scheme and host the client used, so absolute URLs work on http://127.0.0.1:port and https://www.googleapis.com alike. */
function originOf(request: IncomingMessage): string {
  const forwarded = request.headers['x-forwarded-proto'];
  const encrypted = (request.socket as TLSSocket).encrypted === true;
  const scheme =
    typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : encrypted ? 'https' : 'http';
  const host = request.headers.host ?? `${request.socket.localAddress}:${request.socket.localPort}`;
  return `${scheme}://${host}`;
}

function checkOptions(options: DriveEmulatorOptions): void {
  if (options === null || typeof options !== 'object')
    throw invalidArgument('createDriveEmulator() takes an options object');
  if (
    options.directory !== undefined &&
    (typeof options.directory !== 'string' || options.directory === '')
  ) {
    throw invalidArgument('directory must be a non-empty path');
  }
  if (options.clock !== undefined && typeof options.clock !== 'function')
    throw invalidArgument('clock must be a function');
  if (options.fallback !== undefined && typeof options.fallback !== 'function') {
    throw invalidArgument('fallback must be a request handler');
  }
  const lifetime = options.uploadSessionLifetimeMs;
  if (lifetime !== undefined && !(Number.isFinite(lifetime) && lifetime > 0)) {
    throw invalidArgument('uploadSessionLifetimeMs must be a positive number');
  }
}
