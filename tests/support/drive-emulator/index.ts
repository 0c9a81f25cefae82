/**
 * A Google Drive v3 emulator for tests: the endpoints, error bodies and upload protocols
 * ChatVault uses, with fault knobs and traffic counters. Node-only (tests, benchmarks).
 *
 * Unit tests: `const drive = await startDriveEmulator({ tokens })` and point the code at
 * `drive.url` (http://127.0.0.1:port/). End-to-end: mount the handlers on the HTTPS host router,
 * sharing one token registry with the OAuth stand-in:
 *
 *   const tokens = createTokenRegistry();
 *   const oauth = createOAuthServer({ tokens, clients: [{ clientId, extensionIds: [id] }] });
 *   const drive = createDriveEmulator({ tokens, clientId, fallback: oauth.handle });
 *   router.route('www.googleapis.com', drive.handle);       // Drive + /oauth2/v3/tokeninfo
 *   router.route('oauth2.googleapis.com', oauth.handle);    // /tokeninfo, /revoke
 *   router.route('accounts.google.com', oauth.handle);      // /o/oauth2/v2/auth (consent page)
 *   // …and drive.dispose() when the router closes.
 */
export type { DriveCounters } from './counters';
export {
  createDriveEmulator,
  type DriveEmulator,
  type DriveEmulatorOptions,
  type RequestHandler,
} from './emulator';
export { DriveEmulatorError, type DriveEmulatorErrorCode } from './emulator-error';
export type { FaultAction, FaultHandle, FaultInjector, FaultScope, FaultTiming } from './faults';
export { type FileRecord, FOLDER_MIME_TYPE, type UploadSession } from './file-record';
export { CHUNK_GRANULARITY } from './handlers/resumable-upload';
export type { ListenOptions } from './listen';
export type { RequestKind } from './routes';
export { type RunningDriveEmulator, startDriveEmulator } from './start';
export { DEFAULT_QUOTA_BYTES, type DriveState, type SeedFileOptions } from './state';
