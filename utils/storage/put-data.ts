import { assertValidName, type PutOptions } from './storage';
import { abortedError, asStorageError, invalidArgument, throwIfAborted } from './storage-errors';

export type PutData = Uint8Array | ReadableStream<Uint8Array>;

export function isByteStream(data: unknown): data is ReadableStream<Uint8Array> {
  // Duck-typed: streams made by another realm (an iframe, node:stream/web) fail `instanceof`.
  return (
    typeof data === 'object' && data !== null && typeof (data as ReadableStream).getReader === 'function'
  );
}

/**
 * Validates everything a `put` receives before any I/O. On failure it cancels a stream source, so
 * a producer (an encryptor, an upload pipeline) is released instead of waiting forever.
 */
export async function checkPutArguments(name: string, data: PutData, options: PutOptions | undefined) {
  try {
    assertValidName(name);
    if (!(data instanceof Uint8Array) && !isByteStream(data)) {
      throw invalidArgument(`put(${JSON.stringify(name)}) needs a Uint8Array or a ReadableStream`);
    }
    checkPutOptions(options);
    throwIfAborted(options?.signal);
  } catch (error) {
    await discardPutData(data, error);
    throw error;
  }
}

function checkPutOptions(options: PutOptions | undefined): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) throw invalidArgument('Put options must be an object');
  const { size, onProgress, signal } = options;
  if (size !== undefined && (!Number.isSafeInteger(size) || size < 0)) {
    throw invalidArgument(`Put size must be a non-negative integer, got ${String(size)}`);
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw invalidArgument('Put onProgress must be a function');
  }
  if (signal !== undefined && (typeof signal !== 'object' || signal === null || !('aborted' in signal))) {
    throw invalidArgument('Put signal must be an AbortSignal');
  }
}

/** Cancels a stream source nobody will read; a no-op for bytes or a stream already in use. */
export async function discardPutData(data: unknown, reason: unknown): Promise<void> {
  if (!isByteStream(data) || data.locked) return;
  await data.cancel(reason).catch(() => {});
}

/**
 * Feeds every chunk of `data` to `write`, in order, one at a time (so `write` sets the pace and a
 * stream is never buffered whole). Reports progress, enforces a declared `size`, stops on the
 * abort signal, and turns a failing source into a StorageError; a source that already fails with
 * a StorageError (e.g. injected by a test, or a decryption check) keeps its code.
 * Resolves with the number of bytes written.
 */
export async function consumePutData(
  data: PutData,
  options: PutOptions | undefined,
  write: (chunk: Uint8Array) => Promise<void> | void,
): Promise<number> {
  const { size, onProgress, signal } = options ?? {};
  let written = 0;
  const accept = async (chunk: Uint8Array) => {
    if (size !== undefined && written + chunk.length > size) throw sizeMismatch(size, 'more');
    await write(chunk);
    written += chunk.length;
    onProgress?.(written);
    throwIfAborted(signal);
  };

  throwIfAborted(signal);
  if (data instanceof Uint8Array) {
    await accept(data);
  } else {
    await readStream(data, signal, accept);
  }
  if (size !== undefined && written !== size) throw sizeMismatch(size, `only ${written}`);
  return written;
}

async function readStream(
  stream: ReadableStream<Uint8Array>,
  signal: AbortSignal | undefined,
  accept: (chunk: Uint8Array) => Promise<void>,
): Promise<void> {
  const reader = stream.getReader();
  const abort = abortPromise(signal);
  try {
    for (;;) {
      const result = await readChunk(reader, abort?.promise);
      if (result.done) return;
      if (!(result.value instanceof Uint8Array)) {
        throw invalidArgument(`A put stream must yield Uint8Array chunks, got ${typeof result.value}`);
      }
      // Errors from `write` pass unchanged: the backend maps its own failures (ENOSPC, HTTP 507).
      await accept(result.value);
    }
  } catch (error) {
    // Cancelling settles a pending read and tells the producer to stop.
    reader.cancel(error).catch(() => {});
    throw error;
  } finally {
    abort?.dispose();
    try {
      reader.releaseLock();
    } catch {
      // Older stream implementations refuse while a read is pending; the stream is cancelled anyway.
    }
  }
}

/** The next chunk, or a rejection with the source's failure as a StorageError, or with `aborted`. */
async function readChunk(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  aborted: Promise<never> | undefined,
) {
  const read = reader.read();
  // The losing side of the race must not become an unhandled rejection.
  read.catch(() => {});
  try {
    return await (aborted ? Promise.race([read, aborted]) : read);
  } catch (error) {
    throw asStorageError(error, 'Reading the data to store failed');
  }
}

function abortPromise(signal: AbortSignal | undefined) {
  if (signal === undefined) return undefined;
  let onAbort = () => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortedError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => {});
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

function sizeMismatch(declared: number, actual: string) {
  return invalidArgument(`Put declared size ${declared} but the data held ${actual} bytes`);
}
