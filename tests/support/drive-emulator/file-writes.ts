import type { GoogleAccount } from '../oauth-server/token-registry';
import { type Caller, canSee, requireCreate, requireWrite } from './access';
import type { EmulatorRequest, EmulatorResponse } from './exchange';
import { jsonResponse } from './exchange';
import { applyFieldMask, parseFieldMask } from './field-mask';
import { FILE_SCHEMA } from './field-schemas';
import { APP_PROPERTIES_LIMIT, type FileMetadataInput, mergeProperties } from './file-metadata';
import { type DriveSpace, type FileRecord, FOLDER_MIME_TYPE, isFolder } from './file-record';
import { toFileResource } from './file-resource';
import {
  cannotAddParent,
  duplicateFileId,
  fileNotFound,
  parentNotFolder,
  storageQuotaExceeded,
} from './google-errors';
import type { DriveState } from './state';

/** What every file-changing handler needs. */
export interface WriteContext {
  state: DriveState;
  caller: Caller;
  account: GoogleAccount;
}

// The Drive default when a client sends no `fields`: just enough to identify the file.
const DEFAULT_FILE_FIELDS = 'kind,id,name,mimeType';

/** Looks a file up by id or alias; 404 unless it exists and the caller may see it. */
export function findVisibleFile(context: WriteContext, id: string): FileRecord {
  const record = context.state.get(resolveAlias(context, id));
  if (!record || !canSee(context.caller, record)) throw fileNotFound(id);
  return record;
}

export function resolveAlias(context: WriteContext, id: string): string {
  if (id === 'root') return context.state.rootId;
  if (id === 'appDataFolder') return context.state.appDataFolderId(context.caller.clientId);
  return id;
}

/** Where a new file would go and what type it would have; throws what Drive would refuse it with. */
export function checkCreatable(
  context: WriteContext,
  input: FileMetadataInput,
  contentLength: number,
  mediaType: string | undefined,
): { parents: string[]; space: DriveSpace; mimeType: string } {
  const { parents, space } = resolveNewParents(context, input.parents);
  requireCreate(context.caller, space);
  const mimeType = input.mimeType ?? mediaType ?? 'application/octet-stream';
  if (mimeType !== FOLDER_MIME_TYPE) requireRoom(context.state, contentLength, { newFile: true });
  if (input.id !== undefined && context.state.get(input.id)) throw duplicateFileId();
  // Checked now so a resumable upload fails at initiation, not after all its bytes were sent.
  mergeProperties({}, input.appProperties, APP_PROPERTIES_LIMIT);
  return { parents, space, mimeType };
}

/** Creates a file or folder from checked metadata and (for files) its bytes. */
export function createFromMetadata(
  context: WriteContext,
  input: FileMetadataInput,
  content: Uint8Array | undefined,
  mediaType: string | undefined,
): FileRecord {
  const { parents, space, mimeType } = checkCreatable(context, input, content?.length ?? 0, mediaType);
  const appProperties = mergeProperties({}, input.appProperties, APP_PROPERTIES_LIMIT);
  const properties = mergeProperties({}, input.properties, Number.POSITIVE_INFINITY);
  return context.state.createFile({
    id: input.id,
    name: input.name ?? 'Untitled',
    mimeType,
    parents,
    space,
    appId: context.caller.clientId,
    appProperties,
    properties,
    description: input.description ?? undefined,
    starred: input.starred,
    createdTime: input.createdTime,
    modifiedTime: input.modifiedTime,
    originalFilename: input.originalFilename,
    content: mimeType === FOLDER_MIME_TYPE ? undefined : content,
  });
}

/** Applies an update body plus addParents/removeParents to an existing file. */
export function updateMetadata(
  context: WriteContext,
  record: FileRecord,
  input: FileMetadataInput,
  parentChanges: { add: string | null; remove: string | null },
): void {
  requireWrite(context.caller, record);
  if (input.name !== undefined) record.name = input.name;
  if (input.mimeType !== undefined && !isFolder(record) && input.mimeType !== FOLDER_MIME_TYPE) {
    record.mimeType = input.mimeType;
  }
  if (input.description === null) delete record.description;
  else if (input.description !== undefined) record.description = input.description;
  if (input.starred !== undefined) record.starred = input.starred;
  if (input.originalFilename !== undefined) record.originalFilename = input.originalFilename;
  if (input.trashed !== undefined && input.trashed !== record.trashed) {
    record.trashed = input.trashed;
    record.explicitlyTrashed = input.trashed;
    if (input.trashed) record.trashedTime = context.state.now();
    else delete record.trashedTime;
  }
  if (input.appProperties !== undefined) {
    const clientId = context.caller.clientId;
    const merged = mergeProperties(
      record.appProperties[clientId] ?? {},
      input.appProperties,
      APP_PROPERTIES_LIMIT,
    );
    record.appProperties = { ...record.appProperties, [clientId]: merged };
  }
  if (input.properties !== undefined) {
    record.properties = mergeProperties(record.properties, input.properties, Number.POSITIVE_INFINITY);
  }
  changeParents(context, record, parentChanges);
  if (input.modifiedTime !== undefined) record.modifiedTime = input.modifiedTime;
  context.state.touch(record, { keepModifiedTime: input.modifiedTime !== undefined });
}

/** Replaces a file's bytes, charging only the growth against the quota. */
export function replaceContent(context: WriteContext, record: FileRecord, content: Uint8Array): void {
  requireWrite(context.caller, record);
  if (isFolder(record)) throw parentNotFolder(record.id);
  requireRoom(context.state, content.length - (record.content?.size ?? 0), { newFile: false });
  context.state.replaceContent(record, content);
}

/** Fails with storageQuotaExceeded unless `bytes` more fit; a full Drive refuses even empty new files. */
export function requireRoom(state: DriveState, bytes: number, options: { newFile: boolean }): void {
  const { usage } = state.usage();
  if (usage + bytes > state.quotaBytes || (options.newFile && usage >= state.quotaBytes)) {
    throw storageQuotaExceeded();
  }
}

/** The file resource cut down to the request's `fields` (Drive's default when absent). */
export function fileResponse(
  context: WriteContext,
  request: EmulatorRequest,
  record: FileRecord,
  status = 200,
): EmulatorResponse {
  const fields = request.url.searchParams.get('fields') || DEFAULT_FILE_FIELDS;
  const mask = parseFieldMask(fields, FILE_SCHEMA);
  const resource = toFileResource(record, { clientId: context.caller.clientId, account: context.account });
  return jsonResponse(status, applyFieldMask(resource, mask), request);
}

function resolveNewParents(context: WriteContext, requested: string[] | undefined) {
  if (requested === undefined || requested.length === 0) {
    return { parents: [context.state.rootId], space: 'drive' as DriveSpace };
  }
  // Since 2020 a Drive item has exactly one parent.
  if (requested.length > 1) throw cannotAddParent();
  const requestedId = requested[0] as string;
  if (requestedId === 'appDataFolder') requireCreate(context.caller, 'appDataFolder');
  const parent = findVisibleFile(context, requestedId);
  if (!isFolder(parent)) throw parentNotFolder(requestedId);
  return { parents: [parent.id], space: parent.space };
}

function changeParents(
  context: WriteContext,
  record: FileRecord,
  changes: { add: string | null; remove: string | null },
): void {
  const remove = splitIds(changes.remove).map((id) => resolveAlias(context, id));
  const add = splitIds(changes.add);
  if (remove.length === 0 && add.length === 0) return;
  let parents = record.parents.filter((id) => !remove.includes(id));
  for (const id of add) {
    const parent = findVisibleFile(context, id);
    if (!isFolder(parent)) throw parentNotFolder(id);
    if (parent.space !== record.space) throw parentNotFolder(id);
    if (!parents.includes(parent.id)) parents = [...parents, parent.id];
  }
  if (parents.length > 1) throw cannotAddParent();
  record.parents = parents;
}

function splitIds(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
}
