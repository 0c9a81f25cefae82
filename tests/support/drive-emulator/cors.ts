import type { IncomingHttpHeaders } from 'node:http';
import type { EmulatorResponse } from './exchange';

/**
 * googleapis.com answers browsers' CORS: it echoes the Origin and exposes the headers the upload
 * protocol needs (Location, Range, X-GUploader-UploadID). Extension pages with host permissions
 * skip CORS, but web-origin callers (and tests) do not.
 */
const EXPOSED = [
  'content-length',
  'content-range',
  'content-type',
  'date',
  'etag',
  'location',
  'range',
  'retry-after',
  'server',
  'www-authenticate',
  'x-guploader-uploadid',
].join(', ');

export function preflightResponse(headers: IncomingHttpHeaders): EmulatorResponse {
  const origin = typeof headers.origin === 'string' ? headers.origin : '*';
  const requested = headers['access-control-request-headers'];
  return {
    status: 200,
    headers: {
      'access-control-allow-origin': origin,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT',
      'access-control-allow-headers':
        typeof requested === 'string' ? requested : 'authorization, content-type',
      'access-control-max-age': '3600',
      vary: 'origin, X-Origin',
      'content-length': '0',
    },
  };
}

export function withCors(response: EmulatorResponse, headers: IncomingHttpHeaders): EmulatorResponse {
  if (typeof headers.origin !== 'string') return response;
  return {
    ...response,
    headers: {
      ...response.headers,
      'access-control-allow-origin': headers.origin,
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': EXPOSED,
      vary: 'origin, X-Origin',
    },
  };
}
