import { StorageError, type StorageErrorCode } from '../storage';

/**
 * Turns Drive's answers into the StorageErrors the rest of the program branches on. Drive's error
 * body is `{"error":{"code","message","errors":[{"domain","reason"}]}}`, but its front end answers
 * some failures (502, unknown paths) with an HTML page, so the body is parsed defensively.
 */

interface GoogleErrorBody {
  error?: { message?: unknown; errors?: { reason?: unknown; message?: unknown }[] };
}

const QUOTA_REASONS = new Set(['storageQuotaExceeded', 'quotaExceeded', 'teamDriveFileLimitExceeded']);
const RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'sharingRateLimitExceeded']);
// Daily API quotas refill later: worth waiting for, unlike a full Drive.
const DAILY_REASONS = new Set(['dailyLimitExceeded', 'dailyLimitExceededUnreg']);

/** What Drive said, in words a person can act on. `what` names the operation, e.g. `upload of data/ab`. */
export async function errorFromResponse(response: Response, what: string): Promise<StorageError> {
  const { reason, message } = await readGoogleError(response);
  const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
  const detail = `${what}: Drive answered ${response.status}${reason ? ` ${reason}` : ''}${message ? ` (${message})` : ''}`;
  const make = (code: StorageErrorCode, text: string, retryable?: boolean) =>
    new StorageError(code, text, { retryAfterSeconds, retryable });
  const status = response.status;
  if (reason !== undefined && QUOTA_REASONS.has(reason)) {
    return make(
      'quota-exceeded',
      `Your Google Drive is full, so ${what} cannot be stored. Free some space in Google Drive ` +
        `(or buy more storage) and try again. ${detail}`,
    );
  }
  if (status === 429 || (reason !== undefined && (RATE_REASONS.has(reason) || DAILY_REASONS.has(reason)))) {
    return make('rate-limited', `Google Drive asked us to slow down; ${detail}`);
  }
  if (status === 401) {
    return make(
      'unauthorized',
      `Google Drive no longer accepts ChatVault's sign-in (it expired or access was removed). ` +
        `Sign in to Google Drive again in ChatVault's settings. ${detail}`,
    );
  }
  if (status === 403) {
    return make(
      'forbidden',
      `Google Drive refused ${what}; ChatVault may lack the permission it needs. ${detail}`,
    );
  }
  if (status === 404) return make('not-found', detail);
  if (status === 408 || status >= 500)
    return make('unavailable', `Google Drive is unavailable right now; ${detail}`);
  return make('internal', detail, false);
}

/** The `reason` and message of a Google error body; both undefined for HTML or garbage. */
export async function readGoogleError(response: Response): Promise<{ reason?: string; message?: string }> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    return {};
  }
  try {
    const body = JSON.parse(text) as GoogleErrorBody;
    const item = body.error?.errors?.[0];
    const reason = typeof item?.reason === 'string' ? item.reason : undefined;
    const message = typeof body.error?.message === 'string' ? body.error.message : undefined;
    return { reason, message };
  } catch {
    return {};
  }
}

/** Retry-After as seconds: a number of seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** A fetch that never produced a response: the connection broke, timed out, or was aborted. */
export function networkError(error: unknown, what: string): StorageError {
  if (error instanceof StorageError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new StorageError('network', `${what}: the connection to Google Drive failed (${detail})`, {
    cause: error,
  });
}
