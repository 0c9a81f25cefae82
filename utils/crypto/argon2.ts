import { argon2id } from 'hash-wasm';
import { describeValue, requireInteger } from './arguments';
import { CryptoError, invalidArgument } from './errors';

/**
 * Argon2id for password slots (FORMAT §4.2). The floor is RFC 9106's second recommended setting
 * (§4: 64 MiB, t = 3, p = 4) and is enforced when a slot is created AND when one is opened, so an
 * attacker who can edit the stored config cannot quietly downgrade the work factor. The ceiling
 * stops a hostile config from making the reader allocate unbounded memory or spin forever.
 */

export interface Argon2Params {
  /** Memory in KiB (Argon2's m). */
  readonly memoryKiB: number;
  /** Passes over memory (Argon2's t). */
  readonly iterations: number;
  /** Lanes (Argon2's p). hash-wasm computes them one after another, so p adds no speed here. */
  readonly parallelism: number;
}

export const ARGON2_FLOOR: Argon2Params = Object.freeze({ memoryKiB: 65536, iterations: 3, parallelism: 4 });
export const ARGON2_CEILING: Argon2Params = Object.freeze({
  memoryKiB: 2 * 1024 * 1024,
  iterations: 64,
  parallelism: 16,
});

export const ARGON2_SALT_LENGTH = 16;
export const ARGON2_KEY_LENGTH = 32;

export interface Argon2idInput {
  readonly password: Uint8Array;
  readonly salt: Uint8Array;
  readonly params: Argon2Params;
  readonly length: number;
}

/** The Argon2id computation, injectable so slot tests need not pay for 64 MiB each time. */
export type Argon2idFunction = (input: Argon2idInput) => Promise<Uint8Array>;

export const hashWasmArgon2id: Argon2idFunction = ({ password, salt, params, length }) =>
  argon2id({
    password,
    salt,
    iterations: params.iterations,
    parallelism: params.parallelism,
    memorySize: params.memoryKiB,
    hashLength: length,
    outputType: 'binary',
  });

/** Validates parameters against the floor and the ceiling; returns a clean copy. */
export function checkArgon2Params(name: string, params: unknown): Argon2Params {
  if (params === null || typeof params !== 'object') {
    throw invalidArgument(
      `${name} must be an object with memoryKiB, iterations and parallelism, got ${describeValue(params)}`,
    );
  }
  const { memoryKiB, iterations, parallelism } = params as Record<string, unknown>;
  const checked = {
    memoryKiB: requireInteger(`${name}.memoryKiB`, memoryKiB, 0, Number.MAX_SAFE_INTEGER),
    iterations: requireInteger(`${name}.iterations`, iterations, 0, Number.MAX_SAFE_INTEGER),
    parallelism: requireInteger(`${name}.parallelism`, parallelism, 0, Number.MAX_SAFE_INTEGER),
  };
  for (const field of ['memoryKiB', 'iterations', 'parallelism'] as const) {
    if (checked[field] < ARGON2_FLOOR[field]) {
      throw invalidArgument(
        `${name}.${field} ${checked[field]} is below the minimum ${ARGON2_FLOOR[field]} (RFC 9106 floor: 64 MiB, t=3, p=4); refusing weak password protection`,
      );
    }
    if (checked[field] > ARGON2_CEILING[field]) {
      throw invalidArgument(
        `${name}.${field} ${checked[field]} is above the maximum ${ARGON2_CEILING[field]}`,
      );
    }
  }
  return checked;
}

/**
 * A password as Argon2 input: UTF-8 of its NFC form, so the same password typed on two systems
 * (composed vs decomposed accents) gives the same key. Lone surrogates are refused because
 * UTF-8 encoding would silently turn each into U+FFFD, merging different passwords.
 */
export function passwordBytes(name: string, password: unknown): Uint8Array {
  if (typeof password !== 'string')
    throw invalidArgument(`${name} must be a string, got ${describeValue(password)}`);
  if (password.length === 0) throw invalidArgument(`${name} must not be empty`);
  if (/\p{Surrogate}/u.test(password))
    throw invalidArgument(`${name} contains an unpaired surrogate character`);
  return new TextEncoder().encode(password.normalize('NFC'));
}

export async function runArgon2id(
  argon2: Argon2idFunction,
  password: Uint8Array,
  salt: Uint8Array,
  params: Argon2Params,
): Promise<Uint8Array> {
  let key: unknown;
  try {
    key = await argon2({ password, salt, params, length: ARGON2_KEY_LENGTH });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new CryptoError(
      'invalid-argument',
      `Argon2id could not run with ${params.memoryKiB} KiB, t=${params.iterations}, p=${params.parallelism}: ${reason}`,
      { cause },
    );
  }
  if (!(key instanceof Uint8Array) || key.length !== ARGON2_KEY_LENGTH) {
    throw invalidArgument(`the Argon2id function must return ${ARGON2_KEY_LENGTH} bytes`);
  }
  // A copy: callers wipe the key after use, which must not touch a buffer the function keeps.
  return new Uint8Array(key);
}
