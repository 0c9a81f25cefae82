import type { DriveApi } from './drive-api';
import { errorFromResponse } from './drive-errors';
import { FOLDER_MIME_TYPE } from './drive-query';

/** The part of Drive's File resource this backend asks for. */
export interface DriveFile {
  id: string;
  name: string;
  mimeType: string;
  /** Bytes, as Drive's decimal string; absent for folders. */
  size?: string;
  /** RFC 3339. */
  createdTime?: string;
  md5Checksum?: string;
}

/** The `fields` selection matching DriveFile, for files.list's `files(…)` and single-file answers. */
export const FILE_FIELDS = 'id,name,mimeType,size,createdTime,md5Checksum';

// Drive's maximum: fewer, larger pages mean fewer requests for a big repository.
const PAGE_SIZE = 1000;

/** Every file matching `q`, page by page (Drive pages with nextPageToken). */
export async function* listDriveFiles(api: DriveApi, q: string, what: string): AsyncGenerator<DriveFile> {
  let pageToken: string | undefined;
  do {
    const page = await api.json<{ files?: DriveFile[]; nextPageToken?: string }>({
      method: 'GET',
      url: 'drive/v3/files',
      query: {
        q,
        spaces: 'drive',
        pageSize: String(PAGE_SIZE),
        fields: `nextPageToken,files(${FILE_FIELDS})`,
        pageToken,
      },
      what,
    });
    for (const file of page.files ?? []) yield file;
    pageToken = page.nextPageToken || undefined;
  } while (pageToken !== undefined);
}

export async function listAllDriveFiles(api: DriveApi, q: string, what: string): Promise<DriveFile[]> {
  const files: DriveFile[] = [];
  for await (const file of listDriveFiles(api, q, what)) files.push(file);
  return files;
}

export function isFolderFile(file: DriveFile): boolean {
  return file.mimeType === FOLDER_MIME_TYPE;
}

export function sizeOf(file: DriveFile): number {
  const size = Number(file.size ?? '0');
  return Number.isSafeInteger(size) && size >= 0 ? size : 0;
}

/**
 * Drive allows several files with one name in one folder (a replaced object before its old
 * version is cleaned up, two devices writing at once). Every reader picks the same one: the
 * newest by creation time, ties broken by id. Returns a negative number when `a` wins.
 */
export function newestFirst(a: DriveFile, b: DriveFile): number {
  const byTime = timeOf(b) - timeOf(a);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** The opposite order, for folders: the oldest copy is the one everybody already uses. */
export function oldestFirst(a: DriveFile, b: DriveFile): number {
  return -newestFirst(a, b);
}

function timeOf(file: DriveFile): number {
  const time = Date.parse(file.createdTime ?? '');
  return Number.isNaN(time) ? 0 : time;
}

/** Deletes a file for good (not to the trash, which would still count against the quota). Gone already is fine. */
export async function deleteDriveFile(api: DriveApi, id: string, what: string): Promise<void> {
  const response = await api.send({
    method: 'DELETE',
    url: `drive/v3/files/${encodeURIComponent(id)}`,
    what,
  });
  if (response.status === 404 || response.ok) {
    await response.body?.cancel().catch(() => {});
    return;
  }
  throw await errorFromResponse(response, what);
}
