import { concatBytes } from './bytes';
import { hkdfSha256 } from './hkdf';
import { KEY_LENGTH } from './repository-keys';

export const LABEL_OBJECT = 'chatvault/v1/object';

export interface ObjectKeys {
  /** AES-256-GCM key for this object's chunks only. */
  readonly payloadKey: Uint8Array;
  /** Stored in the header; proves the reader derived the same payload key (key commitment). */
  readonly commitment: Uint8Array;
}

/**
 * Per-object keys from the X25519 shared secret. Salting with epk ‖ pk binds the keys to both
 * public keys, as age and HPKE do. The commitment is the second half of the same HKDF output: it
 * is a function of exactly the inputs that fix the payload key, so a header that matches one
 * key cannot also match another (AES-GCM alone is not key-committing).
 */
export function deriveObjectKeys(
  shared: Uint8Array,
  ephemeralPublicKey: Uint8Array,
  publicKey: Uint8Array,
): ObjectKeys {
  const okm = hkdfSha256(shared, concatBytes(ephemeralPublicKey, publicKey), LABEL_OBJECT, 2 * KEY_LENGTH);
  return { payloadKey: okm.slice(0, KEY_LENGTH), commitment: okm.slice(KEY_LENGTH) };
}
