import { isByteStream, type PutData } from '../put-data';
import { StorageError } from '../storage';
import { abortedError, asStorageError, invalidArgument, throwIfAborted } from '../storage-errors';

/**
 * A pull-style reader over what a `put` received: "give me up to n bytes". Uploads need that
 * shape (a chunk is cut to a size the uploader chooses, and whether it is the last one must be
 * known before it is sent), while put-data.ts's consumer pushes whatever sizes the producer made.
 * It enforces a declared size, turns a failing source into a StorageError that keeps the source's
 * own code, and stops at once when the put's signal fires, even while the source stalls.
 */
export class ByteSource {
  readonly #bytes: Uint8Array | undefined;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  readonly #size: number | undefined;
  readonly #signal: AbortSignal | undefined;
  #leftover: Uint8Array = new Uint8Array(0);
  #position = 0;
  /** Bytes received from the stream (handed out or still in #leftover). */
  #pulled = 0;
  #ended = false;
  #failed = false;

  constructor(data: PutData, options: { size?: number; signal?: AbortSignal } = {}) {
    this.#size = options.size;
    this.#signal = options.signal;
    if (isByteStream(data)) {
      this.#reader = data.getReader();
    } else {
      this.#bytes = data;
      if (options.size !== undefined && options.size !== data.length)
        throw sizeMismatch(options.size, data.length);
    }
  }

  /** Bytes handed out so far. */
  get position(): number {
    return this.#position;
  }

  /** The declared size, or the whole length of bytes; undefined for a stream of unknown size. */
  get knownSize(): number | undefined {
    return this.#bytes?.length ?? this.#size;
  }

  /** True once every byte has been handed out. */
  get done(): boolean {
    if (this.#bytes) return this.#position >= this.#bytes.length;
    return this.#ended && this.#leftover.length === 0;
  }

  /** The data failed (source error, size mismatch, abort): nothing more will come from it. */
  get failed(): boolean {
    return this.#failed;
  }

  /** Bytes can be read again from the start (after Drive lost an upload session); a stream cannot. */
  get replayable(): boolean {
    return this.#bytes !== undefined;
  }

  rewind(): void {
    if (!this.#bytes) throw new Error('A stream cannot be rewound');
    this.#position = 0;
  }

  /** Up to `max` bytes: fewer only when the data ends, none once it has ended. */
  async read(max: number): Promise<Uint8Array> {
    try {
      return await this.#read(max);
    } catch (error) {
      this.#failed = true;
      throw error;
    }
  }

  async #read(max: number): Promise<Uint8Array> {
    throwIfAborted(this.#signal);
    if (this.#bytes) {
      const piece = this.#bytes.subarray(this.#position, this.#position + max);
      this.#position += piece.length;
      return piece;
    }
    const pieces: Uint8Array[] = [];
    let gathered = 0;
    while (gathered < max) {
      if (this.#leftover.length === 0) {
        if (this.#ended) break;
        const next = await this.#pull();
        if (next === undefined) break;
        this.#leftover = next;
        continue;
      }
      const take = this.#leftover.subarray(0, max - gathered);
      this.#leftover = this.#leftover.subarray(take.length);
      pieces.push(take);
      gathered += take.length;
    }
    this.#position += gathered;
    return pieces.length === 1 ? (pieces[0] as Uint8Array) : join(pieces, gathered);
  }

  /** Releases the source: a producer waiting on a reader that will not come back is told to stop. */
  async cancel(reason: unknown): Promise<void> {
    if (!this.#reader || this.#ended) return;
    this.#ended = true;
    await this.#reader.cancel(reason).catch(() => {});
  }

  async #pull(): Promise<Uint8Array | undefined> {
    const reader = this.#reader as ReadableStreamDefaultReader<Uint8Array>;
    let result: ReadableStreamReadResult<Uint8Array>;
    try {
      result = await raceAbort(reader.read(), this.#signal);
    } catch (error) {
      this.#ended = true;
      reader.cancel(error).catch(() => {});
      if (error instanceof StorageError) throw error;
      throw asStorageError(error, 'Reading the data to store failed');
    }
    if (result.done) {
      this.#ended = true;
      if (this.#size !== undefined && this.#pulled !== this.#size)
        throw sizeMismatch(this.#size, this.#pulled);
      return undefined;
    }
    const chunk: unknown = result.value;
    if (!(chunk instanceof Uint8Array)) {
      const error = invalidArgument(`A put stream must yield Uint8Array chunks, got ${typeof chunk}`);
      await this.cancel(error);
      throw error;
    }
    this.#pulled += chunk.length;
    if (this.#size !== undefined && this.#pulled > this.#size) {
      const error = sizeMismatch(this.#size, this.#pulled, 'at least ');
      await this.cancel(error);
      throw error;
    }
    return chunk;
  }
}

/** The read, or a rejection with StorageError('aborted') as soon as the signal fires. */
function raceAbort<T>(read: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return read;
  read.catch(() => {});
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortedError(signal));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    read.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function join(pieces: readonly Uint8Array[], total: number): Uint8Array {
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const piece of pieces) {
    joined.set(piece, offset);
    offset += piece.length;
  }
  return joined;
}

function sizeMismatch(declared: number, actual: number, qualifier = ''): StorageError {
  return invalidArgument(`Put declared size ${declared} but the data held ${qualifier}${actual} bytes`);
}
