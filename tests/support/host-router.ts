import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { testCertificate } from './tls';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * One HTTPS server on loopback that answers for several real host names, dispatching on the
 * Host header. Chromium is pointed at it with --host-resolver-rules (see
 * tests/e2e/support/launch.ts), so the extension talks to https://web.whatsapp.com/ and
 * https://www.googleapis.com/ exactly as in production and never learns it is being tested.
 */
export interface HostRouter {
  port: number;
  /** Adds or replaces the handler for a host name. */
  route(host: string, handler: RequestHandler): void;
  hosts(): string[];
  close(): Promise<void>;
}

export async function startHostRouter(options: { tls?: boolean } = {}): Promise<HostRouter> {
  const handlers = new Map<string, RequestHandler>();
  const dispatch: RequestHandler = (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const handler = handlers.get(host);
    if (!handler) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`No stand-in for host ${host}`);
      return;
    }
    handler(req, res);
  };
  const server =
    options.tls === false ? createServer(dispatch) : createHttpsServer(testCertificate(), dispatch);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    route: (host, handler) => void handlers.set(host.toLowerCase(), handler),
    hosts: () => [...handlers.keys()],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
