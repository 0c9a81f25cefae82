import { type ArchiveProgress, type ArchiveReport, type ArchiveSource, createArchive } from './archive';
import { ArchiveError } from './errors';
import { RestorePageError } from './restore-errors';
import { estimateRemainingMs, progressFraction, type RestoreProgressView } from './restore-progress';
import type { SaveTarget } from './save-target';
import { zipArchive } from './zip';

export interface RestoreRunOptions {
  source: ArchiveSource;
  target: SaveTarget;
  /** All chats when absent. */
  chatIds?: readonly string[];
  /** Unix seconds, `from` inclusive and `until` exclusive. */
  from?: number;
  until?: number;
  timeZone?: string;
  onProgress?: (view: RestoreProgressView) => void;
  /** Injected for tests. */
  now?: () => number;
  /** Least time between two progress reports (the page re-renders on each). */
  progressEveryMs?: number;
}

export interface RestoreRunResult {
  report: ArchiveReport;
  /** Bytes of the zip written. */
  bytes: number;
  kind: SaveTarget['kind'];
}

/**
 * Writes one restore zip into a save target: the archive streams from the source (Drive,
 * decrypted and verified as it arrives) through the zip writer into the file, with progress and
 * an ETA. Damaged data does not stop it (the report lists it); a failing destination does.
 */
export async function writeRestoreZip(options: RestoreRunOptions): Promise<RestoreRunResult> {
  if (options === null || typeof options !== 'object') {
    throw new RestorePageError('invalid-argument', 'writeRestoreZip needs options');
  }
  const { source, target } = options;
  if (!target || !(target.writable instanceof WritableStream) || typeof target.finish !== 'function') {
    throw new RestorePageError('invalid-argument', 'target must be a SaveTarget (openSaveTarget)');
  }
  const now = options.now ?? (() => Date.now());
  const every = options.progressEveryMs ?? 200;
  const started = now();
  let bytes = 0;
  let last: ArchiveProgress | undefined;
  let reportedAt = Number.NEGATIVE_INFINITY;
  const report = (force: boolean) => {
    if (!options.onProgress || !last) return;
    const at = now();
    if (!force && at - reportedAt < every) return;
    reportedAt = at;
    const fraction = progressFraction(last);
    options.onProgress({
      fraction,
      remainingMs: estimateRemainingMs(Math.max(0, at - started), fraction),
      bytesWritten: bytes,
      chatsDone: last.chatsDone,
      chatsTotal: last.chatsTotal,
      mediaFilesDone: last.mediaFilesDone,
      mediaFilesTotal: last.mediaFilesTotal,
      path: last.path,
    });
  };
  let archive: ReturnType<typeof createArchive>;
  try {
    archive = createArchive(source, {
      chatIds: options.chatIds,
      from: options.from,
      until: options.until,
      timeZone: options.timeZone,
      onProgress: (progress) => {
        last = progress;
        report(false);
      },
    });
  } catch (error) {
    await target.writable.abort(error).catch(() => {});
    throw error;
  }
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  try {
    await zipArchive(archive).pipeThrough(counter).pipeTo(target.writable);
  } catch (error) {
    // Reading the backup can fail only in ways the archive does not absorb (Drive unreachable);
    // either way the file is incomplete and must not pass for a restore.
    if (error instanceof ArchiveError || error instanceof RestorePageError) throw error;
    throw new RestorePageError('write-failed', `The restore stopped: ${describe(error)}`, { cause: error });
  }
  await target.finish();
  report(true);
  return { report: archive.report, bytes, kind: target.kind };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
