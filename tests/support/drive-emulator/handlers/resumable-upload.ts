import { requireWrite } from '../access';
import type { EmulatorRequest, EmulatorResponse } from '../exchange';
import { emptyResponse } from '../exchange';
import { parseMetadataJson, validateMetadata } from '../file-metadata';
import { isFolder, type UploadSession } from '../file-record';
import {
  checkCreatable,
  createFromMetadata,
  fileResponse,
  findVisibleFile,
  replaceContent,
  requireRoom,
  updateMetadata,
} from '../file-writes';
import {
  badRequest,
  fileNotFound,
  insufficientFilePermissions,
  uploadSessionNotFound,
} from '../google-errors';
import { newUploadId } from '../ids';
import { parseUploadContentRange, type UploadRange } from '../ranges';
import type { HandlerContext } from './context';
import { headerOf } from './simple-uploads';

/**
 * Drive's resumable upload protocol ("Perform a resumable upload"):
 * - POST (or PATCH for new content) with uploadType=resumable → 200 + Location session URI.
 * - PUT chunks with Content-Range `bytes s-e/N` → 308 Resume Incomplete with `Range: bytes=0-k`
 *   (no Range when nothing is kept) → the final chunk returns 200 and the file resource.
 * - Every chunk but the last must be a multiple of 256 KiB, else 400.
 * - A chunk that repeats bytes already kept is fine: the server continues from what it has.
 *   A chunk starting beyond what it has is a 400.
 * - An empty PUT with `bytes *\/N` (or `*\/*`) asks for the status.
 * - An unknown or expired session (Drive keeps them a week) answers 404: start again.
 */

/** Drive's chunk granularity: non-final chunks are multiples of it, and a broken chunk is kept up to one. */
export const CHUNK_GRANULARITY = 256 * 1024;

export function startResumable(
  context: HandlerContext,
  request: EmulatorRequest,
  fileId?: string,
): EmulatorResponse {
  const metadata = parseMetadataJson(request.body);
  const input = validateMetadata(metadata, fileId === undefined ? 'create' : 'update');
  const declaredLength = parseDeclaredLength(headerOf(request, 'x-upload-content-length'));
  const contentType =
    headerOf(request, 'x-upload-content-type') ?? input.mimeType ?? 'application/octet-stream';
  if (fileId === undefined) {
    checkCreatable(context, input, declaredLength ?? 0, contentType);
  } else {
    const record = findVisibleFile(context, fileId);
    if (record.isRoot || isFolder(record)) throw insufficientFilePermissions();
    requireWrite(context.caller, record);
    requireRoom(context.state, (declaredLength ?? 0) - (record.content?.size ?? 0), { newFile: false });
  }
  const params = request.url.searchParams;
  const session: UploadSession = {
    id: newUploadId(),
    fileId: fileId === undefined ? undefined : findVisibleFile(context, fileId).id,
    metadata,
    addParents: params.get('addParents') ?? undefined,
    removeParents: params.get('removeParents') ?? undefined,
    appId: context.caller.clientId,
    contentType,
    declaredLength,
    totalLength: declaredLength,
    stored: 0,
    createdAt: context.state.now(),
    path: request.url.pathname,
    query: request.url.search.replace(/^\?/, ''),
  };
  context.state.createSession(session);
  // The session URI repeats the initiation URL, on the host the client called.
  const separator = session.query === '' ? '' : '&';
  const location = `${request.origin}${session.path}?${session.query}${separator}upload_id=${session.id}`;
  return emptyResponse(200, { location, 'x-guploader-uploadid': session.id });
}

/** A PUT to a session URI. Returns undefined when the connection broke mid-body (no one to answer). */
export function continueResumable(
  context: HandlerContext,
  request: EmulatorRequest,
): EmulatorResponse | undefined {
  const session = liveSession(context, request.url.searchParams.get('upload_id') ?? '');
  if (session.completedFileId !== undefined) return completedResponse(context, request, session);
  const range = parseUploadContentRange(headerOf(request, 'content-range'), request.body.length);
  if (!request.bodyComplete) {
    keepWholeGranules(context, session, range, request.body);
    return undefined;
  }
  if (range.kind === 'status') {
    if (request.body.length > 0) throw badRequest('A status query must have an empty body.');
    if (range.total !== undefined) {
      adoptTotal(session, range.total);
      if (session.stored === range.total) return finish(context, request, session);
    }
    return incomplete(session);
  }
  const length = range.end - range.start + 1;
  if (request.body.length !== length) {
    throw badRequest(
      `Invalid request. The Content-Range header says ${length} byte(s) but the request carried ${request.body.length}.`,
    );
  }
  if (range.total !== undefined) adoptTotal(session, range.total);
  if (session.totalLength !== undefined && range.end >= session.totalLength) {
    throw badRequest(
      `Invalid request. The chunk ends at byte ${range.end}, past the upload's ${session.totalLength} byte(s).`,
    );
  }
  const isFinal = session.totalLength !== undefined && range.end + 1 === session.totalLength;
  if (!isFinal && length % CHUNK_GRANULARITY !== 0) {
    throw badRequest(
      `Invalid request. The number of bytes uploaded is required to be equal or greater than ${CHUNK_GRANULARITY}, ` +
        `except for the final request (it's recommended to be the exact multiple of ${CHUNK_GRANULARITY}). ` +
        `The received request contained ${length} bytes, which does not meet this requirement.`,
    );
  }
  if (range.start > session.stored) {
    throw badRequest(
      `Invalid request.  According to the Content-Range header, the upload offset is ${range.start} byte(s), ` +
        `which exceeds already uploaded size of ${session.stored} byte(s).`,
    );
  }
  const fresh = request.body.subarray(session.stored - range.start);
  if (fresh.length > 0) {
    requireRoom(context.state, session.stored + fresh.length - existingSize(context, session), {
      newFile: false,
    });
    context.state.appendToSession(session, fresh);
  }
  if (session.totalLength !== undefined && session.stored === session.totalLength) {
    return finish(context, request, session);
  }
  return incomplete(session);
}

function liveSession(context: HandlerContext, uploadId: string): UploadSession {
  const session = context.state.session(uploadId);
  if (!session || session.appId !== context.caller.clientId) throw uploadSessionNotFound();
  if (context.state.now() - session.createdAt > context.sessionLifetimeMs) {
    context.state.dropSession(session.id);
    throw uploadSessionNotFound();
  }
  return session;
}

/**
 * After a broken connection Drive keeps what arrived, rounded down to whole 256 KiB granules,
 * so the client must ask (status query) and continue from the Range it is told.
 */
function keepWholeGranules(
  context: HandlerContext,
  session: UploadSession,
  range: UploadRange,
  body: Buffer,
): void {
  if (range.kind !== 'chunk' || range.start > session.stored) return;
  const keepUntil = Math.floor((range.start + body.length) / CHUNK_GRANULARITY) * CHUNK_GRANULARITY;
  if (keepUntil <= session.stored) return;
  const fresh = body.subarray(session.stored - range.start, keepUntil - range.start);
  const total = session.stored + fresh.length - existingSize(context, session);
  if (total + context.state.usage().usage > context.state.quotaBytes) return;
  context.state.appendToSession(session, fresh);
}

function adoptTotal(session: UploadSession, total: number): void {
  const known = session.totalLength;
  if (known !== undefined && known !== total) {
    throw badRequest(
      `Invalid request. The upload was declared as ${known} byte(s) but Content-Range says ${total}.`,
    );
  }
  if (total < session.stored) {
    throw badRequest(
      `Invalid request. ${session.stored} byte(s) are already stored, more than the total ${total}.`,
    );
  }
  session.totalLength = total;
}

function incomplete(session: UploadSession): EmulatorResponse {
  const headers: Record<string, string> = { 'x-guploader-uploadid': session.id };
  // No Range header at all means "nothing kept yet": the client must send from byte 0.
  if (session.stored > 0) headers.range = `bytes=0-${session.stored - 1}`;
  return { ...emptyResponse(308, headers), statusMessage: 'Resume Incomplete' };
}

function finish(context: HandlerContext, request: EmulatorRequest, session: UploadSession): EmulatorResponse {
  const bytes = context.state.sessionBytes(session);
  let record: ReturnType<typeof findVisibleFile>;
  if (session.fileId !== undefined) {
    record = findVisibleFile(context, session.fileId);
    const input = validateMetadata(session.metadata, 'update');
    replaceContent(context, record, bytes);
    const changes = { add: session.addParents ?? null, remove: session.removeParents ?? null };
    updateMetadata(context, record, input, changes);
  } else {
    const input = validateMetadata(session.metadata, 'create');
    record = createFromMetadata(context, input, bytes, session.contentType);
  }
  context.state.completeSession(session, record.id);
  return withUploadId(fileResponse(context, request, record), session);
}

/** Asking a finished session again returns the file once more (a lost final response is recoverable). */
function completedResponse(
  context: HandlerContext,
  request: EmulatorRequest,
  session: UploadSession,
): EmulatorResponse {
  const record = context.state.get(session.completedFileId as string);
  if (!record) throw fileNotFound(session.completedFileId as string);
  return withUploadId(fileResponse(context, request, record), session);
}

function withUploadId(response: EmulatorResponse, session: UploadSession): EmulatorResponse {
  return { ...response, headers: { ...response.headers, 'x-guploader-uploadid': session.id } };
}

function existingSize(context: HandlerContext, session: UploadSession): number {
  if (session.fileId === undefined) return 0;
  return context.state.get(session.fileId)?.content?.size ?? 0;
}

function parseDeclaredLength(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw badRequest('Invalid X-Upload-Content-Length header.');
  return Number(value);
}
