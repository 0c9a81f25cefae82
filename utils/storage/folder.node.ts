// Node-only (CLI, demo, tests), hence .node.ts (scripts/check-imports.mjs): the browser never imports it.
import type { Dirent } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as nodeFs from 'node:fs/promises';
import path from 'node:path';
import { checkByteRange, resolveByteRange } from './byte-range';
import { fileRangeStream, readFully, writeFully } from './file-stream.node.ts';
import { errnoOf, folderError } from './folder-errors';
import { directoryMayMatch, objectName, objectPath, tempFileName } from './folder-paths.node.ts';
import { checkPutArguments, consumePutData, discardPutData, type PutData } from './put-data';
import {
  assertValidName,
  type ByteRange,
  type ObjectInfo,
  type PutOptions,
  type Storage,
  StorageError,
} from './storage';
import { invalidArgument, throwIfAborted } from './storage-errors';

/** The part of `node:fs/promises` FolderStorage uses. */
export type FolderFileSystem = Pick<
  typeof nodeFs,
  'open' | 'mkdir' | 'rename' | 'unlink' | 'readdir' | 'stat'
>;

export interface FolderStorageOptions {
  /** Replaces `node:fs/promises`, so tests can produce failures a healthy disk never gives (ENOSPC, EACCES). */
  fs?: FolderFileSystem;
}

const noop = () => {};

/**
 * A Storage in a local folder: object `a/b` is the file `<root>/a/b`, so a backup folder can be
 * copied, synced or inspected with ordinary tools.
 *
 * A put writes a temp file next to its target, flushes it and renames it into place; a rename
 * within one directory is atomic, so readers see the old object or the new one, never a torn one,
 * and a crash leaves at most a temp file that `list` ignores.
 *
 * Limits of a real directory tree: an object `a` and an object `a/b` cannot both exist (the put
 * that would need both is rejected with `invalid-name`), and on case-insensitive file systems
 * (macOS, Windows defaults) names differing only in case collide. Symbolic links are not listed.
 */
export class FolderStorage implements Storage {
  readonly description: string;
  /** Absolute path of the folder holding the objects. */
  readonly root: string;
  readonly #fs: FolderFileSystem;

  constructor(rootDir: string, options: FolderStorageOptions = {}) {
    if (typeof rootDir !== 'string' || rootDir.length === 0) {
      throw new TypeError('FolderStorage needs the path of a folder');
    }
    this.root = path.resolve(rootDir);
    this.description = `folder ${this.root}`;
    this.#fs = options.fs ?? nodeFs;
  }

  async put(name: string, data: PutData, options?: PutOptions): Promise<void> {
    await checkPutArguments(name, data, options);
    const target = objectPath(this.root, name);
    const directory = path.dirname(target);
    let temp: string | undefined;
    let handle: FileHandle | undefined;
    try {
      await this.#fs.mkdir(directory, { recursive: true });
      temp = path.join(directory, tempFileName(path.basename(target)));
      handle = await this.#fs.open(temp, 'wx');
      const file = handle;
      await consumePutData(data, options, (chunk) => writeFully(file, chunk));
      // Flushed before the rename, or a power cut could leave the name pointing at an empty file.
      await file.sync();
      handle = undefined;
      await file.close();
      throwIfAborted(options?.signal);
      await this.#fs.rename(temp, target);
      temp = undefined;
    } catch (error) {
      await handle?.close().catch(noop);
      if (temp !== undefined) await this.#fs.unlink(temp).catch(noop);
      const failure = this.#putError(error, name);
      await discardPutData(data, failure);
      throw failure;
    }
    await this.#syncDirectory(directory);
  }

  async get(name: string, range?: ByteRange): Promise<Uint8Array> {
    assertValidName(name);
    checkByteRange(range);
    const { handle, size } = await this.#openObject(name);
    try {
      const { start, end } = resolveByteRange(range, size);
      return await readFully(handle, start, end);
    } catch (error) {
      throw this.#readError(error, name);
    } finally {
      await handle.close().catch(noop);
    }
  }

  async getStream(name: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
    assertValidName(name);
    checkByteRange(range);
    const { handle, size } = await this.#openObject(name);
    const { start, end } = resolveByteRange(range, size);
    return fileRangeStream(handle, start, end, (error) => this.#readError(error, name));
  }

  async stat(name: string): Promise<ObjectInfo | undefined> {
    assertValidName(name);
    try {
      const stats = await this.#fs.stat(objectPath(this.root, name));
      return stats.isFile() ? { name, size: stats.size } : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw folderError(error, `Inspecting ${JSON.stringify(name)} in ${this.description}`);
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    if (typeof prefix !== 'string') throw invalidArgument('list() needs a string prefix');
    // Depth-first with an explicit stack: no recursion limit, and names are yielded as found.
    const pending: string[][] = [[]];
    for (let segments = pending.pop(); segments !== undefined; segments = pending.pop()) {
      for (const entry of await this.#readDirectory(segments)) {
        const childSegments = [...segments, entry.name];
        const childName = objectName(childSegments);
        // Names outside the storage alphabet are temp files or foreign files (e.g. "desktop.ini~").
        if (!isValidName(childName)) continue;
        if (entry.isDirectory()) {
          if (directoryMayMatch(childName, prefix)) pending.push(childSegments);
        } else if (entry.isFile() && childName.startsWith(prefix)) {
          // Deleted between readdir and stat: storage.ts lets such an object go unlisted.
          const info = await this.stat(childName);
          if (info !== undefined) yield info;
        }
      }
    }
  }

  async delete(name: string): Promise<void> {
    assertValidName(name);
    const file = objectPath(this.root, name);
    try {
      await this.#fs.unlink(file);
    } catch (error) {
      if (isMissing(error) || errnoOf(error) === 'EISDIR') return;
      // macOS reports unlinking a directory as EPERM; a directory is not an object, so it is "missing".
      if (errnoOf(error) === 'EPERM' && (await this.#isDirectory(file))) return;
      throw folderError(error, `Deleting ${JSON.stringify(name)} from ${this.description}`);
    }
  }

  async #openObject(name: string): Promise<{ handle: FileHandle; size: number }> {
    let handle: FileHandle | undefined;
    try {
      handle = await this.#fs.open(objectPath(this.root, name), 'r');
      const stats = await handle.stat();
      // Linux opens directories for reading; a directory is not an object.
      if (!stats.isFile()) throw Object.assign(new Error('Not a file'), { code: 'EISDIR' });
      return { handle, size: stats.size };
    } catch (error) {
      await handle?.close().catch(noop);
      throw this.#readError(error, name);
    }
  }

  async #readDirectory(segments: readonly string[]): Promise<Dirent[]> {
    try {
      return await this.#fs.readdir(path.join(this.root, ...segments), { withFileTypes: true });
    } catch (error) {
      // A missing root is an empty storage; a subfolder removed mid-listing simply has no more objects.
      if (isMissing(error)) return [];
      throw folderError(error, `Listing ${this.description}`);
    }
  }

  async #isDirectory(file: string): Promise<boolean> {
    try {
      return (await this.#fs.stat(file)).isDirectory();
    } catch {
      return false;
    }
  }

  /** Makes the rename itself durable (POSIX needs the directory flushed too); best effort. */
  async #syncDirectory(directory: string): Promise<void> {
    try {
      const handle = await this.#fs.open(directory, 'r');
      await handle.sync().finally(() => handle.close());
    } catch {
      // Windows cannot open a directory; the rename is still atomic there, only less durable.
    }
  }

  #readError(error: unknown, name: string): StorageError {
    if (isMissing(error) || errnoOf(error) === 'EISDIR') {
      return new StorageError('not-found', `No object named ${JSON.stringify(name)} in ${this.description}`, {
        cause: error,
      });
    }
    return folderError(error, `Reading ${JSON.stringify(name)} from ${this.description}`);
  }

  #putError(error: unknown, name: string): StorageError {
    const errno = errnoOf(error);
    if (errno === 'ENOTDIR' || errno === 'EISDIR' || errno === 'EEXIST') {
      return new StorageError(
        'invalid-name',
        `Cannot store ${JSON.stringify(name)} in ${this.description}: on disk an object cannot share ` +
          'its name with a folder of other objects (like "a" next to "a/b")',
        { cause: error },
      );
    }
    // ENOENT here means the folder vanished under us (an unplugged disk); the next put recreates it.
    return folderError(error, `Storing ${JSON.stringify(name)} in ${this.description}`, {
      ENOENT: 'unavailable',
    });
  }
}

function isMissing(error: unknown): boolean {
  const errno = errnoOf(error);
  return errno === 'ENOENT' || errno === 'ENOTDIR';
}

function isValidName(name: string): boolean {
  try {
    assertValidName(name);
    return true;
  } catch {
    return false;
  }
}
