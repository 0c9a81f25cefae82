import type { WriteContext } from '../file-writes';

/** Everything a request handler may use: the Drive, the caller and the emulator's settings. */
export interface HandlerContext extends WriteContext {
  /** How long an unfinished resumable upload session lives (Drive: one week). */
  sessionLifetimeMs: number;
}
