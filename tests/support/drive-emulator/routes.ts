import type { EmulatorRequest, EmulatorResponse } from './exchange';
import { type DriveApiError, invalidValue, routeNotFound } from './google-errors';
import { getAbout } from './handlers/about';
import type { HandlerContext } from './handlers/context';
import { listFiles } from './handlers/files-list';
import { getFile } from './handlers/files-read';
import { createFile, deleteFile, updateFile } from './handlers/files-write';
import { continueResumable, startResumable } from './handlers/resumable-upload';
import { createMedia, createMultipart, updateWithContent } from './handlers/simple-uploads';

/** What a request is, for counters and for scoping faults. */
export type RequestKind =
  | 'about.get'
  | 'files.list'
  | 'files.get'
  | 'files.download'
  | 'files.create'
  | 'files.update'
  | 'files.delete'
  | 'upload.multipart'
  | 'upload.media'
  | 'upload.resumable.start'
  | 'upload.resumable.chunk'
  | 'upload.resumable.status'
  | 'cors.preflight'
  | 'unknown';

export type Route =
  | {
      kind: Exclude<RequestKind, 'unknown' | 'cors.preflight'>;
      /** Returns undefined only when there is nobody left to answer (the connection broke). */
      run(context: HandlerContext, request: EmulatorRequest): EmulatorResponse | undefined;
    }
  | { kind: 'cors.preflight' }
  /** Not a Drive method: answered with `error` before any authentication, as Google's front end does. */
  | { kind: 'unknown'; error: DriveApiError };

const FILES = /^\/drive\/v3\/files\/?$/;
const FILE = /^\/drive\/v3\/files\/([^/]+)\/?$/;
const UPLOAD_FILES = /^\/upload\/drive\/v3\/files\/?$/;
const UPLOAD_FILE = /^\/upload\/drive\/v3\/files\/([^/]+)\/?$/;

/** Whether a path is Drive's (the rest of www.googleapis.com is someone else's). */
export function isDrivePath(pathname: string): boolean {
  return pathname.startsWith('/drive/v3/') || pathname.startsWith('/upload/drive/v3/');
}

export function routeRequest(method: string, url: URL, headers: EmulatorRequest['headers']): Route {
  const path = url.pathname;
  if (method === 'OPTIONS') return { kind: 'cors.preflight' };
  if (path === '/drive/v3/about' && method === 'GET') return { kind: 'about.get', run: getAbout };
  if (FILES.test(path)) {
    if (method === 'GET') return { kind: 'files.list', run: listFiles };
    if (method === 'POST') return { kind: 'files.create', run: createFile };
  }
  const file = FILE.exec(path);
  if (file) {
    const id = decodeURIComponent(file[1] as string);
    if (method === 'GET') {
      const kind = url.searchParams.get('alt') === 'media' ? 'files.download' : 'files.get';
      return { kind, run: (context, request) => getFile(context, request, id) };
    }
    if (method === 'PATCH')
      return { kind: 'files.update', run: (context, request) => updateFile(context, request, id) };
    if (method === 'DELETE')
      return { kind: 'files.delete', run: (context, request) => deleteFile(context, request, id) };
  }
  const uploadFile = UPLOAD_FILE.exec(path);
  if (UPLOAD_FILES.test(path) || uploadFile) {
    const id = uploadFile ? decodeURIComponent(uploadFile[1] as string) : undefined;
    return uploadRoute(method, url, headers, id);
  }
  return { kind: 'unknown', error: routeNotFound() };
}

function uploadRoute(
  method: string,
  url: URL,
  headers: EmulatorRequest['headers'],
  id: string | undefined,
): Route {
  if (url.searchParams.has('upload_id')) {
    // Session URIs take PUT only (Drive's documented protocol); anything else is not a route.
    if (method !== 'PUT') return { kind: 'unknown', error: routeNotFound() };
    const range = headers['content-range'];
    const kind =
      typeof range === 'string' && /^bytes\s+\*/i.test(range.trim())
        ? 'upload.resumable.status'
        : 'upload.resumable.chunk';
    return { kind, run: continueResumable };
  }
  const uploadType = url.searchParams.get('uploadType');
  const creating = id === undefined && method === 'POST';
  const updating = id !== undefined && (method === 'PATCH' || method === 'PUT');
  if (!creating && !updating) return { kind: 'unknown', error: routeNotFound() };
  switch (uploadType) {
    case 'resumable':
      return {
        kind: 'upload.resumable.start',
        run: (context, request) => startResumable(context, request, id),
      };
    case 'multipart':
      return {
        kind: 'upload.multipart',
        run: (context, request) =>
          id === undefined
            ? createMultipart(context, request)
            : updateWithContent(context, request, id, 'multipart'),
      };
    case 'media':
      return {
        kind: 'upload.media',
        run: (context, request) =>
          id === undefined ? createMedia(context, request) : updateWithContent(context, request, id, 'media'),
      };
    default:
      return {
        kind: 'unknown',
        error: invalidValue('uploadType', `Invalid uploadType: ${uploadType ?? '(missing)'}`),
      };
  }
}
