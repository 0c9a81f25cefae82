import type { IncomingHttpHeaders } from 'node:http';
import { SCOPES } from '../oauth-server/scopes';
import type { AccessTokenRecord, TokenRegistry } from '../oauth-server/token-registry';
import type { DriveSpace, FileRecord } from './file-record';
import {
  appDataScopeMissing,
  insufficientPermissions,
  invalidCredentials,
  loginRequired,
} from './google-errors';

/** Who is calling, as established from the bearer token. */
export interface Caller {
  token: AccessTokenRecord;
  clientId: string;
  scopes: ReadonlySet<string>;
}

/** Checks the Authorization header like Google's front end: missing → "required", bad → "authError". */
export function authenticate(headers: IncomingHttpHeaders, tokens: TokenRegistry): Caller {
  const header = headers.authorization;
  if (!header) throw loginRequired();
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw invalidCredentials();
  const check = tokens.check(match[1] as string);
  if (!check.valid) throw invalidCredentials();
  return { token: check.record, clientId: check.record.clientId, scopes: new Set(check.record.scopes) };
}

const READ_ALL_SCOPES = [SCOPES.drive, SCOPES.driveReadonly, SCOPES.driveMetadataReadonly];

/** Fails unless the token carries at least one scope that lets it talk to Drive. */
export function requireSomeDriveScope(caller: Caller): void {
  const any = [...READ_ALL_SCOPES, SCOPES.driveFile, SCOPES.driveAppData].some((scope) =>
    caller.scopes.has(scope),
  );
  if (!any) throw insufficientPermissions(SCOPES.driveFile);
}

/**
 * Whether the caller can see a file at all. Drive answers 404 (not 403) for files the token
 * cannot see, so callers turn `false` into fileNotFound.
 */
export function canSee(caller: Caller, record: FileRecord): boolean {
  if (record.space === 'appDataFolder') {
    return caller.scopes.has(SCOPES.driveAppData) && record.appId === caller.clientId;
  }
  if (READ_ALL_SCOPES.some((scope) => caller.scopes.has(scope))) return true;
  if (!caller.scopes.has(SCOPES.driveFile)) return false;
  return record.isRoot === true || record.appId === caller.clientId;
}

/** Throws unless the caller may change a file it can see (read-only scopes cannot). */
export function requireWrite(caller: Caller, record: FileRecord): void {
  if (record.space === 'appDataFolder') return;
  if (caller.scopes.has(SCOPES.drive)) return;
  if (caller.scopes.has(SCOPES.driveFile) && (record.appId === caller.clientId || record.isRoot)) return;
  throw insufficientPermissions(SCOPES.driveFile);
}

/** Throws unless the caller may download bytes (metadata-only scopes cannot). */
export function requireContentRead(caller: Caller, record: FileRecord): void {
  if (record.space === 'appDataFolder') return;
  const ok =
    caller.scopes.has(SCOPES.drive) ||
    caller.scopes.has(SCOPES.driveReadonly) ||
    (caller.scopes.has(SCOPES.driveFile) && record.appId === caller.clientId);
  if (!ok) throw insufficientPermissions(SCOPES.driveReadonly);
}

/** Throws unless the caller may create files in a space. */
export function requireCreate(caller: Caller, space: DriveSpace): void {
  if (space === 'appDataFolder') {
    if (!caller.scopes.has(SCOPES.driveAppData)) throw appDataScopeMissing();
    return;
  }
  if (!caller.scopes.has(SCOPES.drive) && !caller.scopes.has(SCOPES.driveFile)) {
    throw insufficientPermissions(SCOPES.driveFile);
  }
}

/** Throws unless the caller may list a space. */
export function requireSpace(caller: Caller, space: DriveSpace): void {
  if (space === 'appDataFolder' && !caller.scopes.has(SCOPES.driveAppData)) throw appDataScopeMissing();
}
