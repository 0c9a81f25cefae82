import type { IncomingMessage, ServerResponse } from 'node:http';

/** Small reply helpers of the OAuth stand-in: fragment redirects, HTML pages, JSON, form bodies. */

/** The implicit flow returns its result in the fragment, which never reaches a server. */
export function redirectWithFragment(
  res: ServerResponse,
  redirectUri: string,
  values: Record<string, string | null | undefined>,
) {
  const fragment = Object.entries(values)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join('&');
  res
    .writeHead(302, {
      location: `${redirectUri}#${fragment}`,
      'content-length': '0',
      'cache-control': 'no-store',
    })
    .end();
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  const body = Buffer.from(html);
  res
    .writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(body.length) })
    .end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
  res.writeHead(
    status,
    corsHeaders(res.req, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(body.length),
      'cache-control': 'no-cache, no-store, max-age=0, must-revalidate',
    }),
  );
  res.end(body);
}

export function corsHeaders(req: IncomingMessage, headers: Record<string, string>): Record<string, string> {
  if (typeof req.headers.origin !== 'string') return headers;
  return {
    ...headers,
    'access-control-allow-origin': req.headers.origin,
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? 'content-type'),
    vary: 'origin',
  };
}

export function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
