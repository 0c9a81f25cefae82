/** Chunk size for streams we produce: large enough to amortise per-chunk costs, small enough to stay cheap. */
export const STREAM_CHUNK_BYTES = 64 * 1024;

/**
 * A pull-driven stream over `bytes`: chunks are cut only when the reader asks, so a slow reader
 * holds at most one extra chunk. The chunks are views of `bytes`; pass a private copy.
 */
export function streamFromBytes(
  bytes: Uint8Array,
  chunkBytes = STREAM_CHUNK_BYTES,
): ReadableStream<Uint8Array> {
  let position = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (position >= bytes.length) {
        controller.close();
        return;
      }
      const end = Math.min(bytes.length, position + chunkBytes);
      controller.enqueue(bytes.subarray(position, end));
      position = end;
    },
  });
}

/** Joins chunks into one new array. */
export function concatBytes(chunks: readonly Uint8Array[], totalBytes?: number): Uint8Array<ArrayBuffer> {
  const total = totalBytes ?? chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  return joined;
}
