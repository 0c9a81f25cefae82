/**
 * NODE-ONLY (the CLI and tests): a dataset on disk.
 *
 *   <dir>/dataset.json            the Dataset as canonical JSON (no media bytes)
 *   <dir>/media/<base64url hash>  one file per stored media, named by filehashToFileName
 *
 * Datasets can hold gigabytes of media, so media moves one file at a time as a stream and is
 * never gathered in memory. Every file is written under a temporary name and renamed when
 * complete, and dataset.json is written last: a folder that has dataset.json is whole.
 * Only dataset.json is fsynced: syncing each of tens of thousands of media files costs minutes,
 * and `checkDatasetFolder` finds any media file a power cut damaged.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJsonBytes } from './canonical-json';
import { filehashFromBytes, filehashFromFileName, filehashToFileName, isFilehash } from './filehash';
import { isSchemaError } from './schema-error';
import type { Dataset, Filehash } from './types';
import { type ParseOptions, parseDataset } from './validate';

export const DATASET_FILE_NAME = 'dataset.json';
export const MEDIA_DIR_NAME = 'media';
const PARTIAL_SUFFIX = '.partial';
const READ_CHUNK_BYTES = 1 << 20;

export type MediaBytes =
  | Uint8Array
  | Iterable<Uint8Array>
  | AsyncIterable<Uint8Array>
  | ReadableStream<Uint8Array>;
/** Supplies a stored media file's bytes by filehash; undefined when it has none. */
export type MediaSource = (filehash: Filehash) => MediaBytes | undefined | Promise<MediaBytes | undefined>;

export type DatasetFolderErrorCode =
  | 'invalid-argument'
  | 'not-found'
  | 'invalid-dataset'
  | 'media-missing'
  | 'media-hash-mismatch'
  | 'io';

export class DatasetFolderError extends Error {
  override readonly name = 'DatasetFolderError';
  readonly code: DatasetFolderErrorCode;

  constructor(code: DatasetFolderErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
  }
}

export function isDatasetFolderError(
  error: unknown,
  code?: DatasetFolderErrorCode,
): error is DatasetFolderError {
  return error instanceof DatasetFolderError && (code === undefined || error.code === code);
}

export interface WriteDatasetFolderReport {
  mediaFiles: number;
  mediaBytes: number;
}

/**
 * Writes `dataset` to `dir` (created if needed). Each distinct filehash of `stored` media is
 * fetched from `media` and hashed while it is written; a missing file or a hash that does not
 * match fails the whole write (DatasetFolderError `media-missing` / `media-hash-mismatch`)
 * before dataset.json exists.
 */
export async function writeDatasetFolder(
  dir: string,
  dataset: Dataset,
  media: MediaSource,
  options: ParseOptions = {},
): Promise<WriteDatasetFolderReport> {
  assertDir(dir);
  if (typeof media !== 'function')
    throw new DatasetFolderError('invalid-argument', 'media must be a function (filehash) => bytes');
  const parsed = parseDataset(dataset, options);
  if (!parsed.ok) {
    throw new DatasetFolderError(
      'invalid-dataset',
      `Refusing to write an invalid dataset: ${parsed.error.message}`,
      {
        cause: parsed.error,
      },
    );
  }
  const mediaDir = join(dir, MEDIA_DIR_NAME);
  await io(`create ${mediaDir}`, () => mkdir(mediaDir, { recursive: true }));

  const report: WriteDatasetFolderReport = { mediaFiles: 0, mediaBytes: 0 };
  for (const filehash of storedFilehashes(dataset)) {
    const source = await media(filehash);
    if (source === undefined) {
      throw new DatasetFolderError('media-missing', `No bytes for stored media ${filehash}`);
    }
    report.mediaBytes += await writeMediaFile(join(mediaDir, filehashToFileName(filehash)), filehash, source);
    report.mediaFiles++;
  }
  await writeAtomically(join(dir, DATASET_FILE_NAME), [canonicalJsonBytes(dataset)], { durable: true });
  return report;
}

export interface DatasetFolder {
  readonly dir: string;
  readonly dataset: Dataset;
  /** Where a media file lives (whether or not it exists). */
  mediaPath(filehash: Filehash): string;
  hasMedia(filehash: Filehash): Promise<boolean>;
  /** Streams one media file in chunks; rejects with `media-missing` when the file is absent. */
  openMedia(filehash: Filehash): AsyncIterable<Uint8Array>;
  /** The same as openMedia, as a web ReadableStream (what Storage.put accepts). */
  openMediaStream(filehash: Filehash): ReadableStream<Uint8Array>;
  /** A whole media file in memory; for small files and tests. */
  readMedia(filehash: Filehash): Promise<Uint8Array>;
}

/** Reads and validates dataset.json; media stays on disk until asked for. */
export async function readDatasetFolder(dir: string, options: ParseOptions = {}): Promise<DatasetFolder> {
  assertDir(dir);
  const file = join(dir, DATASET_FILE_NAME);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT')
      throw new DatasetFolderError('not-found', `No ${DATASET_FILE_NAME} in ${dir}`, { cause: error });
    throw new DatasetFolderError('io', `Cannot read ${file}: ${String(error)}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DatasetFolderError('invalid-dataset', `${file} is not JSON: ${String(error)}`, {
      cause: error,
    });
  }
  const parsed = parseDataset(json, options);
  if (!parsed.ok)
    throw new DatasetFolderError('invalid-dataset', `${file}: ${parsed.error.message}`, {
      cause: parsed.error,
    });

  const mediaPath = (filehash: Filehash) => join(dir, MEDIA_DIR_NAME, mediaFileName(filehash));
  const openMedia = (filehash: Filehash) => readMediaChunks(mediaPath(filehash), filehash);
  return {
    dir,
    dataset: parsed.value,
    mediaPath,
    async hasMedia(filehash) {
      return (await statOrUndefined(mediaPath(filehash)))?.isFile() === true;
    },
    openMedia,
    openMediaStream(filehash) {
      const iterator = openMedia(filehash)[Symbol.asyncIterator]();
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await iterator.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        },
        async cancel() {
          await iterator.return?.();
        },
      });
    },
    async readMedia(filehash) {
      const chunks: Uint8Array[] = [];
      for await (const chunk of openMedia(filehash)) chunks.push(chunk);
      return concatBytes(chunks);
    },
  };
}

export interface DatasetFolderCheck {
  /** Stored media the dataset lists but the folder lacks. */
  missing: Filehash[];
  /** Media files whose bytes do not hash to their name. */
  corrupt: Filehash[];
  /** Files in media/ that no stored media of the dataset names (harmless, reported for cleanup). */
  unreferenced: string[];
  checkedFiles: number;
  checkedBytes: number;
}

/** Re-hashes every media file (streaming, one at a time) against the dataset. */
export async function checkDatasetFolder(
  dir: string,
  options: ParseOptions = {},
): Promise<DatasetFolderCheck> {
  const folder = await readDatasetFolder(dir, options);
  const expected = new Set(storedFilehashes(folder.dataset));
  const report: DatasetFolderCheck = {
    missing: [],
    corrupt: [],
    unreferenced: [],
    checkedFiles: 0,
    checkedBytes: 0,
  };
  const names = await listMediaDir(join(dir, MEDIA_DIR_NAME));
  const present = new Set<Filehash>();
  for (const name of names) {
    const filehash = filehashOfFileName(name);
    if (filehash === undefined || !expected.has(filehash)) {
      report.unreferenced.push(name);
      continue;
    }
    present.add(filehash);
    const hash = createHash('sha256');
    for await (const chunk of folder.openMedia(filehash)) {
      hash.update(chunk);
      report.checkedBytes += chunk.length;
    }
    report.checkedFiles++;
    if (filehashFromBytes(hash.digest()) !== filehash) report.corrupt.push(filehash);
  }
  for (const filehash of expected) if (!present.has(filehash)) report.missing.push(filehash);
  return report;
}

/** Each distinct filehash of `stored` media, in dataset order. */
export function storedFilehashes(dataset: Dataset): Filehash[] {
  const seen = new Set<Filehash>();
  for (const message of dataset.messages) {
    const media = message.media;
    if (media?.status === 'stored' && media.filehash !== undefined) seen.add(media.filehash);
  }
  return [...seen];
}

async function writeMediaFile(path: string, filehash: Filehash, source: MediaBytes): Promise<number> {
  const hash = createHash('sha256');
  let size = 0;
  await writeAtomically(path, toChunks(source), {
    onChunk(chunk) {
      hash.update(chunk);
      size += chunk.length;
    },
  });
  const actual = filehashFromBytes(hash.digest());
  if (actual !== filehash) {
    await rm(path, { force: true });
    throw new DatasetFolderError('media-hash-mismatch', `Media bytes for ${filehash} hash to ${actual}`);
  }
  return size;
}

/** Writes chunks to `<path>.partial` and renames it into place only once everything is on disk. */
async function writeAtomically(
  path: string,
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  options: { onChunk?: (chunk: Uint8Array) => void; durable?: boolean },
): Promise<void> {
  const temporary = path + PARTIAL_SUFFIX;
  const handle = await io(`open ${temporary}`, () => open(temporary, 'w'));
  try {
    for await (const chunk of chunks) {
      if (!(chunk instanceof Uint8Array))
        throw new DatasetFolderError('invalid-argument', `media chunks must be Uint8Array (${path})`);
      options.onChunk?.(chunk);
      await io(`write ${temporary}`, () => handle.write(chunk));
    }
    if (options.durable) await io(`flush ${temporary}`, () => handle.sync());
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await io(`rename ${temporary}`, () => rename(temporary, path));
}

function toChunks(source: MediaBytes): Iterable<Uint8Array> | AsyncIterable<Uint8Array> {
  if (source instanceof Uint8Array) return [source];
  if (source instanceof ReadableStream) return streamChunks(source);
  if (
    source !== null &&
    typeof source === 'object' &&
    (Symbol.iterator in source || Symbol.asyncIterator in source)
  ) {
    return source;
  }
  throw new DatasetFolderError(
    'invalid-argument',
    'media bytes must be a Uint8Array, an (async) iterable of them or a ReadableStream',
  );
}

async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

async function* readMediaChunks(path: string, filehash: Filehash): AsyncIterable<Uint8Array> {
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      throw new DatasetFolderError('media-missing', `No media file for ${filehash} at ${path}`, {
        cause: error,
      });
    }
    throw new DatasetFolderError('io', `Cannot read ${path}: ${String(error)}`, { cause: error });
  } finally {
    stream.destroy();
  }
}

function mediaFileName(filehash: Filehash): string {
  if (!isFilehash(filehash))
    throw new DatasetFolderError('invalid-argument', `Not a filehash: ${JSON.stringify(String(filehash))}`);
  return filehashToFileName(filehash);
}

function filehashOfFileName(name: string): Filehash | undefined {
  try {
    return filehashFromFileName(name);
  } catch (error) {
    if (isSchemaError(error)) return undefined;
    throw error;
  }
}

async function listMediaDir(path: string): Promise<string[]> {
  try {
    return (await readdir(path, { withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw new DatasetFolderError('io', `Cannot list ${path}: ${String(error)}`, { cause: error });
  }
}

async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw new DatasetFolderError('io', `Cannot stat ${path}: ${String(error)}`, { cause: error });
  }
}

async function io<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw new DatasetFolderError('io', `Cannot ${what}: ${String(error)}`, { cause: error });
  }
}

function assertDir(dir: string): void {
  if (typeof dir !== 'string' || dir.length === 0)
    throw new DatasetFolderError('invalid-argument', 'dir must be a non-empty path');
}

function errorCode(error: unknown): string | undefined {
  return (error as { code?: unknown } | null)?.code as string | undefined;
}

function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
