import { StorageError } from '../storage';
import type { DriveApi } from './drive-api';
import { errorFromResponse } from './drive-errors';
import { type DriveFile, FILE_FIELDS } from './drive-files';
import { md5Hex } from './md5';
import { verifyUploadedFile } from './upload-verification';

/**
 * Drive's multipart upload: metadata and bytes in one request, for objects small enough that a
 * resumable session (two requests at least) would only add a round trip. Google suggests it up
 * to 5 MB.
 */
export const MULTIPART_MAX_BYTES = 5 * 1024 * 1024;

export interface MultipartTarget {
  name: string;
  parentId: string;
  leaf: string;
  signal?: AbortSignal;
}

/** One attempt; the caller decides about retries. A 404 means the parent folder is gone. */
export async function uploadMultipart(
  api: DriveApi,
  target: MultipartTarget,
  bytes: Uint8Array,
): Promise<DriveFile> {
  const what = `upload of ${target.name}`;
  const boundary = `chatvault-${randomToken()}`;
  const metadata = JSON.stringify({
    name: target.leaf,
    parents: [target.parentId],
    mimeType: 'application/octet-stream',
  });
  const head = new TextEncoder().encode(
    `--${boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n${metadata}\r\n` +
      `--${boundary}\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
  const body = new Uint8Array(head.length + bytes.length + tail.length);
  body.set(head, 0);
  body.set(bytes, head.length);
  body.set(tail, head.length + bytes.length);
  const response = await api.send({
    method: 'POST',
    url: 'upload/drive/v3/files',
    query: { uploadType: 'multipart', fields: FILE_FIELDS },
    headers: { 'content-type': `multipart/related; boundary=${boundary}` },
    body,
    signal: target.signal,
    what,
  });
  if (!response.ok) throw await errorFromResponse(response, what);
  let file: DriveFile;
  try {
    file = (await response.json()) as DriveFile;
  } catch (error) {
    throw new StorageError('network', `${what}: Drive's answer was cut off`, { cause: error });
  }
  return verifyUploadedFile(api, file, bytes.length, await md5Hex(bytes), what);
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
