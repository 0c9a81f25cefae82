import type { CollectOptions, CollectProgress, MediaItem } from '@/utils/messages/collect-protocol';
import type { MediaRef } from '@/utils/schema/types';
import { type ClientDownload, fetchMedia, type MediaOutcome } from './media-fetcher';
import type { NormalizedMessage } from './normalize-message';
import { createLimiter, humanPause, type Limiter } from './pace';

/**
 * Settles the media of one batch of messages: a filehash the catalog (or this run) already has
 * is never fetched again; the rest download at most `mediaConcurrency` at a time at a human
 * pace, and each stored file is handed on (as a media item) before the messages that name it.
 * Every message's `media.status` ends as stored, expired, failed or skipped, with a reason.
 */
export interface MediaSettler {
  settle(batch: readonly NormalizedMessage[], signal: AbortSignal): Promise<void>;
}

export function createMediaSettler(deps: {
  options: CollectOptions;
  known: Set<string>;
  clientDownload: () => Promise<ClientDownload | undefined>;
  send: (item: MediaItem) => Promise<void>;
  progress: CollectProgress;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}): MediaSettler {
  const limiter: Limiter = createLimiter(deps.options.mediaConcurrency);
  /** Downloads of this run by filehash: a file forwarded into many messages is fetched once. */
  const inFlight = new Map<string, Promise<MediaOutcome>>();

  const download = (entry: NormalizedMessage, signal: AbortSignal): Promise<MediaOutcome> => {
    const source = entry.media!;
    const filehash = source.filehash;
    const existing = filehash ? inFlight.get(filehash) : undefined;
    if (existing) return existing;
    const promise = limiter.run(async () => {
      await humanPause(deps.options.paceMs / 2, signal);
      const outcome = await fetchMedia(source, signal, {
        clientDownload: deps.clientDownload,
        timeoutMs: deps.options.mediaTimeoutMs,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      });
      if (outcome.status === 'stored' && filehash) {
        await deps.send({
          kind: 'media',
          filehash,
          mimetype: source.mimetype,
          bytes: new Blob([outcome.bytes], { type: source.mimetype }),
        });
        deps.known.add(filehash);
        deps.progress.mediaStored++;
        deps.progress.mediaBytes += outcome.bytes.byteLength;
        // Release the bytes: the outcome stays in the map for later messages of this run.
        return { status: 'stored', bytes: new Uint8Array(0), via: outcome.via } as MediaOutcome;
      }
      return outcome;
    });
    if (filehash) inFlight.set(filehash, promise);
    return promise;
  };

  return {
    async settle(batch, signal) {
      const work: Promise<void>[] = [];
      for (const entry of batch) {
        const ref = entry.message.media;
        if (!ref || !entry.media) continue;
        const filehash = entry.media.filehash;
        if (filehash && deps.known.has(filehash) && !inFlight.has(filehash)) {
          apply(ref, { status: 'stored', bytes: new Uint8Array(0), via: 'client' });
          deps.progress.mediaKnown++;
          continue;
        }
        if (!deps.options.downloadMedia && !entry.media.viewOnce) {
          apply(ref, { status: 'skipped', reason: 'media downloads were turned off for this backup' });
          deps.progress.mediaSkipped++;
          continue;
        }
        work.push(
          download(entry, signal).then((outcome) => {
            apply(ref, outcome);
            if (outcome.status === 'expired') deps.progress.mediaExpired++;
            else if (outcome.status === 'failed') deps.progress.mediaFailed++;
            else if (outcome.status === 'skipped') deps.progress.mediaSkipped++;
          }),
        );
      }
      await Promise.all(work);
    },
  };
}

function apply(ref: MediaRef, outcome: MediaOutcome): void {
  ref.status = outcome.status;
  if (outcome.status === 'stored') delete ref.reason;
  else ref.reason = outcome.reason;
}
