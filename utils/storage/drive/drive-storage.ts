import { backoffDelayMs, DEFAULT_BACKOFF } from '../backoff';
import { checkByteRange, resolveByteRange } from '../byte-range';
import { concatBytes } from '../byte-streams';
import { checkPutArguments, type PutData } from '../put-data';
import { sleep as realSleep } from '../sleep';
import {
  assertValidName,
  type ByteRange,
  type ObjectInfo,
  type PutOptions,
  type Storage,
  StorageError,
} from '../storage';
import { asStorageError, invalidArgument } from '../storage-errors';
import { type AccessTokenSource, isAccessTokenSource } from './access-token';
import { ByteSource } from './byte-source';
import { ChunkPacer, type ChunkPolicy } from './chunk-pacer';
import { FileGone, openDownload } from './download';
import { DriveApi, type FetchFunction } from './drive-api';
import {
  type DriveFile,
  deleteDriveFile,
  isFolderFile,
  listAllDriveFiles,
  listDriveFiles,
  newestFirst,
  oldestFirst,
  sizeOf,
} from './drive-files';
import { childrenQuery, filesNamedQuery } from './drive-query';
import { FolderTree } from './folder-tree';
import { isKeyValueStore, type KeyValueStore } from './key-value-store';
import { MULTIPART_MAX_BYTES, uploadMultipart } from './multipart-upload';
import { uploadResumable } from './resumable-upload';
import { UploadSessionStore } from './upload-sessions';
import type { UploadRetryPolicy } from './upload-verification';

export const DEFAULT_FOLDER_NAME = 'ChatVault Backups';
export const GOOGLE_API_ROOT = 'https://www.googleapis.com/';
/** Below Chrome's 30 s limit on a fetch's response, so a stalled request ends as ours to retry. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 25_000;

export interface DriveStorageOptions {
  /** The signed-in user's access token (utils/auth in the extension). */
  tokens: AccessTokenSource;
  /** Defaults to the global fetch. */
  fetch?: FetchFunction;
  /** Where resumable sessions are remembered for the next service worker (browser.storage.local). */
  sessionStore?: KeyValueStore;
  /** The visible folder in My Drive that holds the repository. */
  folderName?: string;
  /** Defaults to https://www.googleapis.com/; tests point it at the emulator. */
  apiRoot?: string;
  requestTimeoutMs?: number;
  chunks?: Partial<ChunkPolicy>;
  uploadRetry?: Partial<UploadRetryPolicy>;
  /** Injected for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

/** The account and its quota, for the settings page's connection check. */
export interface DriveAbout {
  email?: string;
  displayName?: string;
  /** Undefined for unlimited storage (some Workspace accounts). */
  limitBytes?: number;
  usageBytes: number;
}

interface KnownFile {
  file: DriveFile;
  parentId: string;
}

/**
 * The Storage interface over the Google Drive v3 REST API (`drive.file` scope).
 *
 * Layout: a visible folder "ChatVault Backups" in My Drive, and below it one Drive folder per
 * name segment, so `data/ab12…` is the file `ab12…` in the folder `data` — the layout of the local
 * folder backend. Why folders rather than flat files with the full name in appProperties: a user
 * who downloads the folder from Drive gets a directory the CLI restores as it is; listing
 * `snapshots/` reads one small folder instead of paging through every pack; and appProperties
 * hold at most 124 bytes per entry, less than a 255-character name.
 *
 * Duplicates: Drive allows several files with one name in one folder. A put uploads a new file
 * and then deletes the older ones; until then, and if that cleanup fails, every reader picks the
 * newest complete file (drive-files.ts `newestFirst`) and ignores the rest. A resumable upload
 * creates its file only when the last byte has arrived, so a failed put never leaves a partial
 * file anyone could read.
 *
 * Retries: reads, listings and deletes fail fast with retryable StorageErrors for withRetry.
 * Uploads retry inside (a stream is consumed and cannot be handed back), resuming from what Drive
 * kept; see resumable-upload.ts.
 */
export class DriveStorage implements Storage {
  readonly description: string;
  readonly #api: DriveApi;
  readonly #folders: FolderTree;
  readonly #sessions: UploadSessionStore;
  readonly #pacer: ChunkPacer;
  readonly #retry: UploadRetryPolicy;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;
  /** Where recently listed, read or written objects live, to skip a lookup before a read. */
  readonly #known = new Map<string, KnownFile>();

  constructor(options: DriveStorageOptions) {
    checkOptions(options);
    const folderName = options.folderName ?? DEFAULT_FOLDER_NAME;
    this.description = `Google Drive folder "${folderName}"`;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? realSleep;
    this.#random = options.random ?? Math.random;
    this.#api = new DriveApi({
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      tokens: options.tokens,
      apiRoot: options.apiRoot ?? GOOGLE_API_ROOT,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    });
    this.#folders = new FolderTree(this.#api, folderName);
    this.#sessions = new UploadSessionStore(options.sessionStore, this.#now);
    this.#pacer = new ChunkPacer(options.chunks);
    this.#retry = { ...DEFAULT_BACKOFF, ...options.uploadRetry };
  }

  /** The size of the next upload chunk (grows with the measured speed). */
  get chunkBytes(): number {
    return this.#pacer.chunkBytes;
  }

  async put(name: string, data: PutData, options?: PutOptions): Promise<void> {
    await checkPutArguments(name, data, options);
    const source = new ByteSource(data, { size: options?.size, signal: options?.signal });
    const { folder, leaf } = splitName(name);
    try {
      const parentId = await this.#folders.ensure(folder);
      const target = {
        name,
        parentId,
        leaf,
        signal: options?.signal,
        onProgress: options?.onProgress,
        refreshParent: () => this.#refreshFolder(folder),
      };
      const file = await this.#upload(target, source);
      this.#known.set(name, { file, parentId: target.parentId });
      await this.#dropOlderTwins(target.parentId, leaf, file);
    } catch (error) {
      await source.cancel(error);
      throw asStorageError(error, `Storing ${name} in Google Drive failed`);
    }
  }

  async get(name: string, range?: ByteRange): Promise<Uint8Array> {
    const stream = await this.getStream(name, range);
    const chunks: Uint8Array[] = [];
    const reader = stream.getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
    return concatBytes(chunks);
  }

  async getStream(name: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
    assertValidName(name);
    checkByteRange(range);
    let known = await this.#require(name, true);
    for (let attempt = 1; ; attempt += 1) {
      const size = sizeOf(known.file);
      const { start, end } = resolveByteRange(range, size);
      if (end <= start) return new ReadableStream({ start: (controller) => controller.close() });
      try {
        return await openDownload(this.#api, known.file.id, start, end, size, `reading ${name}`);
      } catch (error) {
        // Replaced or deleted since we looked it up (by another device, or our cache is old).
        if (!(error instanceof FileGone) || attempt > 1) {
          throw error instanceof FileGone ? notFound(name) : asStorageError(error, `Reading ${name} failed`);
        }
        this.#known.delete(name);
        known = await this.#require(name, false);
      }
    }
  }

  async stat(name: string): Promise<ObjectInfo | undefined> {
    assertValidName(name);
    const known = await this.#lookup(name);
    return known ? { name, size: sizeOf(known.file) } : undefined;
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    if (typeof prefix !== 'string') throw invalidArgument('list() needs a string prefix');
    const cut = prefix.lastIndexOf('/');
    const folder = cut < 0 ? [] : prefix.slice(0, cut).split('/');
    if (!folder.every(isNameSegment)) return;
    const folderId = await this.#folders.find(folder);
    if (folderId === undefined) return;
    yield* this.#walk(folderId, folder, prefix.slice(cut + 1));
  }

  async delete(name: string): Promise<void> {
    assertValidName(name);
    const { folder, leaf } = splitName(name);
    this.#known.delete(name);
    const parentId = await this.#folders.find(folder);
    if (parentId === undefined) return;
    const what = `deleting ${name}`;
    for (const file of await listAllDriveFiles(this.#api, filesNamedQuery(parentId, leaf), what)) {
      await deleteDriveFile(this.#api, file.id, what);
    }
    this.#known.delete(name);
  }

  /** The signed-in account and its storage quota. */
  async about(): Promise<DriveAbout> {
    const about = await this.#api.json<{
      user?: { emailAddress?: string; displayName?: string };
      storageQuota?: { limit?: string; usage?: string };
    }>({
      method: 'GET',
      url: 'drive/v3/about',
      query: { fields: 'user(displayName,emailAddress),storageQuota(limit,usage)' },
      what: 'reading the Drive quota',
    });
    const limit = about.storageQuota?.limit === undefined ? undefined : Number(about.storageQuota.limit);
    return {
      email: about.user?.emailAddress,
      displayName: about.user?.displayName,
      limitBytes: Number.isFinite(limit) ? limit : undefined,
      usageBytes: Number(about.storageQuota?.usage ?? 0) || 0,
    };
  }

  async #upload(target: Parameters<typeof uploadResumable>[1], source: ByteSource): Promise<DriveFile> {
    const known = source.knownSize;
    let initial: Uint8Array;
    if (known !== undefined && known > MULTIPART_MAX_BYTES) {
      initial = new Uint8Array(0);
    } else {
      // Small, or of unknown size: read up to the multipart limit and one byte more to tell.
      initial = await source.read(MULTIPART_MAX_BYTES + 1);
      if (initial.length <= MULTIPART_MAX_BYTES) await source.read(1); // meets the end (and checks a declared size)
    }
    if (source.done && initial.length <= MULTIPART_MAX_BYTES) {
      const file = await this.#multipart(target, initial, !source.replayable);
      target.onProgress?.(initial.length);
      return file;
    }
    const context = {
      api: this.#api,
      sessions: this.#sessions,
      pacer: this.#pacer,
      retry: this.#retry,
      sleep: this.#sleep,
      random: this.#random,
      now: this.#now,
    };
    return uploadResumable(context, target, source, initial);
  }

  /**
   * Bytes a caller handed over are retried by withRetry, which can call put again; bytes read from
   * a stream exist only here, so this retries them itself.
   */
  async #multipart(
    target: Parameters<typeof uploadResumable>[1],
    bytes: Uint8Array,
    retryHere: boolean,
  ): Promise<DriveFile> {
    for (let failures = 0; ; ) {
      try {
        return await uploadMultipart(this.#api, target, bytes);
      } catch (error) {
        const failure = asStorageError(error, `upload of ${target.name}`);
        if (failure.code === 'not-found' && failures === 0) {
          // The parent folder vanished (deleted in Drive's UI): make it again, once.
          target.parentId = await target.refreshParent();
          failures += 1;
          continue;
        }
        failures += 1;
        if (!retryHere || !failure.retryable || failures >= this.#retry.maxAttempts) throw failure;
        const wait = Math.max(
          backoffDelayMs(failures, this.#retry, this.#random),
          (failure.retryAfterSeconds ?? 0) * 1000,
        );
        await this.#sleep(wait, target.signal);
      }
    }
  }

  async #refreshFolder(folder: readonly string[]): Promise<string> {
    this.#folders.forget();
    this.#known.clear();
    return this.#folders.ensure(folder);
  }

  /** After a put: older files of the same name are replaced versions (or a crashed put's twin). */
  async #dropOlderTwins(parentId: string, leaf: string, ours: DriveFile): Promise<void> {
    try {
      const twins = await listAllDriveFiles(this.#api, filesNamedQuery(parentId, leaf), `replacing ${leaf}`);
      for (const twin of twins) {
        if (twin.id !== ours.id && newestFirst(ours, twin) < 0) {
          await deleteDriveFile(this.#api, twin.id, `removing an older version of ${leaf}`);
        }
      }
    } catch {
      // Readers ignore older twins; the next put of this name (or a prune) removes them.
    }
  }

  async #require(name: string, useCache: boolean): Promise<KnownFile> {
    const known = (useCache ? this.#known.get(name) : undefined) ?? (await this.#lookup(name));
    if (!known) throw notFound(name);
    return known;
  }

  async #lookup(name: string): Promise<KnownFile | undefined> {
    const { folder, leaf } = splitName(name);
    const parentId = await this.#folders.find(folder);
    if (parentId === undefined) return undefined;
    const files = await listAllDriveFiles(this.#api, filesNamedQuery(parentId, leaf), `looking up ${name}`);
    const newest = files.sort(newestFirst)[0];
    if (newest === undefined) {
      this.#known.delete(name);
      return undefined;
    }
    const known = { file: newest, parentId };
    this.#known.set(name, known);
    return known;
  }

  /** Every object in a folder whose name starts with `partial`, and everything below such subfolders. */
  async *#walk(folderId: string, folder: readonly string[], partial: string): AsyncGenerator<ObjectInfo> {
    const files = new Map<string, DriveFile>();
    const folders = new Map<string, DriveFile>();
    for await (const child of listDriveFiles(
      this.#api,
      childrenQuery(folderId),
      `listing ${folder.join('/') || 'the backup folder'}`,
    )) {
      if (!child.name.startsWith(partial) || !isNameSegment(child.name)) continue;
      const group = isFolderFile(child) ? folders : files;
      const seen = group.get(child.name);
      const order = isFolderFile(child) ? oldestFirst : newestFirst;
      if (seen === undefined || order(child, seen) < 0) group.set(child.name, child);
    }
    for (const file of files.values()) {
      const name = [...folder, file.name].join('/');
      if (name.length > 255) continue;
      this.#known.set(name, { file, parentId: folderId });
      yield { name, size: sizeOf(file) };
    }
    for (const sub of folders.values()) yield* this.#walk(sub.id, [...folder, sub.name], '');
  }
}

function splitName(name: string): { folder: string[]; leaf: string } {
  const segments = name.split('/');
  const leaf = segments.pop() as string;
  return { folder: segments, leaf };
}

function isNameSegment(segment: string): boolean {
  return /^[A-Za-z0-9._-]+$/.test(segment) && segment !== '.' && segment !== '..';
}

function notFound(name: string): StorageError {
  return new StorageError('not-found', `No object named ${JSON.stringify(name)} in Google Drive`);
}

function checkOptions(options: DriveStorageOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('DriveStorage needs an options object');
  if (!isAccessTokenSource(options.tokens)) {
    throw new TypeError(
      'DriveStorage needs `tokens`, an AccessTokenSource with getToken() and refreshToken()',
    );
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function')
    throw new TypeError('fetch must be a function');
  if (options.sessionStore !== undefined && !isKeyValueStore(options.sessionStore)) {
    throw new TypeError('sessionStore must have get(), set() and remove()');
  }
  if (
    options.folderName !== undefined &&
    (typeof options.folderName !== 'string' || options.folderName.trim() === '')
  ) {
    throw new TypeError('folderName must be a non-empty string');
  }
  if (options.apiRoot !== undefined && !/^https?:\/\/[^/]+\/(.*\/)?$/.test(options.apiRoot)) {
    throw new TypeError(`apiRoot must be an http(s) URL ending in "/", got ${String(options.apiRoot)}`);
  }
  const timeout = options.requestTimeoutMs;
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) {
    throw new RangeError(`requestTimeoutMs must be a positive number, got ${timeout}`);
  }
  const retry = options.uploadRetry ?? {};
  if (
    retry.maxAttempts !== undefined &&
    !(Number.isSafeInteger(retry.maxAttempts) && retry.maxAttempts >= 1)
  ) {
    throw new RangeError(`uploadRetry.maxAttempts must be an integer >= 1, got ${retry.maxAttempts}`);
  }
  for (const key of ['baseDelayMs', 'maxDelayMs'] as const) {
    const value = retry[key];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(`uploadRetry.${key} must be a number >= 0, got ${value}`);
    }
  }
  for (const key of ['sleep', 'random', 'now'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'function')
      throw new TypeError(`${key} must be a function`);
  }
}
