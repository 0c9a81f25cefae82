/**
 * The narrow storage contract every backend (memory, local folder, Google Drive) implements.
 * The repository code (utils/repo) talks only to this interface, so a backend is swappable and
 * one shared contract suite (tests/unit/storage/contract.ts) proves each one.
 *
 * Rules every implementation keeps:
 * - Names are relative paths of the form `<kind>/<name>` or a bare `<name>` (e.g. `config`,
 *   `keys/3f…`, `data/ab12…`, `index/…`, `snapshots/…`). Allowed characters: `[A-Za-z0-9._-]`
 *   and `/` as a separator; no empty segment, no `.` or `..` segment, at most 255 characters.
 *   Anything else is rejected with `StorageError('invalid-name')`.
 * - `put` is all-or-nothing: after it resolves the whole object is readable under its name;
 *   if it rejects, a later `get` returns either nothing or a previous complete version, never a
 *   partial one. Writing an existing name replaces it (the repository only ever does that for
 *   names whose content is the same, or for mutable files it documents).
 * - `get` of a missing name rejects with `StorageError('not-found')`. A byte range past the end
 *   is clamped to the object's size; a range starting past the end yields an empty result.
 * - `list(prefix)` yields every object whose name starts with `prefix`, each exactly once, in
 *   no particular order. Objects written or deleted while a listing runs may or may not appear.
 * - `delete` of a missing name succeeds (deletion is idempotent).
 * - Errors are `StorageError`; `retryable` says whether the same call may succeed if tried
 *   again later (network cut, 5xx, rate limit) or never will (quota full, access revoked,
 *   not found). Retrying is not the backend's job: wrap it in `withRetry` (retry.ts).
 */
export interface Storage {
  /** Human-readable description for messages, e.g. `folder /home/ana/backups`. */
  readonly description: string;

  /** Stores `data` under `name`, replacing any existing object. */
  put(name: string, data: Uint8Array | ReadableStream<Uint8Array>, options?: PutOptions): Promise<void>;

  /** Reads a whole object, or `range` of it. */
  get(name: string, range?: ByteRange): Promise<Uint8Array>;

  /** Streams an object (or a range of it) without holding it whole in memory. */
  getStream(name: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>>;

  /** Size of an object, or `undefined` when it does not exist. */
  stat(name: string): Promise<ObjectInfo | undefined>;

  /** Every object whose name starts with `prefix` (use `''` for all). */
  list(prefix: string): AsyncIterable<ObjectInfo>;

  /** Removes an object; succeeds when it does not exist. */
  delete(name: string): Promise<void>;
}

export interface ByteRange {
  /** First byte, inclusive. */
  offset: number;
  /** Number of bytes; omitted means "to the end". */
  length?: number;
}

export interface ObjectInfo {
  name: string;
  size: number;
}

export interface PutOptions {
  /** Total size when `data` is a stream and it is known; lets backends preallocate or resume. */
  size?: number;
  /** Reports bytes durably stored so far, for progress displays. */
  onProgress?: (storedBytes: number) => void;
  /** Aborts the upload; the call then rejects with `StorageError('aborted')`. */
  signal?: AbortSignal;
}

export type StorageErrorCode =
  | 'not-found'
  | 'invalid-name'
  | 'quota-exceeded'
  | 'unauthorized'
  | 'forbidden'
  | 'rate-limited'
  | 'unavailable'
  | 'network'
  | 'aborted'
  | 'corrupt'
  | 'internal';

const RETRYABLE: ReadonlySet<StorageErrorCode> = new Set(['rate-limited', 'unavailable', 'network']);

export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly code: StorageErrorCode;
  readonly retryable: boolean;
  /** Seconds the backend asked us to wait before retrying (HTTP Retry-After), when it said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: StorageErrorCode,
    message: string,
    options: { cause?: unknown; retryAfterSeconds?: number; retryable?: boolean } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? RETRYABLE.has(code);
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isStorageError(error: unknown, code?: StorageErrorCode): error is StorageError {
  return error instanceof StorageError && (code === undefined || error.code === code);
}

const NAME_PATTERN = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** Throws `StorageError('invalid-name')` unless `name` follows the naming rule above. */
export function assertValidName(name: string): void {
  const segments = name.split('/');
  if (
    name.length === 0 ||
    name.length > 255 ||
    !NAME_PATTERN.test(name) ||
    segments.some((segment) => segment === '.' || segment === '..')
  ) {
    throw new StorageError('invalid-name', `Invalid storage object name: ${JSON.stringify(name)}`);
  }
}
