import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from './bytes';

/**
 * HKDF-SHA256 (RFC 5869). Every derivation in ChatVault passes a distinct text label as `info`,
 * so no two keys can collide by construction; raw bytes are accepted for the RFC's test vectors.
 */
export function hkdfSha256(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: string | Uint8Array,
  length: number,
): Uint8Array {
  return hkdf(sha256, ikm, salt, typeof info === 'string' ? utf8(info) : info, length);
}

export { sha256 };
