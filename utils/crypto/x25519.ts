import { x25519 } from '@noble/curves/ed25519.js';
import { isAllZero } from './bytes';
import { CryptoError, type CryptoErrorCode } from './errors';

/** X25519 public key of a 32-byte secret (clamped as RFC 7748 §5 says). */
export function x25519PublicKey(secretKey: Uint8Array): Uint8Array {
  return x25519.getPublicKey(secretKey);
}

/**
 * X25519 shared secret that refuses degenerate results. A low-order public key forces an all-zero
 * (or otherwise attacker-known) shared secret, so the "encryption" would be readable by anyone
 * (RFC 7748 §6.1). noble rejects low-order points itself; the zero check stays as a second line.
 * `code` says how the caller wants a bad point reported (a bad argument when sealing, damage when
 * the point comes from a stored header).
 */
export function x25519SharedSecret(
  secretKey: Uint8Array,
  publicKey: Uint8Array,
  code: CryptoErrorCode,
  what: string,
): Uint8Array {
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(secretKey, publicKey);
  } catch (cause) {
    throw new CryptoError(code, `${what} is not a usable X25519 public key (a low-order point)`, { cause });
  }
  if (isAllZero(shared)) {
    throw new CryptoError(code, `${what} gives an all-zero X25519 shared secret (a low-order point)`);
  }
  return shared;
}
