import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { invalidArgument } from './emulator-error';

export interface ListenOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback unless told otherwise. */
  host?: string;
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface Listening {
  /** e.g. http://127.0.0.1:43117 */
  origin: string;
  close(): Promise<void>;
}

/** Serves one handler over HTTP or HTTPS on loopback; close() also drops kept-alive connections. */
export async function listen(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  options: ListenOptions,
): Promise<Listening> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw invalidArgument(`Invalid port ${port}`);
  const host = options.host ?? '127.0.0.1';
  const server: Server = options.tls ? createHttpsServer(options.tls, handler) : createHttpServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    origin: `${options.tls ? 'https' : 'http'}://${hostPart}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
