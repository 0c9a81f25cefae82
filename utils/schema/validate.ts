import { chatIssues, contactIssues, datasetIssues, messageIssues } from './invariants';
import { type JsonPath, SchemaError, type SchemaIssue } from './schema-error';
import {
  type Chat,
  type Contact,
  DATASET_FORMAT,
  DATASET_VERSION,
  type Dataset,
  type Jid,
  type Message,
} from './types';
import type { z } from './zod';
import { buildSchemas, type UnknownKeys } from './zod-schemas';

/**
 * Validation at trust boundaries: data from the WhatsApp page and data from a restored backup.
 * Bad input returns `{ ok: false, error }` with a SchemaError listing the JSON path of every
 * problem; it never throws (the `…OrThrow` forms do, for callers that prefer exceptions).
 * A successful parse returns a fresh copy; the input is never modified.
 */

export interface ParseOptions {
  /** `keep` (default): unknown members pass through untouched. `reject`: they are errors. */
  unknownKeys?: UnknownKeys;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: SchemaError };

/** The zod schemas, for composing into other validators (e.g. cross-context message payloads). */
export const schemas = buildSchemas('keep');
export const strictSchemas = buildSchemas('reject');

export function parseDataset(value: unknown, options: ParseOptions = {}): ParseResult<Dataset> {
  const header = datasetHeaderError(value);
  if (header) return { ok: false, error: header };
  const structural = runSchema(pick(options).dataset, value, 'Not a valid ChatVault dataset');
  if (!structural.ok) return structural;
  return withIssues(structural.value, datasetIssues(structural.value), 'Not a valid ChatVault dataset');
}

export function parseDatasetOrThrow(value: unknown, options: ParseOptions = {}): Dataset {
  return unwrap(parseDataset(value, options));
}

/** One message on its own: everything but the rules that need the whole dataset (order, uniqueness). */
export function parseMessage(value: unknown, options: ParseOptions = {}): ParseResult<Message> {
  const structural = runSchema(pick(options).message, value, 'Not a valid message');
  if (!structural.ok) return structural;
  return withIssues(structural.value, messageIssues(structural.value, []), 'Not a valid message');
}

/** One chat on its own: everything but the media counts, which need the chat's messages. */
export function parseChat(value: unknown, options: ParseOptions = {}): ParseResult<Chat> {
  const structural = runSchema(pick(options).chat, value, 'Not a valid chat');
  if (!structural.ok) return structural;
  return withIssues(structural.value, chatIssues(structural.value, []), 'Not a valid chat');
}

export function parseContacts(value: unknown, options: ParseOptions = {}): ParseResult<Record<Jid, Contact>> {
  const structural = runSchema(pick(options).contacts, value, 'Not a valid contact map');
  if (!structural.ok) return structural;
  return withIssues(structural.value, contactIssues(structural.value, []), 'Not a valid contact map');
}

export function unwrap<T>(result: ParseResult<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

/**
 * Format and version are checked before anything else so that a newer dataset is refused with
 * "unsupported version" instead of a list of confusing field errors.
 */
function datasetHeaderError(value: unknown): SchemaError | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return new SchemaError(
      'not-a-dataset',
      `A ChatVault dataset is a JSON object, got ${describeKind(value)}`,
    );
  }
  const { format, version } = value as { format?: unknown; version?: unknown };
  if (format !== DATASET_FORMAT) {
    return new SchemaError(
      'not-a-dataset',
      `Not a ChatVault dataset: format is ${JSON.stringify(format) ?? 'missing'}`,
      [{ path: ['format'], message: `must be "${DATASET_FORMAT}"` }],
    );
  }
  if (typeof version === 'number' && Number.isInteger(version) && version > DATASET_VERSION) {
    return new SchemaError(
      'unsupported-version',
      `This dataset has version ${version}; this reader only knows version ${DATASET_VERSION}. Use a newer ChatVault.`,
      [{ path: ['version'], message: `unsupported version ${version}` }],
    );
  }
  return undefined;
}

function pick(options: ParseOptions) {
  if (options === null || typeof options !== 'object') {
    throw new SchemaError('invalid-argument', 'options must be an object like { unknownKeys: "keep" }');
  }
  const unknownKeys = options.unknownKeys ?? 'keep';
  if (unknownKeys !== 'keep' && unknownKeys !== 'reject') {
    throw new SchemaError(
      'invalid-argument',
      `options.unknownKeys must be "keep" or "reject", got ${String(unknownKeys)}`,
    );
  }
  return unknownKeys === 'keep' ? schemas : strictSchemas;
}

function runSchema<T>(schema: z.ZodType<T>, value: unknown, summary: string): ParseResult<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.map((issue) => ({
    path: toJsonPath(issue.path),
    message: describeZodIssue(issue),
  }));
  return { ok: false, error: new SchemaError('invalid', summary, issues) };
}

function withIssues<T>(value: T, issues: SchemaIssue[], summary: string): ParseResult<T> {
  return issues.length === 0
    ? { ok: true, value }
    : { ok: false, error: new SchemaError('invalid', summary, issues) };
}

function toJsonPath(path: readonly PropertyKey[]): JsonPath {
  return path.map((part) => (typeof part === 'number' ? part : String(part)));
}

function describeZodIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown member(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  if (issue.code === 'invalid_key') return `invalid key: ${issue.issues.map((i) => i.message).join('; ')}`;
  return issue.message;
}

function describeKind(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}
