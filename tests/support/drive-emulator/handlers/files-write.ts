import { requireWrite } from '../access';
import type { EmulatorRequest, EmulatorResponse } from '../exchange';
import { emptyResponse } from '../exchange';
import { parseMetadataJson, validateMetadata } from '../file-metadata';
import { createFromMetadata, fileResponse, findVisibleFile, updateMetadata } from '../file-writes';
import { insufficientFilePermissions } from '../google-errors';
import type { HandlerContext } from './context';

/** POST /drive/v3/files: a folder, or an empty file, from metadata alone. */
export function createFile(context: HandlerContext, request: EmulatorRequest): EmulatorResponse {
  const input = validateMetadata(parseMetadataJson(request.body), 'create');
  const record = createFromMetadata(context, input, undefined, undefined);
  return fileResponse(context, request, record);
}

/** PATCH /drive/v3/files/{id}: rename, move (addParents/removeParents), trash, appProperties… */
export function updateFile(
  context: HandlerContext,
  request: EmulatorRequest,
  fileId: string,
): EmulatorResponse {
  const record = findVisibleFile(context, fileId);
  if (record.isRoot) throw insufficientFilePermissions();
  const input = validateMetadata(parseMetadataJson(request.body), 'update');
  const params = request.url.searchParams;
  updateMetadata(context, record, input, {
    add: params.get('addParents'),
    remove: params.get('removeParents'),
  });
  return fileResponse(context, request, record);
}

/** DELETE /drive/v3/files/{id}: permanent, and recursive for folders, as in Drive. */
export function deleteFile(
  context: HandlerContext,
  _request: EmulatorRequest,
  fileId: string,
): EmulatorResponse {
  const record = findVisibleFile(context, fileId);
  if (record.isRoot) throw insufficientFilePermissions();
  requireWrite(context.caller, record);
  context.state.deleteTree(record.id);
  return emptyResponse(204);
}
