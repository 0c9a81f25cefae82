import { badRequest, fieldNotWritable, parseError } from './google-errors';
import { FILE_ID_PATTERN } from './ids';

/** The writable part of a file resource sent in a create or update body, checked. */
export interface FileMetadataInput {
  id?: string;
  name?: string;
  mimeType?: string;
  parents?: string[];
  /** `null` values delete a key (update only). */
  appProperties?: Record<string, string | null>;
  properties?: Record<string, string | null>;
  description?: string | null;
  starred?: boolean;
  trashed?: boolean;
  createdTime?: number;
  modifiedTime?: number;
  originalFilename?: string;
}

// Fields Drive lets a client set. Writable-but-irrelevant ones are accepted and ignored.
const IGNORED_WRITABLE = [
  'kind',
  'contentHints',
  'folderColorRgb',
  'viewedByMeTime',
  'writersCanShare',
  'copyRequiresWriterPermission',
  'contentRestrictions',
  'inheritedPermissionsDisabled',
];
const CREATE_WRITABLE = new Set([
  ...IGNORED_WRITABLE,
  'id',
  'name',
  'mimeType',
  'parents',
  'appProperties',
  'properties',
  'description',
  'starred',
  'createdTime',
  'modifiedTime',
  'originalFilename',
]);
// `parents` is not writable on update: Drive wants addParents/removeParents instead.
const UPDATE_WRITABLE = new Set([
  ...IGNORED_WRITABLE,
  'name',
  'mimeType',
  'appProperties',
  'properties',
  'description',
  'starred',
  'trashed',
  'modifiedTime',
  'originalFilename',
]);

/** Drive's documented limit: a property's key plus value may not exceed 124 bytes (UTF-8). */
export const PROPERTY_BYTES_LIMIT = 124;
/** Drive keeps at most 30 private properties per app on a file. */
export const APP_PROPERTIES_LIMIT = 30;

/** An empty body means "no metadata"; anything else must be a JSON object. */
export function parseMetadataJson(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw parseError();
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw parseError();
  return parsed as Record<string, unknown>;
}

export function validateMetadata(raw: Record<string, unknown>, mode: 'create' | 'update'): FileMetadataInput {
  const writable = mode === 'create' ? CREATE_WRITABLE : UPDATE_WRITABLE;
  for (const [key, value] of Object.entries(raw)) {
    if (value !== undefined && !writable.has(key)) throw fieldNotWritable();
  }
  const input: FileMetadataInput = {};
  if (raw.id !== undefined) {
    if (typeof raw.id !== 'string' || !FILE_ID_PATTERN.test(raw.id))
      throw badRequest('Invalid id value.', 'id');
    input.id = raw.id;
  }
  if (raw.name !== undefined) input.name = requireString(raw.name, 'name');
  if (raw.mimeType !== undefined) input.mimeType = requireString(raw.mimeType, 'mimeType');
  if (raw.originalFilename !== undefined)
    input.originalFilename = requireString(raw.originalFilename, 'originalFilename');
  if (raw.description !== undefined) {
    input.description = raw.description === null ? null : requireString(raw.description, 'description');
  }
  if (raw.parents !== undefined) {
    if (!Array.isArray(raw.parents) || raw.parents.some((parent) => typeof parent !== 'string')) {
      throw badRequest('Invalid value for parents: expected an array of file ids.');
    }
    input.parents = raw.parents as string[];
  }
  if (raw.starred !== undefined) input.starred = requireBoolean(raw.starred, 'starred');
  if (raw.trashed !== undefined) input.trashed = requireBoolean(raw.trashed, 'trashed');
  if (raw.createdTime !== undefined) input.createdTime = requireTime(raw.createdTime, 'createdTime');
  if (raw.modifiedTime !== undefined) input.modifiedTime = requireTime(raw.modifiedTime, 'modifiedTime');
  if (raw.appProperties !== undefined)
    input.appProperties = requireProperties(raw.appProperties, 'appProperties');
  if (raw.properties !== undefined) input.properties = requireProperties(raw.properties, 'properties');
  return input;
}

/** Applies a properties patch (null deletes) and enforces Drive's size limits. */
export function mergeProperties(
  current: Record<string, string>,
  patch: Record<string, string | null> | undefined,
  limit: number,
): Record<string, string> {
  const merged = { ...current };
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  if (Object.keys(merged).length > limit) {
    throw badRequest(`The limit of ${limit} properties per app on a file has been exceeded.`);
  }
  return merged;
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw badRequest(`Invalid value for ${field}: expected a string.`);
  return value;
}

function requireBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw badRequest(`Invalid value for ${field}: expected true or false.`);
  return value;
}

function requireTime(value: unknown, field: string): number {
  const milliseconds = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!/^\d{4}-\d{2}-\d{2}T/.test(String(value)) || Number.isNaN(milliseconds)) {
    throw badRequest(`Invalid value for ${field}: expected an RFC 3339 date-time.`);
  }
  return milliseconds;
}

function requireProperties(value: unknown, field: string): Record<string, string | null> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest(`Invalid value for ${field}: expected an object of strings.`);
  }
  const result: Record<string, string | null> = {};
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    if (entry !== null && typeof entry !== 'string') {
      throw badRequest(`Invalid value for ${field}.${key}: expected a string or null.`);
    }
    if (Buffer.byteLength(key) + Buffer.byteLength(entry ?? '') > PROPERTY_BYTES_LIMIT) {
      throw badRequest(
        `The property ${key} is too large: a key and value may use at most ${PROPERTY_BYTES_LIMIT} bytes together.`,
      );
    }
    result[key] = entry;
  }
  return result;
}
