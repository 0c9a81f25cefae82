import { canSee, requireSpace } from '../access';
import type { EmulatorRequest, EmulatorResponse } from '../exchange';
import { jsonResponse } from '../exchange';
import { applyFieldMask, parseFieldMask } from '../field-mask';
import { FILE_LIST_SCHEMA } from '../field-schemas';
import type { DriveSpace } from '../file-record';
import { toFileResource } from '../file-resource';
import { resolveAlias } from '../file-writes';
import { invalidValue } from '../google-errors';
import {
  compareSortTuples,
  decodePageToken,
  encodePageToken,
  listingSignature,
  parseOrderBy,
  sortValues,
} from '../listing-order';
import { matchesQuery } from '../query/evaluate';
import { parseQuery } from '../query/parser';
import type { HandlerContext } from './context';

const DEFAULT_LIST_FIELDS = 'kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)';
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;
const CORPORA = new Set(['user', 'drive', 'domain', 'allDrives']);

/** GET /drive/v3/files: search, order, page and cut down, as Drive's files.list does. */
export function listFiles(context: HandlerContext, request: EmulatorRequest): EmulatorResponse {
  const params = request.url.searchParams;
  const mask = parseFieldMask(params.get('fields') || DEFAULT_LIST_FIELDS, FILE_LIST_SCHEMA);
  const spaces = parseSpaces(params.get('spaces'));
  for (const space of spaces) requireSpace(context.caller, space);
  const corpora = params.get('corpora');
  if (corpora !== null && !CORPORA.has(corpora)) throw invalidValue('corpora');
  const pageSize = parsePageSize(params.get('pageSize'));
  const keys = parseOrderBy(params.get('orderBy'));
  const q = params.get('q');
  const query = q === null || q.trim() === '' ? undefined : parseQuery(q);
  const queryContext = {
    resolveId: (id: string) => resolveAlias(context, id),
    clientId: context.caller.clientId,
    accountEmail: context.account.email,
  };
  const sorted = context.state
    .records()
    .filter((record) => !record.isRoot && spaces.includes(record.space) && canSee(context.caller, record))
    .filter((record) => query === undefined || matchesQuery(query, record, queryContext))
    .map((record) => ({ record, values: sortValues(record, keys), seq: record.seq }))
    .sort((a, b) => compareSortTuples(keys, a, b));

  const signature = listingSignature([q, params.get('orderBy'), spaces.join(','), context.caller.clientId]);
  let start = 0;
  const pageToken = params.get('pageToken');
  if (pageToken) {
    const cursor = decodePageToken(pageToken, signature, keys.length);
    const next = sorted.findIndex((entry) => compareSortTuples(keys, entry, cursor) > 0);
    start = next < 0 ? sorted.length : next;
  }
  const page = sorted.slice(start, start + pageSize);
  const body: Record<string, unknown> = {};
  const last = page[page.length - 1];
  if (last && start + pageSize < sorted.length) body.nextPageToken = encodePageToken(last, signature);
  body.kind = 'drive#fileList';
  body.incompleteSearch = false;
  const viewer = { clientId: context.caller.clientId, account: context.account };
  body.files = page.map((entry) => toFileResource(entry.record, viewer));
  return jsonResponse(200, applyFieldMask(body, mask), request);
}

function parseSpaces(value: string | null): DriveSpace[] {
  if (value === null || value.trim() === '') return ['drive'];
  const spaces = value.split(',').map((space) => space.trim());
  for (const space of spaces) {
    if (space !== 'drive' && space !== 'appDataFolder')
      throw invalidValue('spaces', `Invalid spaces value: ${space}`);
  }
  return [...new Set(spaces)] as DriveSpace[];
}

function parsePageSize(value: string | null): number {
  if (value === null) return DEFAULT_PAGE_SIZE;
  if (!/^-?\d+$/.test(value.trim())) throw invalidValue('pageSize');
  const size = Number(value);
  if (size < 1) {
    throw invalidValue(
      'pageSize',
      `Invalid value '${value}'. Values must be within the range: [1, ${MAX_PAGE_SIZE}]`,
    );
  }
  // Drive's reference: "values above 1000 will be coerced to 1000".
  return Math.min(size, MAX_PAGE_SIZE);
}
