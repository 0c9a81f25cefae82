import { randomBytes } from 'node:crypto';
import { invalidArgument } from './oauth-error';

/**
 * Google's account-side state that the OAuth stand-in and the Drive emulator share: who is
 * signed in, which apps the user has granted which scopes, and every access token issued.
 * Pass one registry to both servers so a token from the consent flow works against Drive, and
 * expiring or revoking it is seen by both.
 */

export interface GoogleAccount {
  email: string;
  displayName: string;
  /** Stable numeric account id, as in an ID token's `sub`. */
  sub: string;
  /** Drive's id for the user in permission lists. */
  permissionId: string;
}

export interface AccessTokenRecord {
  readonly token: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  /** Milliseconds since the epoch, on the registry's clock. */
  readonly issuedAt: number;
  expiresAt: number;
  revoked: boolean;
}

export type TokenCheck =
  | { valid: true; record: AccessTokenRecord }
  | { valid: false; reason: 'unknown' | 'expired' | 'revoked'; record?: AccessTokenRecord };

export interface TokenRegistryOptions {
  account?: Partial<GoogleAccount>;
  /** Lifetime of issued tokens; Google's implicit flow gives one hour. */
  defaultLifetimeSeconds?: number;
  /** Milliseconds since the epoch; inject one to test expiry without waiting. */
  clock?: () => number;
}

export interface IssueTokenOptions {
  clientId: string;
  scopes: readonly string[];
  lifetimeSeconds?: number;
}

const DEFAULT_ACCOUNT: GoogleAccount = {
  email: 'chatvault.tester@gmail.com',
  displayName: 'ChatVault Tester',
  sub: '109876543210987654321',
  permissionId: '09876543210987654321',
};

export class TokenRegistry {
  readonly account: GoogleAccount;
  defaultLifetimeSeconds: number;
  readonly #clock: () => number;
  readonly #tokens = new Map<string, AccessTokenRecord>();
  readonly #grants = new Map<string, Set<string>>();

  constructor(options: TokenRegistryOptions = {}) {
    if (options.clock !== undefined && typeof options.clock !== 'function') {
      throw invalidArgument('clock must be a function returning milliseconds since the epoch');
    }
    const lifetime = options.defaultLifetimeSeconds ?? 3600;
    assertPositiveInteger(lifetime, 'defaultLifetimeSeconds');
    this.account = { ...DEFAULT_ACCOUNT, ...options.account };
    this.defaultLifetimeSeconds = lifetime;
    this.#clock = options.clock ?? Date.now;
  }

  /** The registry's current time in milliseconds. */
  now(): number {
    return this.#clock();
  }

  /** Mints a new access token, as Google does at the end of a successful consent. */
  issue(options: IssueTokenOptions): AccessTokenRecord {
    if (typeof options?.clientId !== 'string' || options.clientId.length === 0) {
      throw invalidArgument('issue() needs a non-empty clientId');
    }
    if (!Array.isArray(options.scopes) || options.scopes.some((scope) => typeof scope !== 'string')) {
      throw invalidArgument('issue() needs scopes as an array of strings');
    }
    const lifetime = options.lifetimeSeconds ?? this.defaultLifetimeSeconds;
    assertPositiveInteger(lifetime, 'lifetimeSeconds');
    const issuedAt = this.now();
    const record: AccessTokenRecord = {
      // Google's access tokens start with "ya29." and are opaque; the length is similar.
      token: `ya29.a0${randomBytes(120).toString('base64url')}`,
      clientId: options.clientId,
      scopes: [...new Set(options.scopes)],
      issuedAt,
      expiresAt: issuedAt + lifetime * 1000,
      revoked: false,
    };
    this.#tokens.set(record.token, record);
    return record;
  }

  check(token: string): TokenCheck {
    const record = typeof token === 'string' ? this.#tokens.get(token) : undefined;
    if (!record) return { valid: false, reason: 'unknown' };
    if (record.revoked) return { valid: false, reason: 'revoked', record };
    if (this.now() >= record.expiresAt) return { valid: false, reason: 'expired', record };
    return { valid: true, record };
  }

  /** Makes a token expire now (it stays known, so errors say "expired", not "unknown"). */
  expire(token: string): void {
    const record = this.#requireRecord(token);
    record.expiresAt = Math.min(record.expiresAt, this.now());
  }

  expireAll(): void {
    for (const record of this.#tokens.values()) record.expiresAt = Math.min(record.expiresAt, this.now());
  }

  /**
   * Revokes a token the way Google's /revoke does: the whole grant goes, so every token of that
   * app stops working and the next `prompt=none` sign-in needs the user again.
   */
  revoke(token: string): boolean {
    const record = this.#tokens.get(token);
    if (!record || record.revoked || this.now() >= record.expiresAt) return false;
    this.revokeGrant(record.clientId);
    return true;
  }

  revokeGrant(clientId: string): void {
    this.#grants.delete(clientId);
    for (const record of this.#tokens.values()) {
      if (record.clientId === clientId) record.revoked = true;
    }
  }

  /** Records that the user allowed `clientId` these scopes (what the consent page does). */
  grant(clientId: string, scopes: readonly string[]): void {
    if (typeof clientId !== 'string' || clientId.length === 0)
      throw invalidArgument('grant() needs a clientId');
    const granted = this.#grants.get(clientId) ?? new Set<string>();
    for (const scope of scopes) granted.add(scope);
    this.#grants.set(clientId, granted);
  }

  hasGrant(clientId: string, scopes: readonly string[]): boolean {
    const granted = this.#grants.get(clientId);
    return granted !== undefined && scopes.every((scope) => granted.has(scope));
  }

  grantedScopes(clientId: string): string[] {
    return [...(this.#grants.get(clientId) ?? [])];
  }

  records(): AccessTokenRecord[] {
    return [...this.#tokens.values()];
  }

  /** Forgets every token and grant (the account stays). */
  clear(): void {
    this.#tokens.clear();
    this.#grants.clear();
  }

  #requireRecord(token: string): AccessTokenRecord {
    const record = this.#tokens.get(token);
    if (!record) throw invalidArgument('No such access token in this registry');
    return record;
  }
}

export function createTokenRegistry(options: TokenRegistryOptions = {}): TokenRegistry {
  return new TokenRegistry(options);
}

function assertPositiveInteger(value: unknown, name: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw invalidArgument(`${name} must be a positive whole number of seconds, got ${String(value)}`);
  }
}
