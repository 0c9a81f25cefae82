// Node-only: byte transfer between Web streams / Uint8Arrays and a Node FileHandle.
import type { FileHandle } from 'node:fs/promises';
import { STREAM_CHUNK_BYTES } from './byte-streams';
import { StorageError } from './storage';

/** Writes all of `chunk`: a file write may store fewer bytes than asked, so loop until done. */
export async function writeFully(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

/** Reads bytes `[start, end)` into one new array. */
export async function readFully(
  handle: FileHandle,
  start: number,
  end: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = new Uint8Array(end - start);
  let filled = 0;
  while (filled < bytes.length) {
    const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, start + filled);
    if (bytesRead === 0) throw shrunk();
    filled += bytesRead;
  }
  return bytes;
}

/**
 * A pull-driven stream of bytes `[start, end)` of an open file; it owns `handle` and closes it when
 * the stream ends, fails or is cancelled. Written by hand rather than with `Readable.toWeb` so a
 * read error reaches the consumer as a StorageError and only one chunk is ever read ahead.
 */
export function fileRangeStream(
  handle: FileHandle,
  start: number,
  end: number,
  describeError: (error: unknown) => StorageError,
): ReadableStream<Uint8Array> {
  let position = start;
  const close = () => handle.close().catch(() => {});
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (position >= end) {
          await close();
          controller.close();
          return;
        }
        const chunk = new Uint8Array(Math.min(STREAM_CHUNK_BYTES, end - position));
        const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
        if (bytesRead === 0) throw shrunk();
        position += bytesRead;
        controller.enqueue(bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead));
      } catch (error) {
        await close();
        controller.error(describeError(error));
      }
    },
    async cancel() {
      await close();
    },
  });
}

function shrunk(): StorageError {
  // FolderStorage replaces files by rename, so an open file never shrinks unless someone else
  // truncated it in place.
  return new StorageError(
    'corrupt',
    'The file ended before its recorded size; it was changed while being read',
  );
}
