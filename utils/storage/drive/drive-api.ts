import { StorageError } from '../storage';
import { abortedError, throwIfAborted } from '../storage-errors';
import type { AccessTokenSource } from './access-token';
import { errorFromResponse, networkError } from './drive-errors';

/** The `fetch` the backend uses: the global one in the service worker and Node, a wrapper in tests. */
export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A path below the API root (`drive/v3/files`) or an absolute URL (an upload session URI). */
  url: string;
  query?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  body?: Uint8Array<ArrayBuffer> | string;
  /** The caller's cancel signal (a put's). */
  signal?: AbortSignal;
  /** Names the operation in error messages, e.g. `upload of data/ab12`. */
  what: string;
  /** Overrides the default time to wait for the response headers. */
  timeoutMs?: number;
}

export interface DriveApiOptions {
  fetch: FetchFunction;
  tokens: AccessTokenSource;
  /** e.g. `https://www.googleapis.com/`. */
  apiRoot: string;
  /** How long to wait for a response's headers before calling the connection broken. */
  requestTimeoutMs: number;
}

/**
 * One authorised HTTP exchange with Drive. A 401 gets one silent token refresh and one more try
 * (the "a 401 refreshes the token once and resumes"); every other status goes back to
 * the caller, who knows what it means for its operation. A request that gets no answer at all
 * (connection cut, timeout) rejects with a retryable StorageError('network').
 */
export class DriveApi {
  readonly apiRoot: string;
  readonly #options: DriveApiOptions;

  constructor(options: DriveApiOptions) {
    this.#options = options;
    this.apiRoot = options.apiRoot;
  }

  async send(request: ApiRequest): Promise<Response> {
    throwIfAborted(request.signal);
    const first = await this.#token(() => this.#options.tokens.getToken(), request.what);
    const response = await this.#fetchOnce(request, first);
    if (response.status !== 401) return response;
    await discardBody(response);
    const fresh = await this.#token(() => this.#options.tokens.refreshToken(first), request.what);
    return this.#fetchOnce(request, fresh);
  }

  /** Sends and insists on a 2xx answer, turning anything else into the matching StorageError. */
  async sendOk(request: ApiRequest): Promise<Response> {
    const response = await this.send(request);
    if (!response.ok) throw await errorFromResponse(response, request.what);
    return response;
  }

  /** Sends, insists on 2xx, and parses the JSON body. */
  async json<T>(request: ApiRequest): Promise<T> {
    const response = await this.sendOk(request);
    try {
      return (await response.json()) as T;
    } catch (error) {
      throw networkError(error, `${request.what} (reading Drive's answer)`);
    }
  }

  url(path: string, query: ApiRequest['query'] = {}): string {
    const url = new URL(path, this.apiRoot);
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) url.searchParams.set(key, value);
    return url.toString();
  }

  async #token(get: () => Promise<string>, what: string): Promise<string> {
    let token: unknown;
    try {
      token = await get();
    } catch (error) {
      throw tokenError(error, what);
    }
    if (typeof token !== 'string' || token.length === 0) {
      throw new StorageError('unauthorized', `${what}: the sign-in gave no access token`, {
        retryable: false,
      });
    }
    return token;
  }

  async #fetchOnce(request: ApiRequest, token: string): Promise<Response> {
    const url = /^https?:\/\//.test(request.url) ? request.url : this.url(request.url, request.query);
    const timeoutMs = request.timeoutMs ?? this.#options.requestTimeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const relay = () => controller.abort(request.signal?.reason);
    request.signal?.addEventListener('abort', relay, { once: true });
    try {
      return await this.#options.fetch(url, {
        method: request.method,
        headers: { ...request.headers, authorization: `Bearer ${token}` },
        body: request.body,
        signal: controller.signal,
        // Drive's "308 Resume Incomplete" carries no Location: with the default redirect mode
        // fetch hands it back as is, while 'manual' would hide it behind an opaque response.
        redirect: 'follow',
        cache: 'no-store',
      });
    } catch (error) {
      if (request.signal?.aborted) throw abortedError(request.signal);
      if (timedOut) {
        throw networkError(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`), request.what);
      }
      throw networkError(error, request.what);
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', relay);
    }
  }
}

/** Reads and drops a body we do not need, so the connection can be reused. */
export async function discardBody(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // A body that cannot be cancelled is released with the response anyway.
  }
}

function tokenError(error: unknown, what: string): StorageError {
  if (error instanceof StorageError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  // utils/auth marks the failures worth retrying (no network while renewing) as retryable.
  if ((error as { retryable?: unknown } | null)?.retryable === true) {
    return new StorageError('network', `${what}: could not renew the Google sign-in (${detail})`, {
      cause: error,
    });
  }
  return new StorageError('unauthorized', `${what}: not signed in to Google Drive. ${detail}`, {
    cause: error,
    retryable: false,
  });
}
