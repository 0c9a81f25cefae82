import { createDriveEmulator, type DriveEmulator, type DriveEmulatorOptions } from './emulator';
import { type ListenOptions, listen } from './listen';

export interface RunningDriveEmulator {
  /** Root URL for clients, ending in "/" (googleapis' `rootUrl`), e.g. http://127.0.0.1:43117/ */
  url: string;
  /** e.g. http://127.0.0.1:43117 */
  origin: string;
  emulator: DriveEmulator;
  /** Stops listening, drops open connections and clears the emulator's timers. */
  close(): Promise<void>;
}

/** Starts the emulator on its own loopback HTTP (or, with `tls`, HTTPS) server. */
export async function startDriveEmulator(
  options: DriveEmulatorOptions & ListenOptions = {},
): Promise<RunningDriveEmulator> {
  const emulator = createDriveEmulator(options);
  const server = await listen(emulator.handle, options);
  return {
    url: `${server.origin}/`,
    origin: server.origin,
    emulator,
    async close() {
      emulator.dispose();
      await server.close();
    },
  };
}
