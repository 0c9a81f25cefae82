import type { AccessTokenSource } from '@/utils/storage/drive/access-token';
import { DriveStorage, type DriveStorageOptions } from '@/utils/storage/drive/drive-storage';
import { MemoryKeyValueStore } from '@/utils/storage/drive/key-value-store';
import type { DriveEmulatorOptions, RunningDriveEmulator } from '../../support/drive-emulator';
import { createTokenRegistry, SCOPES, type TokenRegistry } from '../../support/oauth-server';
import { CLIENT_ID, startHarness } from '../support/drive-emulator/harness';

/** What ChatVault asks Google for (utils/auth): its own files, nothing else. */
export const PRODUCT_SCOPES = [SCOPES.driveFile];

/**
 * Tokens as the extension's sign-in hands them out: a refresh after a 401 gets a new token from
 * the "Google" of the tests (the shared registry) while the user's grant stands, and fails like
 * a silent renewal does once the user revoked it.
 */
export class RegistryTokens implements AccessTokenSource {
  readonly #registry: TokenRegistry;
  token: string;
  refreshes = 0;

  constructor(registry: TokenRegistry) {
    this.#registry = registry;
    registry.grant(CLIENT_ID, PRODUCT_SCOPES);
    this.token = registry.issue({ clientId: CLIENT_ID, scopes: PRODUCT_SCOPES }).token;
  }

  async getToken(): Promise<string> {
    return this.token;
  }

  async refreshToken(): Promise<string> {
    this.refreshes += 1;
    if (!this.#registry.hasGrant(CLIENT_ID, PRODUCT_SCOPES)) {
      throw new Error('Silent sign-in failed: interaction_required');
    }
    this.token = this.#registry.issue({ clientId: CLIENT_ID, scopes: PRODUCT_SCOPES }).token;
    return this.token;
  }
}

export interface DriveFixture {
  running: RunningDriveEmulator;
  registry: TokenRegistry;
  tokens: RegistryTokens;
  sessionStore: MemoryKeyValueStore;
  storage: DriveStorage;
  /** Every wait the storage asked for (tests never really wait). */
  sleeps: number[];
  /** A second DriveStorage on the same Drive and session store (a new service worker). */
  another(options?: Partial<DriveStorageOptions>): DriveStorage;
  close(): Promise<void>;
}

export async function startDriveFixture(
  options: { emulator?: DriveEmulatorOptions; storage?: Partial<DriveStorageOptions> } = {},
): Promise<DriveFixture> {
  const registry = createTokenRegistry();
  const harness = await startHarness({ ...options.emulator, tokens: registry, scopes: PRODUCT_SCOPES });
  const tokens = new RegistryTokens(registry);
  const sessionStore = new MemoryKeyValueStore();
  const sleeps: number[] = [];
  const make = (overrides: Partial<DriveStorageOptions> = {}) =>
    new DriveStorage({
      tokens,
      apiRoot: harness.running.url,
      sessionStore,
      sleep: async (ms, signal) => {
        sleeps.push(ms);
        if (signal?.aborted) throw signal.reason;
      },
      random: () => 0.5,
      ...options.storage,
      ...overrides,
    });
  return {
    running: harness.running,
    registry,
    tokens,
    sessionStore,
    storage: make(),
    sleeps,
    another: make,
    close: () => harness.close(),
  };
}

/** One request the storage made, as its fetch saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  contentRange: string | null;
  bodyBytes: number;
}

/** The global fetch, recording every request; `intercept` may answer (or hang) instead. */
export function recordingFetch(
  seen: SeenRequest[],
  intercept?: (request: SeenRequest, forward: () => Promise<Response>) => Promise<Response> | undefined,
) {
  return (input: string, init?: RequestInit): Promise<Response> => {
    const body = init?.body;
    const request: SeenRequest = {
      method: init?.method ?? 'GET',
      url: input,
      contentRange: new Headers(init?.headers).get('content-range'),
      bodyBytes: body instanceof Uint8Array ? body.length : typeof body === 'string' ? body.length : 0,
    };
    seen.push(request);
    const forward = () => fetch(input, init);
    return intercept?.(request, forward) ?? forward();
  };
}

/** PUTs that carried upload bytes (not status queries). */
export function chunkRequests(seen: readonly SeenRequest[]): SeenRequest[] {
  return seen.filter(
    (request) =>
      request.method === 'PUT' &&
      request.contentRange?.startsWith('bytes ') &&
      !request.contentRange.startsWith('bytes */'),
  );
}

/** A stream of `bytes` in pieces of `pieceBytes`, pulled only when read. */
export function streamOfBytes(bytes: Uint8Array, pieceBytes = 64 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= bytes.length) {
          controller.close();
          return;
        }
        controller.enqueue(bytes.slice(offset, offset + pieceBytes));
        offset += pieceBytes;
      },
    },
    { highWaterMark: 0 },
  );
}
