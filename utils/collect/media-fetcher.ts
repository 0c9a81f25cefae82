import {
  bytesOfBase64,
  decryptWhatsAppMedia,
  MediaDecryptError,
  mediaKeyFamily,
  sha256Base64,
} from './media-decrypt';
import type { MediaSource } from './normalize-message';
import {
  ERROR_STATUS_FIELDS,
  EXPIRED_HTTP_STATUSES,
  MEDIA_HOST,
  MEDIA_STAGE_EXPIRED,
} from './whatsapp-names';

/**
 * Gets one media file's plaintext: through the client's own download path
 * (`downloadManager.downloadAndMaybeDecrypt`) when the page has it, else by fetching the
 * encrypted file from the media server and decrypting it ourselves. Either way the bytes must
 * hash to the message's `filehash`. Expired media (`REUPLOADING`, HTTP 404/410) and every
 * failure come back as an outcome with a reason a person can read; nothing here waits longer
 * than `timeoutMs` (whatsapp-web.js PR #4012: the client's own promise can hang forever).
 */
export type MediaOutcome =
  | { status: 'stored'; bytes: Uint8Array<ArrayBuffer>; via: 'client' | 'decrypted' }
  | { status: 'expired' | 'failed' | 'skipped'; reason: string };

export type ClientDownload = (request: Record<string, unknown>) => Promise<unknown>;

export interface MediaFetcherOptions {
  /** The client's `downloadAndMaybeDecrypt`, looked up (and lazily loaded) on first use. */
  clientDownload?: () => Promise<ClientDownload | undefined>;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  timeoutMs: number;
}

export const MEDIA_REASONS = {
  viewOnce: 'view-once media can only be opened on the phone that received it',
  noFilehash: 'WhatsApp gave no filehash for this media, so its bytes cannot be verified',
  noPath: 'the web client has no download path for this media',
  expired: (status?: number) =>
    `media expired on WhatsApp's server${status ? ` (HTTP ${status})` : ''}; only the phone can re-upload it`,
  http: (status: number) => `download failed: HTTP ${status} from the media server`,
  mismatch: 'the downloaded bytes did not match the filehash',
  timeout: (ms: number) => `download timed out after ${Math.round(ms / 1000)} s`,
  network: (detail: string) => `download failed: ${detail.slice(0, 200)}`,
  decrypt: (detail: string) => `the media file did not decrypt: ${detail.slice(0, 200)}`,
} as const;

class Expired extends Error {
  constructor(readonly status?: number) {
    super('expired');
  }
}

export async function fetchMedia(
  source: MediaSource,
  signal: AbortSignal,
  options: MediaFetcherOptions,
): Promise<MediaOutcome> {
  if (source.viewOnce) return { status: 'skipped', reason: MEDIA_REASONS.viewOnce };
  if (!source.filehash) return { status: 'failed', reason: MEDIA_REASONS.noFilehash };
  if (source.stage === MEDIA_STAGE_EXPIRED) return { status: 'expired', reason: MEDIA_REASONS.expired() };
  const mediaKey = source.mediaKey ? bytesOfBase64(source.mediaKey) : undefined;
  const family = mediaKeyFamily(source.waType);
  if (!source.directPath || !mediaKey || mediaKey.length !== 32 || !family)
    return { status: 'failed', reason: MEDIA_REASONS.noPath };

  const client = await options.clientDownload?.().catch(() => undefined);
  if (client) {
    const outcome = await attempt(options.timeoutMs, signal, async (attemptSignal) => {
      const answer = await client({
        directPath: source.directPath,
        encFilehash: source.encFilehash,
        filehash: source.filehash,
        mediaKey: source.mediaKey,
        mediaKeyTimestamp: source.mediaKeyTimestamp,
        type: source.waType,
        signal: attemptSignal,
      });
      const bytes = bytesOfAnswer(answer);
      if (!bytes) throw new Error('the client gave no bytes');
      return verified(bytes, source.filehash!, 'client');
    });
    // Anything but a definite answer (expired, hash mismatch, timeout) tries our own path.
    if (outcome.status !== 'failed' || outcome.reason === MEDIA_REASONS.mismatch) return outcome;
    if (outcome.reason.startsWith('download timed out')) return outcome;
  }
  return attempt(options.timeoutMs, signal, async (attemptSignal) => {
    const fetchFn = options.fetch ?? ((url, init) => fetch(url, init));
    const response = await fetchFn(`${MEDIA_HOST}${source.directPath}`, {
      signal: attemptSignal,
      cache: 'no-store',
    });
    if ((EXPIRED_HTTP_STATUSES as readonly number[]).includes(response.status))
      throw new Expired(response.status);
    if (!response.ok) return { status: 'failed', reason: MEDIA_REASONS.http(response.status) };
    const file = new Uint8Array(await response.arrayBuffer());
    if (source.encFilehash && (await sha256Base64(file)) !== source.encFilehash)
      return { status: 'failed', reason: MEDIA_REASONS.mismatch };
    try {
      return verified(await decryptWhatsAppMedia(file, mediaKey, family), source.filehash!, 'decrypted');
    } catch (error) {
      if (error instanceof MediaDecryptError)
        return { status: 'failed', reason: MEDIA_REASONS.decrypt(error.message) };
      throw error;
    }
  });
}

async function verified(
  bytes: Uint8Array<ArrayBuffer>,
  filehash: string,
  via: 'client' | 'decrypted',
): Promise<MediaOutcome> {
  return (await sha256Base64(bytes)) === filehash
    ? { status: 'stored', bytes, via }
    : { status: 'failed', reason: MEDIA_REASONS.mismatch };
}

/** Runs one download with its own deadline; turns every way it can end into an outcome. */
async function attempt(
  timeoutMs: number,
  signal: AbortSignal,
  run: (signal: AbortSignal) => Promise<MediaOutcome>,
): Promise<MediaOutcome> {
  signal.throwIfAborted();
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new DOMException('timed out', 'TimeoutError')), timeoutMs);
  const combined = AbortSignal.any([signal, deadline.signal]);
  try {
    // The race makes a download that ignores its signal (the client's can) end on time anyway.
    return await Promise.race([
      run(combined),
      new Promise<never>((_, reject) =>
        combined.addEventListener('abort', () => reject(combined.reason), { once: true }),
      ),
    ]);
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (deadline.signal.aborted) return { status: 'failed', reason: MEDIA_REASONS.timeout(timeoutMs) };
    if (error instanceof Expired) return { status: 'expired', reason: MEDIA_REASONS.expired(error.status) };
    const status = statusOf(error);
    if (status !== undefined && (EXPIRED_HTTP_STATUSES as readonly number[]).includes(status))
      return { status: 'expired', reason: MEDIA_REASONS.expired(status) };
    if (status !== undefined) return { status: 'failed', reason: MEDIA_REASONS.http(status) };
    return {
      status: 'failed',
      reason: MEDIA_REASONS.network(error instanceof Error ? error.message : String(error)),
    };
  } finally {
    clearTimeout(timer);
  }
}

function statusOf(error: unknown): number | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  for (const field of ERROR_STATUS_FIELDS) {
    const value = (error as Record<string, unknown>)[field];
    if (typeof value === 'number' && Number.isInteger(value) && value >= 100 && value < 600) return value;
  }
  return undefined;
}

function bytesOfAnswer(answer: unknown): Uint8Array<ArrayBuffer> | undefined {
  if (answer instanceof ArrayBuffer) return new Uint8Array(answer);
  if (ArrayBuffer.isView(answer) && answer.buffer instanceof ArrayBuffer)
    return new Uint8Array(answer.buffer, answer.byteOffset, answer.byteLength).slice();
  if (Object.prototype.toString.call(answer) === '[object ArrayBuffer]')
    return new Uint8Array(answer as ArrayBuffer);
  return undefined;
}
