/**
 * NODE-ONLY (the CLI and tests): writes an archive into a folder.
 *
 * Each file is written under `<name>.partial` and renamed when complete, so an interrupted
 * restore never leaves a file that looks whole; media files get their message's time as
 * modification time, so they sort by date in any file manager.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, utimes } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Writable } from 'node:stream';
import type { ArchiveEntry } from './archive';
import { ArchiveError, DamagedEntryError, describeError } from './errors';
import { zipArchive } from './zip';

const PARTIAL = '.partial';

export interface FolderWriteOptions {
  /** Write into a folder that already holds files (default: refuse, to never mix two archives). */
  allowNonEmpty?: boolean;
}

export async function writeArchiveToFolder(
  entries: AsyncIterable<ArchiveEntry>,
  dir: string,
  options: FolderWriteOptions = {},
): Promise<void> {
  if (typeof dir !== 'string' || dir === '') throw new ArchiveError('invalid-argument', 'dir must be a path');
  const root = resolve(dir);
  await ensureEmptyFolder(root, options.allowNonEmpty ?? false);
  const made = new Set<string>();
  for await (const entry of entries) {
    const target = join(root, ...checkedSegments(entry.path));
    const parent = dirname(target);
    if (!made.has(parent)) {
      await mkdir(parent, { recursive: true });
      made.add(parent);
    }
    await writeEntry(entry, target);
  }
}

/** Writes the archive as one zip file (`<file>.partial` until complete). */
export async function writeArchiveToZipFile(
  entries: AsyncIterable<ArchiveEntry>,
  file: string,
): Promise<void> {
  if (typeof file !== 'string' || file === '')
    throw new ArchiveError('invalid-argument', 'file must be a path');
  const target = resolve(file);
  await mkdir(dirname(target), { recursive: true });
  const partial = `${target}${PARTIAL}`;
  try {
    await zipArchive(entries).pipeTo(
      Writable.toWeb(createWriteStream(partial)) as WritableStream<Uint8Array>,
    );
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw error instanceof ArchiveError
      ? error
      : new ArchiveError('io', `Could not write ${target}: ${describeError(error)}`, { cause: error });
  }
}

async function ensureEmptyFolder(root: string, allowNonEmpty: boolean): Promise<void> {
  try {
    await mkdir(root, { recursive: true });
    if (!allowNonEmpty && (await readdir(root)).length > 0) {
      throw new ArchiveError(
        'destination-not-empty',
        `${root} is not empty; choose a new or empty folder for the archive`,
      );
    }
  } catch (error) {
    if (error instanceof ArchiveError) throw error;
    throw new ArchiveError('io', `Cannot use ${root} for the archive: ${describeError(error)}`, {
      cause: error,
    });
  }
}

async function writeEntry(entry: ArchiveEntry, target: string): Promise<void> {
  const partial = `${target}${PARTIAL}`;
  const file = await open(partial, 'w').catch((error: unknown) => {
    throw new ArchiveError('io', `Cannot create ${partial}: ${describeError(error)}`, { cause: error });
  });
  try {
    if (entry.content instanceof Uint8Array) await file.write(entry.content);
    else for await (const piece of entry.content) await file.write(piece);
    await file.close();
  } catch (error) {
    await file.close().catch(() => {});
    await rm(partial, { force: true });
    // A damaged media file is left out; the archive's problems.txt already names it.
    if (error instanceof DamagedEntryError) return;
    if (error instanceof ArchiveError) throw error;
    throw new ArchiveError('io', `Could not write ${target}: ${describeError(error)}`, { cause: error });
  }
  await utimes(partial, entry.lastModified, entry.lastModified);
  await rename(partial, target);
}

/** The entry path as segments, refusing anything that could land outside the archive folder. */
function checkedSegments(path: string): string[] {
  const segments = typeof path === 'string' ? path.split('/') : [];
  const bad =
    segments.length === 0 ||
    segments.some(
      (s) => s === '' || s === '.' || s === '..' || s.includes('\\') || s.includes('\0') || s.includes(sep),
    );
  if (bad)
    throw new ArchiveError(
      'invalid-path',
      `archive entry path ${JSON.stringify(path)} is not a safe relative path`,
    );
  return segments;
}
