import { invalidArgument } from './emulator-error';
import type { RateLimitReason } from './google-errors';
import type { RequestKind } from './routes';

/**
 * Fault knobs. Each one applies to the requests its scope matches — by kind, method and/or
 * path — skipping the first `skip` of them, then firing on the next `times` (one-shot faults
 * default to 1, latency and bandwidth to every request until removed).
 */
export interface FaultScope {
  kind?: RequestKind | readonly RequestKind[];
  method?: string | readonly string[];
  /** A string matches as a prefix of the path; a RegExp is tested against path + query. */
  path?: string | RegExp;
  /** How many matching requests to affect; `Infinity` for all. */
  times?: number;
  /** How many matching requests to let through untouched first. */
  skip?: number;
}

/** When a response fault strikes: before the request has any effect, or after it took effect. */
export type FaultTiming = 'before' | 'after';

export type FaultAction =
  | { type: 'cut-request'; afterBytes: number }
  | { type: 'cut-response'; afterBytes: number }
  | { type: 'server-error'; status: 500 | 502 | 503; when: FaultTiming }
  | {
      type: 'rate-limit';
      status: 403 | 429;
      reason: RateLimitReason;
      retryAfterSeconds?: number;
      when: FaultTiming;
    }
  | { type: 'expired-token' }
  | { type: 'lose-upload-session' }
  | { type: 'quota-full'; when: FaultTiming }
  | { type: 'latency'; milliseconds: number }
  | { type: 'bandwidth'; bytesPerSecond: number; direction: 'request' | 'response' | 'both' };

export interface FaultHandle {
  readonly id: number;
  readonly action: FaultAction;
  /** How many requests it has affected so far. */
  readonly fired: number;
  /** How many more it will affect (Infinity for standing faults). */
  readonly remaining: number;
  remove(): void;
}

/** The faults that apply to one request, gathered when it arrives. */
export interface AppliedFaults {
  latencyMs: number;
  requestBytesPerSecond?: number;
  responseBytesPerSecond?: number;
  cutRequestAfter?: number;
  cutResponseAfter?: number;
  expiredToken: boolean;
  loseUploadSession: boolean;
  /** At most one error response per request. */
  response?: Extract<FaultAction, { type: 'server-error' | 'rate-limit' | 'quota-full' }>;
}

export interface RequestFacts {
  kind: RequestKind;
  method: string;
  url: URL;
}

interface Fault {
  id: number;
  action: FaultAction;
  scope: FaultScope;
  skip: number;
  remaining: number;
  fired: number;
}

const UPLOAD_SESSION_KINDS: readonly RequestKind[] = ['upload.resumable.chunk', 'upload.resumable.status'];
const CREATING_KINDS: readonly RequestKind[] = [
  'files.create',
  'upload.multipart',
  'upload.media',
  'upload.resumable.start',
  'upload.resumable.chunk',
];

export class FaultInjector {
  readonly #faults: Fault[] = [];
  #nextId = 1;

  /** Breaks the connection once `bytes` of the request body have arrived (the client sees a reset). */
  cutRequestAfter(bytes: number, scope: FaultScope = {}): FaultHandle {
    assertCount(bytes, 'bytes');
    return this.#add({ type: 'cut-request', afterBytes: bytes }, scope, 1);
  }

  /** Breaks the connection after `bytes` of the response body were sent. */
  cutResponseAfter(bytes: number, scope: FaultScope = {}): FaultHandle {
    assertCount(bytes, 'bytes');
    return this.#add({ type: 'cut-response', afterBytes: bytes }, scope, 1);
  }

  /** Answers 500 / 502 / 503 like Google's servers do when they fail. */
  serverError(status: 500 | 502 | 503 = 503, scope: FaultScope & { when?: FaultTiming } = {}): FaultHandle {
    if (![500, 502, 503].includes(status))
      throw invalidArgument(`serverError() takes 500, 502 or 503, not ${status}`);
    return this.#add({ type: 'server-error', status, when: timing(scope.when) }, scope, 1);
  }

  /** 429 rateLimitExceeded (default) or 403 userRateLimitExceeded / rateLimitExceeded, with Retry-After. */
  rateLimit(
    options: {
      status?: 403 | 429;
      reason?: RateLimitReason;
      retryAfterSeconds?: number;
      when?: FaultTiming;
    } = {},
    scope: FaultScope = {},
  ): FaultHandle {
    const reason = options.reason ?? (options.status === 403 ? 'userRateLimitExceeded' : 'rateLimitExceeded');
    const status = options.status ?? (reason === 'userRateLimitExceeded' ? 403 : 429);
    if (status !== 403 && status !== 429) throw invalidArgument('rateLimit() status must be 403 or 429');
    if (options.retryAfterSeconds !== undefined) assertCount(options.retryAfterSeconds, 'retryAfterSeconds');
    const action: FaultAction = {
      type: 'rate-limit',
      status,
      reason,
      retryAfterSeconds: options.retryAfterSeconds,
      when: timing(options.when),
    };
    return this.#add(action, scope, 1);
  }

  /** One 401 authError as if the token had just expired (the token itself stays valid). */
  expireToken(scope: FaultScope = {}): FaultHandle {
    return this.#add({ type: 'expired-token' }, scope, 1);
  }

  /** The upload session of the next matching chunk/status PUT vanishes: that PUT gets 404. */
  loseUploadSession(scope: FaultScope = {}): FaultHandle {
    return this.#add({ type: 'lose-upload-session' }, { kind: UPLOAD_SESSION_KINDS, ...scope }, 1);
  }

  /** 403 storageQuotaExceeded on the next matching request that creates or uploads. */
  quotaFull(scope: FaultScope & { when?: FaultTiming } = {}): FaultHandle {
    return this.#add({ type: 'quota-full', when: timing(scope.when) }, { kind: CREATING_KINDS, ...scope }, 1);
  }

  /** Delays every matching request by a fixed time before it is handled. */
  latency(milliseconds: number, scope: FaultScope = {}): FaultHandle {
    assertCount(milliseconds, 'milliseconds');
    return this.#add({ type: 'latency', milliseconds }, scope, Number.POSITIVE_INFINITY);
  }

  /** Paces request and/or response bodies of matching requests to `bytesPerSecond`. */
  bandwidth(
    bytesPerSecond: number,
    scope: FaultScope & { direction?: 'request' | 'response' | 'both' } = {},
  ): FaultHandle {
    if (!(bytesPerSecond > 0) || !Number.isFinite(bytesPerSecond)) {
      throw invalidArgument(`bandwidth() needs a positive bytesPerSecond, got ${bytesPerSecond}`);
    }
    const action: FaultAction = { type: 'bandwidth', bytesPerSecond, direction: scope.direction ?? 'both' };
    return this.#add(action, scope, Number.POSITIVE_INFINITY);
  }

  list(): FaultHandle[] {
    return this.#faults.map((fault) => this.#handle(fault));
  }

  clear(): void {
    this.#faults.length = 0;
  }

  /** Gathers (and uses up) the faults that apply to a request. Called once per request. */
  take(request: RequestFacts): AppliedFaults {
    const applied: AppliedFaults = { latencyMs: 0, expiredToken: false, loseUploadSession: false };
    for (const fault of [...this.#faults]) {
      if (!matches(fault.scope, request)) continue;
      const { action } = fault;
      const isResponse =
        action.type === 'server-error' || action.type === 'rate-limit' || action.type === 'quota-full';
      // A request gets at most one error response; later ones wait for the next request.
      if (isResponse && applied.response) continue;
      if (fault.skip > 0) {
        fault.skip -= 1;
        continue;
      }
      this.#fire(fault);
      switch (action.type) {
        case 'latency':
          applied.latencyMs += action.milliseconds;
          break;
        case 'bandwidth':
          if (action.direction !== 'response') {
            applied.requestBytesPerSecond = Math.min(
              applied.requestBytesPerSecond ?? Infinity,
              action.bytesPerSecond,
            );
          }
          if (action.direction !== 'request') {
            applied.responseBytesPerSecond = Math.min(
              applied.responseBytesPerSecond ?? Infinity,
              action.bytesPerSecond,
            );
          }
          break;
        case 'cut-request':
          applied.cutRequestAfter = Math.min(applied.cutRequestAfter ?? Infinity, action.afterBytes);
          break;
        case 'cut-response':
          applied.cutResponseAfter = Math.min(applied.cutResponseAfter ?? Infinity, action.afterBytes);
          break;
        case 'expired-token':
          applied.expiredToken = true;
          break;
        case 'lose-upload-session':
          applied.loseUploadSession = true;
          break;
        default:
          applied.response = action;
      }
    }
    return applied;
  }

  #fire(fault: Fault): void {
    fault.fired += 1;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#remove(fault.id);
  }

  #add(action: FaultAction, scope: FaultScope, defaultTimes: number): FaultHandle {
    const times = scope.times ?? defaultTimes;
    if (!(times > 0)) throw invalidArgument(`times must be ≥ 1 (or Infinity), got ${times}`);
    if (scope.skip !== undefined) assertCount(scope.skip, 'skip');
    const fault: Fault = {
      id: this.#nextId++,
      action,
      scope,
      skip: scope.skip ?? 0,
      remaining: times,
      fired: 0,
    };
    this.#faults.push(fault);
    return this.#handle(fault);
  }

  #remove(id: number): void {
    const index = this.#faults.findIndex((fault) => fault.id === id);
    if (index >= 0) this.#faults.splice(index, 1);
  }

  #handle(fault: Fault): FaultHandle {
    const remove = () => this.#remove(fault.id);
    return {
      id: fault.id,
      action: fault.action,
      get fired() {
        return fault.fired;
      },
      get remaining() {
        return Math.max(0, fault.remaining);
      },
      remove,
    };
  }
}

function matches(scope: FaultScope, request: RequestFacts): boolean {
  if (scope.kind !== undefined) {
    const kinds = typeof scope.kind === 'string' ? [scope.kind] : scope.kind;
    if (!kinds.includes(request.kind)) return false;
  }
  if (scope.method !== undefined) {
    const methods = (typeof scope.method === 'string' ? [scope.method] : scope.method).map((m) =>
      m.toUpperCase(),
    );
    if (!methods.includes(request.method.toUpperCase())) return false;
  }
  if (scope.path !== undefined) {
    if (typeof scope.path === 'string') return request.url.pathname.startsWith(scope.path);
    return scope.path.test(request.url.pathname + request.url.search);
  }
  return true;
}

function timing(when: FaultTiming | undefined): FaultTiming {
  if (when !== undefined && when !== 'before' && when !== 'after') {
    throw invalidArgument(`when must be 'before' or 'after', got ${String(when)}`);
  }
  return when ?? 'before';
}

function assertCount(value: number, name: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidArgument(`${name} must be a whole number ≥ 0, got ${String(value)}`);
  }
}
