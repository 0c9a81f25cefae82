/**
 * Drive's error responses, with the status codes, `reason` strings, messages and headers that
 * Google's documentation ("Resolve errors") and real responses quoted in public bug reports show.
 * Product code branches on `error.errors[0].reason`, so those strings must be exact.
 */

export interface GoogleErrorItem {
  message: string;
  domain: string;
  reason: string;
  location?: string;
  locationType?: string;
}

export interface GoogleErrorBody {
  error: { code: number; message: string; errors: GoogleErrorItem[]; status?: string };
}

interface DriveApiErrorInit {
  status: number;
  reason: string;
  message: string;
  domain?: string;
  /** errors[0].message when Google words it differently from the top-level message. */
  itemMessage?: string;
  location?: string;
  locationType?: 'parameter' | 'header';
  /** The canonical gRPC status Google adds on errors raised by its front end (auth, scopes). */
  grpcStatus?: string;
  headers?: Record<string, string>;
  /** Google's front end answers some failures (502) with an HTML page, not JSON. */
  html?: string;
}

export class DriveApiError extends Error {
  override readonly name = 'DriveApiError';
  readonly status: number;
  readonly reason: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly #init: DriveApiErrorInit;

  constructor(init: DriveApiErrorInit) {
    super(init.message);
    this.status = init.status;
    this.reason = init.reason;
    this.headers = init.headers ?? {};
    this.#init = init;
  }

  get html(): string | undefined {
    return this.#init.html;
  }

  toBody(): GoogleErrorBody {
    const init = this.#init;
    const item: GoogleErrorItem = {
      message: init.itemMessage ?? init.message,
      domain: init.domain ?? 'global',
      reason: init.reason,
    };
    if (init.location !== undefined) {
      item.location = init.location;
      item.locationType = init.locationType ?? 'parameter';
    }
    const body: GoogleErrorBody = { error: { code: init.status, message: init.message, errors: [item] } };
    if (init.grpcStatus !== undefined) body.error.status = init.grpcStatus;
    return body;
  }
}

const REALM = 'Bearer realm="https://accounts.google.com/"';
const CREDENTIALS_HELP =
  'Expected OAuth 2 access token, login cookie or other valid authentication credential. ' +
  'See https://developers.google.com/identity/sign-in/web/devconsole-project.';

/** No Authorization header at all. */
export function loginRequired(): DriveApiError {
  return new DriveApiError({
    status: 401,
    reason: 'required',
    message: `Request is missing required authentication credential. ${CREDENTIALS_HELP}`,
    itemMessage: 'Login Required.',
    location: 'Authorization',
    locationType: 'header',
    grpcStatus: 'UNAUTHENTICATED',
    headers: { 'www-authenticate': REALM },
  });
}

/** A bearer token Google does not accept: unknown, expired or revoked. */
export function invalidCredentials(): DriveApiError {
  return new DriveApiError({
    status: 401,
    reason: 'authError',
    message: `Request had invalid authentication credentials. ${CREDENTIALS_HELP}`,
    itemMessage: 'Invalid Credentials',
    location: 'Authorization',
    locationType: 'header',
    grpcStatus: 'UNAUTHENTICATED',
    headers: { 'www-authenticate': `${REALM}, error="invalid_token"` },
  });
}

export function insufficientPermissions(requiredScope: string): DriveApiError {
  return new DriveApiError({
    status: 403,
    reason: 'insufficientPermissions',
    message: 'Request had insufficient authentication scopes.',
    itemMessage: 'Insufficient Permission',
    grpcStatus: 'PERMISSION_DENIED',
    headers: { 'www-authenticate': `${REALM}, error="insufficient_scope", scope="${requiredScope}"` },
  });
}

export function appDataScopeMissing(): DriveApiError {
  return new DriveApiError({
    status: 403,
    reason: 'insufficientScopes',
    message: 'The granted scopes do not allow use of the Application Data folder.',
  });
}

export function fileNotFound(fileId: string): DriveApiError {
  return new DriveApiError({
    status: 404,
    reason: 'notFound',
    message: `File not found: ${fileId}.`,
    location: 'fileId',
  });
}

export function uploadSessionNotFound(): DriveApiError {
  return new DriveApiError({
    status: 404,
    reason: 'notFound',
    message: 'Upload session not found. It expired or was cancelled; start the upload again.',
    location: 'upload_id',
  });
}

export function storageQuotaExceeded(): DriveApiError {
  return new DriveApiError({
    status: 403,
    domain: 'usageLimits',
    reason: 'storageQuotaExceeded',
    message: "The user's Drive storage quota has been exceeded.",
  });
}

export type RateLimitReason = 'rateLimitExceeded' | 'userRateLimitExceeded';

export function rateLimited(
  status: 403 | 429,
  reason: RateLimitReason,
  retryAfterSeconds?: number,
): DriveApiError {
  const headers: Record<string, string> = {};
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  return new DriveApiError({
    status,
    domain: 'usageLimits',
    reason,
    message: reason === 'rateLimitExceeded' ? 'Rate Limit Exceeded' : 'User Rate Limit Exceeded',
    headers,
  });
}

export function serverError(status: 500 | 502 | 503): DriveApiError {
  if (status === 502) {
    // Google's edge answers 502 with its HTML error page; clients must not expect JSON.
    return new DriveApiError({
      status,
      reason: 'badGateway',
      message: 'Bad Gateway',
      html:
        '<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Error 502 (Server Error)!!1</title>' +
        '<p><b>502.</b> <ins>That’s an error.</ins><p>The server encountered a temporary error and ' +
        'could not complete your request.<p>Please try again in 30 seconds. <ins>That’s all we know.</ins>',
    });
  }
  if (status === 503) {
    return new DriveApiError({
      status,
      reason: 'backendError',
      message: 'The service is currently unavailable.',
      itemMessage: 'Backend Error',
      grpcStatus: 'UNAVAILABLE',
    });
  }
  return new DriveApiError({ status, reason: 'backendError', message: 'Backend Error' });
}

/** What Drive says for a malformed `q`, `orderBy`, `pageToken`, `spaces`… */
export function invalidValue(parameter: string, message = 'Invalid Value'): DriveApiError {
  return new DriveApiError({ status: 400, reason: 'invalid', message, location: parameter });
}

export function invalidFieldSelection(field: string): DriveApiError {
  return new DriveApiError({
    status: 400,
    reason: 'invalidParameter',
    message: `Invalid field selection ${field}`,
    location: 'fields',
  });
}

export function fieldsRequired(): DriveApiError {
  return new DriveApiError({
    status: 400,
    reason: 'required',
    message: "The 'fields' parameter is required for this method.",
    location: 'fields',
  });
}

export function fieldNotWritable(): DriveApiError {
  return new DriveApiError({
    status: 403,
    reason: 'fieldNotWritable',
    message: 'The resource body includes fields which are not directly writable.',
  });
}

export function badRequest(message: string, location?: string): DriveApiError {
  return new DriveApiError({ status: 400, reason: 'badRequest', message, location });
}

export function parseError(): DriveApiError {
  return new DriveApiError({ status: 400, reason: 'parseError', message: 'Parse Error' });
}

export function badContent(message: string): DriveApiError {
  return new DriveApiError({ status: 400, reason: 'badContent', message });
}

export function fileNotDownloadable(): DriveApiError {
  return new DriveApiError({
    status: 403,
    reason: 'fileNotDownloadable',
    message: 'Only files with binary content can be downloaded. Use Export with Docs Editors files.',
    location: 'alt',
  });
}

export function cannotAddParent(): DriveApiError {
  return new DriveApiError({
    status: 403,
    reason: 'cannotAddParent',
    message: 'Increasing the number of parents is not allowed.',
  });
}

export function rangeNotSatisfiable(size: number): DriveApiError {
  return new DriveApiError({
    status: 416,
    reason: 'requestedRangeNotSatisfiable',
    message: 'Request range not satisfiable',
    headers: { 'content-range': `bytes */${size}` },
  });
}

export function routeNotFound(): DriveApiError {
  return new DriveApiError({
    status: 404,
    reason: 'notFound',
    message: 'Not Found',
    html: '<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Error 404 (Not Found)!!1</title><p><b>404.</b> <ins>That’s an error.</ins><p>The requested URL was not found on this server.',
  });
}

export function duplicateFileId(): DriveApiError {
  return new DriveApiError({
    status: 409,
    reason: 'duplicate',
    message: 'A file already exists with the provided ID.',
  });
}

export function parentNotFolder(parentId: string): DriveApiError {
  return badRequest(`The specified parent is not a folder: ${parentId}.`, 'parents');
}

export function insufficientFilePermissions(): DriveApiError {
  return new DriveApiError({
    status: 403,
    reason: 'insufficientFilePermissions',
    message: 'The user does not have sufficient permissions for this file.',
  });
}
