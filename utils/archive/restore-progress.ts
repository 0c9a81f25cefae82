import type { ArchiveProgress } from './archive';

/** What the restore page shows while the archive is written. */
export interface RestoreProgressView {
  /** 0…1 of the estimated work. */
  fraction: number;
  /** Estimated time left; undefined until there is enough to go on. */
  remainingMs?: number;
  bytesWritten: number;
  chatsDone: number;
  chatsTotal: number;
  mediaFilesDone: number;
  mediaFilesTotal: number;
  path?: string;
}

// Media bytes are nearly all of the download-and-decrypt work; chats (text, JSON, viewer data)
// get a small share so a backup without media still moves.
const CHAT_SHARE = 0.1;

/** How far the archive is, from the writer's progress report. */
export function progressFraction(progress: ArchiveProgress): number {
  if (progress === null || typeof progress !== 'object')
    throw new TypeError('progress must be an ArchiveProgress');
  const chats = progress.chatsTotal > 0 ? Math.min(1, progress.chatsDone / progress.chatsTotal) : 1;
  if (!(progress.mediaBytesTotal > 0)) return chats;
  const media = Math.min(1, progress.mediaBytesDone / progress.mediaBytesTotal);
  return CHAT_SHARE * chats + (1 - CHAT_SHARE) * media;
}

// Below these, a rate measured so far says little about the rest.
const MIN_ELAPSED_MS = 1000;
const MIN_FRACTION = 0.01;

/** Time left at the average rate so far; undefined when it is too early to say. */
export function estimateRemainingMs(elapsedMs: number, fraction: number): number | undefined {
  if (!Number.isFinite(elapsedMs) || elapsedMs < 0)
    throw new RangeError('elapsedMs must be a non-negative number');
  if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1)
    throw new RangeError('fraction must be within 0…1');
  if (fraction >= 1) return 0;
  if (elapsedMs < MIN_ELAPSED_MS || fraction < MIN_FRACTION) return undefined;
  return Math.round((elapsedMs * (1 - fraction)) / fraction);
}

/** "about 3 min", "about 40 s", "less than 5 s": an ETA, as precise as it deserves. */
export function formatRemaining(ms: number | undefined): string {
  if (ms === undefined) return 'estimating time left…';
  if (ms < 5000) return 'less than 5 s left';
  const seconds = Math.round(ms / 1000);
  if (seconds < 90) return `about ${seconds} s left`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `about ${minutes} min left`;
  return `about ${(minutes / 60).toFixed(1)} h left`;
}
