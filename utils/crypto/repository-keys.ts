import { describeValue, requireBytes } from './arguments';
import { fromHex, toHex } from './bytes';
import { invalidArgument } from './errors';
import { hkdfSha256 } from './hkdf';
import { drawRandom, type RandomSource } from './random';
import { x25519PublicKey } from './x25519';

/**
 * The repository's key hierarchy (FORMAT §3). One random master secret; every working key is
 * HKDF-derived from it under the repository id as salt and a distinct label, so keys of two
 * repositories never coincide even if a master secret were reused.
 */

export const MASTER_SECRET_LENGTH = 32;
export const REPOSITORY_ID_LENGTH = 32;
export const KEY_LENGTH = 32;

export const LABEL_OBJECT_ID = 'chatvault/v1/object-id';
export const LABEL_X25519 = 'chatvault/v1/x25519';

/** Everything a reader needs. Exists only after a password or recovery slot was opened. */
export interface RepositoryKeys {
  /** Keyed-BLAKE3 key for object ids. */
  readonly idKey: Uint8Array;
  /** X25519 secret: opens sealed objects. Never stored on the backup device. */
  readonly secretKey: Uint8Array;
  /** X25519 public key objects are sealed to. */
  readonly publicKey: Uint8Array;
}

/**
 * What the device that makes backups keeps: it can seal objects and compute object ids, but it
 * cannot open anything (write-only device key), so a stolen browser profile reveals no history.
 */
export interface WriterKeys {
  readonly repoId: Uint8Array;
  readonly idKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

export function generateMasterSecret(random?: RandomSource): Uint8Array {
  return drawRandom(random, MASTER_SECRET_LENGTH, 'master secret');
}

export function generateRepositoryId(random?: RandomSource): Uint8Array {
  return drawRandom(random, REPOSITORY_ID_LENGTH, 'repository id');
}

/** The repository id as the config stores it: 64 lowercase hex digits. */
export function formatRepositoryId(repoId: Uint8Array): string {
  return toHex(requireBytes('repoId', repoId, REPOSITORY_ID_LENGTH));
}

export function parseRepositoryId(text: string): Uint8Array {
  const bytes = fromHex('repository id', text);
  return requireBytes('repository id', bytes, REPOSITORY_ID_LENGTH);
}

export function deriveRepositoryKeys(master: Uint8Array, repoId: Uint8Array): RepositoryKeys {
  requireBytes('master', master, MASTER_SECRET_LENGTH);
  requireBytes('repoId', repoId, REPOSITORY_ID_LENGTH);
  const idKey = hkdfSha256(master, repoId, LABEL_OBJECT_ID, KEY_LENGTH);
  const secretKey = hkdfSha256(master, repoId, LABEL_X25519, KEY_LENGTH);
  return { idKey, secretKey, publicKey: x25519PublicKey(secretKey) };
}

/** The writer subset of `keys`, as copies, so holding it keeps no reference to the secret key. */
export function toWriterKeys(
  repoId: Uint8Array,
  keys: Pick<RepositoryKeys, 'idKey' | 'publicKey'>,
): WriterKeys {
  requireBytes('repoId', repoId, REPOSITORY_ID_LENGTH);
  if (keys === null || typeof keys !== 'object') {
    throw invalidArgument(`keys must be an object with idKey and publicKey, got ${describeValue(keys)}`);
  }
  requireBytes('keys.idKey', keys.idKey, KEY_LENGTH);
  requireBytes('keys.publicKey', keys.publicKey, KEY_LENGTH);
  return { repoId: repoId.slice(), idKey: keys.idKey.slice(), publicKey: keys.publicKey.slice() };
}

/** Convenience: the writer keys straight from the master secret. */
export function deriveWriterKeys(master: Uint8Array, repoId: Uint8Array): WriterKeys {
  return toWriterKeys(repoId, deriveRepositoryKeys(master, repoId));
}
