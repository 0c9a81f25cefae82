import { type ListenOptions, listen } from '../drive-emulator/listen';
import { createOAuthServer, type OAuthServer, type OAuthServerOptions } from './oauth-server';

export interface RunningOAuthServer {
  /** e.g. http://127.0.0.1:43118/ */
  url: string;
  origin: string;
  server: OAuthServer;
  /** Kept for symmetry with startDriveEmulator: the same object as `server`. */
  emulator: OAuthServer;
  close(): Promise<void>;
}

/** Starts the OAuth stand-in on its own loopback HTTP (or, with `tls`, HTTPS) server. */
export async function startOAuthServer(
  options: OAuthServerOptions & ListenOptions = {},
): Promise<RunningOAuthServer> {
  const server = createOAuthServer(options);
  const listening = await listen(server.handle, options);
  return {
    url: `${listening.origin}/`,
    origin: listening.origin,
    server,
    emulator: server,
    async close() {
      server.dispose();
      await listening.close();
    },
  };
}
