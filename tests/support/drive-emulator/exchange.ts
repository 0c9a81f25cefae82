import type { IncomingHttpHeaders } from 'node:http';
import type { DriveApiError } from './google-errors';

/**
 * Handlers see a fully read request and return a response value instead of writing to the
 * socket: the transport then applies bandwidth limits and connection cuts, and a fault can
 * replace the response after the request has taken effect.
 */
export interface EmulatorRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** False when the connection broke before the whole body arrived. */
  bodyComplete: boolean;
  /** Scheme and host the client called, for absolute URLs in responses. */
  origin: string;
}

export interface EmulatorResponse {
  status: number;
  statusMessage?: string;
  headers: Record<string, string>;
  body?: Buffer;
}

const JSON_TYPE = 'application/json; charset=UTF-8';

/** JSON as Google sends it: pretty-printed unless the caller passed prettyPrint=false. */
export function jsonResponse(status: number, value: unknown, request: EmulatorRequest): EmulatorResponse {
  const pretty = request.url.searchParams.get('prettyPrint') !== 'false';
  const text = pretty ? `${JSON.stringify(value, null, 2)}\n` : JSON.stringify(value);
  return { status, headers: { 'content-type': JSON_TYPE }, body: Buffer.from(text) };
}

export function errorResponse(error: DriveApiError, request: EmulatorRequest | undefined): EmulatorResponse {
  const headers: Record<string, string> = { ...error.headers };
  if (error.html !== undefined) {
    headers['content-type'] = 'text/html; charset=UTF-8';
    return { status: error.status, headers, body: Buffer.from(error.html) };
  }
  const pretty = request?.url.searchParams.get('prettyPrint') !== 'false';
  const body = error.toBody();
  headers['content-type'] = JSON_TYPE;
  return {
    status: error.status,
    headers,
    body: Buffer.from(pretty ? `${JSON.stringify(body, null, 2)}\n` : JSON.stringify(body)),
  };
}

/** A response without a body (204 must not even say Content-Length: 0, RFC 9110 §8.6). */
export function emptyResponse(status: number, headers: Record<string, string> = {}): EmulatorResponse {
  return { status, headers: status === 204 ? { ...headers } : { ...headers, 'content-length': '0' } };
}
