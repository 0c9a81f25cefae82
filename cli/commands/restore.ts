import { resolve } from 'node:path';
import type { ArchiveProgress } from '@/utils/archive/archive';
import { createArchive } from '@/utils/archive/archive';
import { isArchiveError } from '@/utils/archive/errors';
import { writeArchiveToFolder, writeArchiveToZipFile } from '@/utils/archive/folder-writer.node.ts';
import type { ArchiveProblem } from '@/utils/archive/problems';
import { snapshotArchiveSource } from '@/utils/archive/snapshot-source';
import { restoreToFolder } from '@/utils/repo/restore-folder.node.ts';
import { resolveSnapshotId } from '@/utils/repo/snapshot';
import { openFromOptions, type RepoOptions } from '../context';
import { EXIT, UsageError } from '../exit-codes';
import { bytes, count } from '../format';

export const restoreOptions = {
  out: { type: 'string' },
  format: { type: 'string' },
  'time-zone': { type: 'string' },
} as const;

type RestoreCliOptions = RepoOptions & { out?: string; format?: string; 'time-zone'?: string };

/**
 * `chatvault restore ID|latest --out DIR [--format archive|dataset] [--time-zone ZONE]`.
 * The default writes the readable archive (docs/ARCHIVE.md) into DIR, or into one zip file when
 * DIR ends in `.zip`; `--format dataset` writes the dataset folder the backup was made from.
 */
export async function restore(options: RestoreCliOptions, positionals: string[]): Promise<number> {
  const reference = positionals[0];
  if (!reference) throw new UsageError('Which snapshot? Give its id (or a prefix) or "latest".');
  if (!options.out) throw new UsageError('Where to? Give --out DIR.');
  const format = options.format ?? 'archive';
  if (format !== 'archive' && format !== 'dataset') {
    throw new UsageError(`--format must be "archive" or "dataset", not "${format}".`);
  }
  if (format === 'dataset' && options['time-zone'] !== undefined) {
    throw new UsageError('--time-zone applies to --format archive only (a dataset keeps unix times).');
  }
  const repository = await openFromOptions(options);
  const id = await resolveSnapshotId(repository, reference);
  return format === 'dataset'
    ? restoreDataset(repository, id, options.out)
    : restoreArchive(repository, id, options.out, options['time-zone']);
}

async function restoreDataset(
  repository: Awaited<ReturnType<typeof openFromOptions>>,
  id: string,
  out: string,
): Promise<number> {
  const result = await restoreToFolder(repository, id, resolve(out));
  const messages = result.dataset.messages.length;
  console.log(
    `Restored snapshot ${id.slice(0, 12)} into ${out}: ${count(result.dataset.chats.length, 'chat')}, ${count(messages, 'message')}, ${count(result.mediaFiles, 'media file')} (${bytes(result.mediaBytes)}).`,
  );
  return reportProblems(result.problems);
}

async function restoreArchive(
  repository: Awaited<ReturnType<typeof openFromOptions>>,
  id: string,
  out: string,
  timeZone: string | undefined,
): Promise<number> {
  const source = await snapshotArchiveSource(repository, id);
  let archive: ReturnType<typeof createArchive>;
  try {
    archive = createArchive(source, { ...(timeZone ? { timeZone } : {}), onProgress: progressLine() });
  } catch (error) {
    if (isArchiveError(error, 'invalid-time-zone')) throw new UsageError(error.message);
    throw error;
  }
  const zip = /\.zip$/i.test(out);
  try {
    if (zip) await writeArchiveToZipFile(archive, resolve(out));
    else await writeArchiveToFolder(archive, resolve(out));
  } catch (error) {
    if (isArchiveError(error, 'destination-not-empty')) throw new UsageError(error.message);
    throw error;
  } finally {
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  }
  const report = archive.report;
  console.log(
    `Restored snapshot ${id.slice(0, 12)} into ${out}: ${count(report.chats, 'chat')}, ${count(report.messages, 'message')}, ${count(report.mediaFiles, 'media file')} (${bytes(report.mediaBytes)}).`,
  );
  console.log(
    zip
      ? 'Unzip it and open index.html in a web browser to read the chats.'
      : `Open ${resolve(out, 'index.html')} in a web browser to read the chats.`,
  );
  return reportProblems(report.problems);
}

function reportProblems(problems: readonly ArchiveProblem[]): number {
  if (problems.length === 0) return EXIT.ok;
  console.error(`\n${count(problems.length, 'part')} of this backup could not be restored:`);
  for (const p of problems) {
    const where =
      p.kind === 'segment'
        ? `${p.messages} messages of ${p.chatId} in ${p.month}`
        : p.kind === 'media'
          ? (p.path ?? `media file ${p.filehash}`)
          : p.kind === 'chat'
            ? `details of chat ${p.chatId}`
            : 'the contact names';
    console.error(`  - ${where}: ${p.error}`);
  }
  return EXIT.damaged;
}

/** A one-line progress display on a terminal; silent when output goes to a file or a test. */
function progressLine(): ((progress: ArchiveProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  return (progress) => {
    const now = Date.now();
    if (now - last < 250) return;
    last = now;
    const share = progress.mediaBytesTotal > 0 ? progress.mediaBytesDone / progress.mediaBytesTotal : 0;
    process.stderr.write(
      `\r\x1b[KRestoring: chat ${progress.chatsDone}/${progress.chatsTotal}, media ${progress.mediaFilesDone}/${progress.mediaFilesTotal} (${Math.round(share * 100)} %)`,
    );
  };
}
