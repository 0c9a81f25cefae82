import type { EmulatorRequest, EmulatorResponse } from '../exchange';
import { parseMetadataJson, validateMetadata } from '../file-metadata';
import {
  createFromMetadata,
  fileResponse,
  findVisibleFile,
  replaceContent,
  updateMetadata,
} from '../file-writes';
import { insufficientFilePermissions } from '../google-errors';
import { parseMultipartRelated } from '../multipart';
import type { HandlerContext } from './context';

/** POST /upload/drive/v3/files?uploadType=multipart: metadata and bytes in one request. */
export function createMultipart(context: HandlerContext, request: EmulatorRequest): EmulatorResponse {
  const upload = parseMultipartRelated(headerOf(request, 'content-type'), request.body);
  const input = validateMetadata(parseMetadataJson(upload.metadata), 'create');
  const record = createFromMetadata(context, input, upload.media, upload.mediaType);
  return fileResponse(context, request, record);
}

/** POST /upload/drive/v3/files?uploadType=media: bytes only; Drive names the file "Untitled". */
export function createMedia(context: HandlerContext, request: EmulatorRequest): EmulatorResponse {
  const record = createFromMetadata(context, {}, request.body, headerOf(request, 'content-type'));
  return fileResponse(context, request, record);
}

/** PATCH /upload/drive/v3/files/{id}?uploadType=multipart|media: new content (and metadata). */
export function updateWithContent(
  context: HandlerContext,
  request: EmulatorRequest,
  fileId: string,
  uploadType: 'multipart' | 'media',
): EmulatorResponse {
  const record = findVisibleFile(context, fileId);
  if (record.isRoot) throw insufficientFilePermissions();
  let metadata: Buffer = Buffer.alloc(0);
  let content = request.body;
  if (uploadType === 'multipart') {
    const upload = parseMultipartRelated(headerOf(request, 'content-type'), request.body);
    metadata = upload.metadata;
    content = upload.media;
  }
  const input = validateMetadata(parseMetadataJson(metadata), 'update');
  replaceContent(context, record, content);
  const params = request.url.searchParams;
  updateMetadata(context, record, input, {
    add: params.get('addParents'),
    remove: params.get('removeParents'),
  });
  return fileResponse(context, request, record);
}

export function headerOf(request: EmulatorRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
