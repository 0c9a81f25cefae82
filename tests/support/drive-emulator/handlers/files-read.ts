import { requireContentRead } from '../access';
import type { EmulatorRequest, EmulatorResponse } from '../exchange';
import { isFolder } from '../file-record';
import { fileResponse, findVisibleFile } from '../file-writes';
import { fileNotDownloadable, rangeNotSatisfiable } from '../google-errors';
import { parseDownloadRange } from '../ranges';
import type { HandlerContext } from './context';

/** GET /drive/v3/files/{id}: metadata, or the bytes with alt=media. */
export function getFile(context: HandlerContext, request: EmulatorRequest, fileId: string): EmulatorResponse {
  const record = findVisibleFile(context, fileId);
  if (request.url.searchParams.get('alt') !== 'media') return fileResponse(context, request, record);
  requireContentRead(context.caller, record);
  if (isFolder(record) || !record.content) throw fileNotDownloadable();
  const size = record.content.size;
  const headers: Record<string, string> = { 'content-type': record.mimeType };
  const range = parseDownloadRange(header(request, 'range'), size);
  if (range === 'unsatisfiable') throw rangeNotSatisfiable(size);
  if (range === undefined) {
    return { status: 200, headers, body: context.state.readContent(record.id) };
  }
  headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
  return {
    status: 206,
    headers,
    body: context.state.readContentRange(record.id, range.start, range.end + 1),
  };
}

function header(request: EmulatorRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
