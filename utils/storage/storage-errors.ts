import { StorageError } from './storage';

/**
 * storage.ts has no code for "the caller passed nonsense", yet its rule is that every rejection is a
 * StorageError (callers branch on `retryable`). `internal` is the closest non-retryable code: the
 * fault is in our own program, not in the backend, and trying again cannot help.
 */
export function invalidArgument(message: string): StorageError {
  return new StorageError('internal', message, { retryable: false });
}

/** The rejection storage.ts promises when a `PutOptions.signal` (or a retry signal) fires. */
export function abortedError(signal: AbortSignal): StorageError {
  return new StorageError('aborted', 'The storage operation was aborted', { cause: signal.reason });
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortedError(signal);
}

/** Keeps StorageErrors as they are and wraps anything else, so callers see one error type. */
export function asStorageError(error: unknown, message: string): StorageError {
  if (error instanceof StorageError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new StorageError('internal', `${message}: ${detail}`, { cause: error });
}
