import type { ByteRange, ObjectInfo, PutOptions, Storage } from '@/utils/storage/storage';

export const STORAGE_OPERATIONS = ['put', 'get', 'getStream', 'stat', 'list', 'delete'] as const;
export type StorageOperation = (typeof STORAGE_OPERATIONS)[number];

export interface StorageCounts {
  /** Calls per operation, failed ones included (a failed request still cost a round trip). */
  calls: Record<StorageOperation, number>;
  /** Bytes handed to the wrapped backend by `put` (for a stream: as far as the backend read it). */
  bytesPut: number;
  /** Bytes returned by `get`, plus bytes read from streams returned by `getStream`. */
  bytesGot: number;
}

/**
 * Counts what the code above it asks of a Storage: calls per operation and bytes moved. Used by
 * the `repo.requests_per_1000_media` benchmark and by tests that pin how chatty the repository is.
 * A `list` counts as one call however many pages the backend fetches for it.
 */
export class CountingStorage implements Storage {
  readonly description: string;
  readonly #inner: Storage;
  #counts: StorageCounts = emptyCounts();

  constructor(inner: Storage) {
    if (typeof inner?.put !== 'function') throw new TypeError('CountingStorage needs a Storage to wrap');
    this.#inner = inner;
    this.description = inner.description;
  }

  /** A copy of the counts so far. */
  get counts(): StorageCounts {
    return { ...this.#counts, calls: { ...this.#counts.calls } };
  }

  /** Sum of calls over all operations. */
  get totalCalls(): number {
    return Object.values(this.#counts.calls).reduce((sum, calls) => sum + calls, 0);
  }

  reset(): void {
    this.#counts = emptyCounts();
  }

  put(name: string, data: Uint8Array | ReadableStream<Uint8Array>, options?: PutOptions): Promise<void> {
    this.#counts.calls.put += 1;
    if (data instanceof Uint8Array) {
      this.#counts.bytesPut += data.length;
      return this.#inner.put(name, data, options);
    }
    return this.#inner.put(name, this.#counted(data, 'bytesPut'), options);
  }

  async get(name: string, range?: ByteRange): Promise<Uint8Array> {
    this.#counts.calls.get += 1;
    const bytes = await this.#inner.get(name, range);
    this.#counts.bytesGot += bytes.length;
    return bytes;
  }

  async getStream(name: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
    this.#counts.calls.getStream += 1;
    return this.#counted(await this.#inner.getStream(name, range), 'bytesGot');
  }

  stat(name: string): Promise<ObjectInfo | undefined> {
    this.#counts.calls.stat += 1;
    return this.#inner.stat(name);
  }

  list(prefix: string): AsyncIterable<ObjectInfo> {
    this.#counts.calls.list += 1;
    return this.#inner.list(prefix);
  }

  delete(name: string): Promise<void> {
    this.#counts.calls.delete += 1;
    return this.#inner.delete(name);
  }

  #counted(stream: ReadableStream<Uint8Array>, field: 'bytesPut' | 'bytesGot'): ReadableStream<Uint8Array> {
    // Counted at the moment a chunk passes, so a reset() between calls splits counts correctly.
    const counts = () => this.#counts;
    return stream.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          counts()[field] += chunk.length;
          controller.enqueue(chunk);
        },
      }),
    );
  }
}

function emptyCounts(): StorageCounts {
  return {
    calls: { put: 0, get: 0, getStream: 0, stat: 0, list: 0, delete: 0 },
    bytesPut: 0,
    bytesGot: 0,
  };
}
