import { checkByteRange, resolveByteRange } from './byte-range';
import { concatBytes, streamFromBytes } from './byte-streams';
import { checkPutArguments, consumePutData, discardPutData, type PutData } from './put-data';
import {
  assertValidName,
  type ByteRange,
  type ObjectInfo,
  type PutOptions,
  type Storage,
  StorageError,
} from './storage';
import { invalidArgument } from './storage-errors';

/**
 * A Storage held in a Map, for unit tests and demos. Bytes are copied on the way in and out, so
 * neither the caller nor the reader can change a stored object behind the store's back (a real
 * backend would not let them either, and tests must not pass because of shared buffers).
 */
export class MemoryStorage implements Storage {
  readonly description: string;
  readonly #objects = new Map<string, Uint8Array<ArrayBuffer>>();

  constructor(description = 'memory') {
    if (typeof description !== 'string' || description.length === 0) {
      throw new TypeError('MemoryStorage description must be a non-empty string');
    }
    this.description = description;
  }

  async put(name: string, data: PutData, options?: PutOptions): Promise<void> {
    await checkPutArguments(name, data, options);
    const chunks: Uint8Array[] = [];
    try {
      // Collected first and stored in one step: a failed or aborted put leaves no partial object.
      const total = await consumePutData(data, options, (chunk) => {
        chunks.push(chunk.slice());
      });
      this.#objects.set(name, concatBytes(chunks, total));
    } catch (error) {
      await discardPutData(data, error);
      throw error;
    }
  }

  async get(name: string, range?: ByteRange): Promise<Uint8Array> {
    assertValidName(name);
    checkByteRange(range);
    const bytes = this.#require(name);
    const { start, end } = resolveByteRange(range, bytes.length);
    return bytes.slice(start, end);
  }

  async getStream(name: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
    return streamFromBytes(await this.get(name, range));
  }

  async stat(name: string): Promise<ObjectInfo | undefined> {
    assertValidName(name);
    const bytes = this.#objects.get(name);
    return bytes === undefined ? undefined : { name, size: bytes.length };
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    if (typeof prefix !== 'string') throw invalidArgument('list() needs a string prefix');
    // A snapshot: puts and deletes during the listing neither break it nor repeat a name.
    const matches = [...this.#objects].filter(([name]) => name.startsWith(prefix));
    for (const [name, bytes] of matches) yield { name, size: bytes.length };
  }

  async delete(name: string): Promise<void> {
    assertValidName(name);
    this.#objects.delete(name);
  }

  #require(name: string): Uint8Array<ArrayBuffer> {
    const bytes = this.#objects.get(name);
    if (bytes === undefined) throw new StorageError('not-found', `No object named ${JSON.stringify(name)}`);
    return bytes;
  }
}
