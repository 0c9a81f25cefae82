import { createHash } from 'node:crypto';
import {
  type DriveEmulatorOptions,
  type RunningDriveEmulator,
  startDriveEmulator,
} from '../../../support/drive-emulator';
import { createTokenRegistry, DEFAULT_TEST_SCOPES, type TokenRegistry } from '../../../support/oauth-server';

export const CLIENT_ID = 'test-client.apps.googleusercontent.com';

export interface Harness {
  running: RunningDriveEmulator;
  tokens: TokenRegistry;
  token: string;
  /** fetch() against the emulator with the harness token (override `authorization` to change it). */
  api(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** A loopback emulator plus a token for CLIENT_ID with ChatVault's scopes. */
export async function startHarness(
  options: DriveEmulatorOptions & { scopes?: readonly string[]; port?: number } = {},
): Promise<Harness> {
  const tokens = options.tokens ?? createTokenRegistry();
  const running = await startDriveEmulator({ clientId: CLIENT_ID, ...options, tokens });
  const token = tokens.issue({ clientId: CLIENT_ID, scopes: options.scopes ?? DEFAULT_TEST_SCOPES }).token;
  const api = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
    if (headers.get('authorization') === '') headers.delete('authorization');
    return fetch(new URL(path, running.url), { ...init, headers });
  };
  return { running, tokens, token, api, close: () => running.close() };
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function md5(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/** Deterministic pseudo-random bytes, so a failing byte comparison is reproducible. */
export function patternBytes(length: number, seed = 1): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let state = seed >>> 0 || 1;
  for (let index = 0; index < length; index += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[index] = state & 0xff;
  }
  return bytes;
}

/** Reads Drive's JSON error body and returns the first reason. */
export async function errorReason(response: Response): Promise<string | undefined> {
  const body = (await response.json()) as { error?: { errors?: { reason?: string }[] } };
  return body.error?.errors?.[0]?.reason;
}

export function json(value: unknown): RequestInit {
  return { headers: { 'content-type': 'application/json; charset=UTF-8' }, body: JSON.stringify(value) };
}
