import { formatJsonPath, type JsonPath } from './schema-error';

/**
 * Deterministic JSON: the same content always gives the same text, whatever order its object
 * members were built in. Backups store message segments by a hash of these bytes, so an unchanged
 * chat month must serialise identically on every run and every machine.
 *
 * Rules (the same as RFC 8785 "JCS" for the values it accepts):
 * - object members sorted by their names' UTF-16 code units (JavaScript's default string order,
 *   not locale order and not code point order), no whitespace anywhere;
 * - members whose value is `undefined` are omitted (as JSON.stringify does);
 * - numbers in JavaScript's shortest round-trip form (`1e+21`, `0.1`, `-0` → `0`);
 * - strings escaped as JSON.stringify does (lone surrogates become `\udXXX` escapes, so the text
 *   stays valid UTF-16 and the UTF-8 bytes are well defined — JCS would refuse them instead);
 * - anything JSON cannot represent faithfully is refused with CanonicalJsonError rather than
 *   silently changed: NaN and ±Infinity, `undefined` in an array or at the top, bigint, symbols,
 *   functions, symbol-keyed members, cycles, and objects that are not plain (Date, Map, class
 *   instances, typed arrays — call `.toJSON()` or convert them first; `toJSON` is not honoured).
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined)
    throw new CanonicalJsonError('the value is undefined, which JSON cannot represent', []);
  try {
    // Fast path: a checked copy whose members were inserted in sorted order, serialised by the
    // engine's native JSON.stringify (several times faster than building the text in JS).
    return JSON.stringify(orderedCopy(value, new Set(), 0));
  } catch (error) {
    if (error !== INDEX_KEYS) throw error;
    // Engines list integer-like member names ("7", "42") first whatever their insertion order,
    // so the copy cannot carry canonical order for such objects: write the text by hand.
    return write(value, new Set(), 0);
  }
}

/** canonicalJson as UTF-8 bytes: what gets hashed, compressed and stored. */
export function canonicalJsonBytes(value: unknown): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(canonicalJson(value));
}

export class CanonicalJsonError extends Error {
  override readonly name = 'CanonicalJsonError';
  /** Where the offending value is, from the root. */
  readonly path: JsonPath;
  /** The problem without the location, so enclosing levels can rebuild the message with a longer path. */
  readonly problem: string;

  constructor(problem: string, path: JsonPath) {
    super(`Cannot write canonical JSON at ${formatJsonPath(path)}: ${problem}`);
    this.problem = problem;
    this.path = path;
  }
}

/** Far deeper than any schema value; stops runaway recursion with a clear error instead of a RangeError. */
const MAX_DEPTH = 1000;

/** Thrown (not an Error: it never escapes) when the fast path meets an integer-like member name. */
const INDEX_KEYS = Symbol('integer-like member names');
/** Canonical array-index spelling, the names engines enumerate before all others. */
const ARRAY_INDEX = /^(?:0|[1-9][0-9]{0,9})$/;

function orderedCopy(value: unknown, ancestors: Set<object>, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${value} is not a finite number`, []);
      return value;
    case 'object':
      if (value === null) return null;
      break;
    default:
      throw new CanonicalJsonError(`a ${typeof value} cannot be represented in JSON`, []);
  }
  if (depth >= MAX_DEPTH) throw new CanonicalJsonError(`nesting deeper than ${MAX_DEPTH} levels`, []);
  if (ancestors.has(value)) throw new CanonicalJsonError('the value contains a cycle', []);
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const copy = new Array<unknown>(value.length);
      for (let index = 0; index < value.length; index++) {
        const item: unknown = value[index];
        if (item === undefined) {
          throw new CanonicalJsonError('undefined (or a hole) inside an array cannot be represented', [
            index,
          ]);
        }
        try {
          copy[index] = orderedCopy(item, ancestors, depth + 1);
        } catch (error) {
          throw withOuterSegment(error, index);
        }
      }
      return copy;
    }
    const record = checkedPlainObject(value);
    const keys = Object.keys(record);
    if (keys.length > 0 && ARRAY_INDEX.test(keys[0]!)) throw INDEX_KEYS;
    keys.sort();
    // No prototype: a member named "__proto__" must become an own member, not a prototype change.
    const copy: Record<string, unknown> = Object.create(null);
    for (const key of keys) {
      const member = record[key];
      if (member === undefined) continue;
      try {
        copy[key] = orderedCopy(member, ancestors, depth + 1);
      } catch (error) {
        throw withOuterSegment(error, key);
      }
    }
    return copy;
  } finally {
    ancestors.delete(value);
  }
}

function checkedPlainObject(object: object): Record<string, unknown> {
  const prototype = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) {
    const kind = (object as { constructor?: { name?: string } }).constructor?.name ?? 'unknown';
    throw new CanonicalJsonError(`a ${kind} object is not a plain object; convert it first`, []);
  }
  if (Object.getOwnPropertySymbols(object).length > 0) {
    throw new CanonicalJsonError('symbol-keyed members cannot be represented', []);
  }
  return object as Record<string, unknown>;
}

function write(value: unknown, ancestors: Set<object>, depth: number): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${value} is not a finite number`, []);
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return writeContainer(value, ancestors, depth);
    default:
      throw new CanonicalJsonError(`a ${typeof value} cannot be represented in JSON`, []);
  }
}

function writeContainer(value: object, ancestors: Set<object>, depth: number): string {
  if (depth >= MAX_DEPTH) throw new CanonicalJsonError(`nesting deeper than ${MAX_DEPTH} levels`, []);
  if (ancestors.has(value)) throw new CanonicalJsonError('the value contains a cycle', []);
  ancestors.add(value);
  try {
    return Array.isArray(value) ? writeArray(value, ancestors, depth) : writeObject(value, ancestors, depth);
  } finally {
    ancestors.delete(value);
  }
}

function writeArray(array: readonly unknown[], ancestors: Set<object>, depth: number): string {
  let text = '[';
  for (let index = 0; index < array.length; index++) {
    const item = array[index];
    if (item === undefined) {
      throw new CanonicalJsonError('undefined (or a hole) inside an array cannot be represented', [index]);
    }
    if (index > 0) text += ',';
    try {
      text += write(item, ancestors, depth + 1);
    } catch (error) {
      throw withOuterSegment(error, index);
    }
  }
  return `${text}]`;
}

function writeObject(object: object, ancestors: Set<object>, depth: number): string {
  const record = checkedPlainObject(object);
  // Default sort compares UTF-16 code units, which is exactly the order this format promises.
  const keys = Object.keys(record).sort();
  let text = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    if (!first) text += ',';
    first = false;
    try {
      text += `${JSON.stringify(key)}:${write(member, ancestors, depth + 1)}`;
    } catch (error) {
      throw withOuterSegment(error, key);
    }
  }
  return `${text}}`;
}

/** Paths are built on the way out of a failure, so the common, successful path pays nothing for them. */
function withOuterSegment(error: unknown, segment: string | number): unknown {
  return error instanceof CanonicalJsonError
    ? new CanonicalJsonError(error.problem, [segment, ...error.path])
    : error;
}
