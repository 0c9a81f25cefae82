import { StorageError } from '../storage';
import type { DriveApi } from './drive-api';
import { discardBody } from './drive-api';
import { errorFromResponse, networkError } from './drive-errors';

/** Drive said the file is gone: the caller may look the name up again (it was replaced meanwhile). */
export class FileGone extends Error {}

/**
 * Opens `files.get?alt=media` for bytes `[start, end)` of a file of `size` bytes (the whole file
 * without a Range header). Resolves with a body stream that delivers exactly `end - start`
 * bytes, or fails with a StorageError: a body cut short is a retryable network error, not a
 * short object.
 */
export async function openDownload(
  api: DriveApi,
  fileId: string,
  start: number,
  end: number,
  size: number,
  what: string,
): Promise<ReadableStream<Uint8Array>> {
  const whole = start === 0 && end === size;
  const response = await api.send({
    method: 'GET',
    url: `drive/v3/files/${encodeURIComponent(fileId)}`,
    query: { alt: 'media' },
    headers: whole ? {} : { range: `bytes=${start}-${end - 1}` },
    what,
  });
  if (response.status === 404) {
    await discardBody(response);
    throw new FileGone();
  }
  if (!response.ok) throw await errorFromResponse(response, what);
  if (!response.body) throw new StorageError('network', `${what}: Drive sent no body`);
  // A server may ignore Range and send the whole file (RFC 9110 allows it): cut it down here.
  const skip = response.status === 200 && !whole ? start : 0;
  return exactBytes(response.body, skip, end - start, what);
}

/** `body` with its first `skip` bytes dropped, ending after `length` bytes, failing if it ends sooner. */
function exactBytes(
  body: ReadableStream<Uint8Array>,
  skip: number,
  length: number,
  what: string,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let skipped = 0;
  let delivered = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        if (delivered >= length) {
          controller.close();
          reader.cancel().catch(() => {});
          return;
        }
        let next: ReadableStreamReadResult<Uint8Array>;
        try {
          next = await reader.read();
        } catch (error) {
          throw networkError(error, `${what} (reading)`);
        }
        if (next.done) {
          throw new StorageError(
            'network',
            `${what}: the download ended after ${delivered} of ${length} bytes`,
          );
        }
        let chunk = next.value;
        if (skipped < skip) {
          const drop = Math.min(skip - skipped, chunk.length);
          skipped += drop;
          chunk = chunk.subarray(drop);
        }
        chunk = chunk.subarray(0, length - delivered);
        if (chunk.length === 0) continue;
        delivered += chunk.length;
        controller.enqueue(chunk);
        return;
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
