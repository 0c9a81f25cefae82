import { aesGcmDecrypt, aesGcmEncrypt, GCM_NONCE_LENGTH, GCM_TAG_LENGTH, importAesGcmKey } from './aes-gcm';
import { describeValue } from './arguments';
import { fromBase64, toBase64, utf8 } from './bytes';
import { invalidArgument } from './errors';
import { drawRandom, type RandomSource } from './random';
import { MASTER_SECRET_LENGTH } from './repository-keys';

/**
 * What password and recovery slots share: the AES-256-GCM wrap of the master secret under a key
 * encryption key (KEK), and strict reading of slot JSON. A slot is read from storage that an
 * attacker may have edited, so every field is checked before anything is computed from it.
 */

export const SLOT_SALT_LENGTH = 16;
export const WRAPPED_MASTER_LENGTH = MASTER_SECRET_LENGTH + GCM_TAG_LENGTH;

export interface WrappedMaster {
  readonly nonce: string;
  readonly wrapped: string;
}

/** The KEK is fresh for every slot (new salt), so a random 96-bit nonce is used exactly once per key. */
export async function wrapMaster(
  kek: Uint8Array,
  master: Uint8Array,
  associatedData: string,
  random: RandomSource | undefined,
): Promise<WrappedMaster> {
  const nonce = drawRandom(random, GCM_NONCE_LENGTH, 'slot nonce');
  const key = await importAesGcmKey(kek, 'encrypt');
  const wrapped = await aesGcmEncrypt(key, nonce, master, utf8(associatedData));
  return { nonce: toBase64(nonce), wrapped: toBase64(wrapped) };
}

/**
 * Opens a slot's wrapped master secret with `kek`, which it then wipes. A tag that does not verify
 * (wrong secret, another repository, or altered parameters) becomes `wrongSecret()`.
 */
export async function unwrapSlotMaster(
  kek: Uint8Array,
  slot: { readonly nonce: string; readonly wrapped: string },
  associatedData: string,
  wrongSecret: () => Error,
): Promise<Uint8Array> {
  const nonce = readBase64Field('slot.nonce', slot.nonce, GCM_NONCE_LENGTH);
  const wrapped = readBase64Field('slot.wrapped', slot.wrapped, WRAPPED_MASTER_LENGTH);
  const key = await importAesGcmKey(kek, 'decrypt');
  kek.fill(0);
  const master = await aesGcmDecrypt(key, nonce, wrapped, utf8(associatedData));
  if (master === undefined) throw wrongSecret();
  return master;
}

/**
 * A plain JSON object holding every one of `keys`. Other members are ignored (and dropped by the
 * parsers), as the repository format asks of every reader for forward compatibility within a
 * version: nothing a slot's security depends on can hide in an extra member, since the KDF
 * parameters and the repository id are authenticated and everything else is key material.
 */
export function readRecord(name: string, value: unknown, keys: readonly string[]): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidArgument(`${name} must be an object, got ${describeValue(value)}`);
  }
  const record = value as Record<string, unknown>;
  for (const key of keys) {
    if (!Object.hasOwn(record, key)) throw invalidArgument(`${name} is missing the field "${key}"`);
  }
  return record;
}

export function readBase64Field(name: string, value: unknown, length: number): Uint8Array {
  const bytes = fromBase64(name, value);
  if (bytes.length !== length)
    throw invalidArgument(`${name} must hold ${length} bytes, got ${bytes.length}`);
  return bytes;
}

export function readLiteral<T extends string>(name: string, value: unknown, expected: T): T {
  if (value !== expected) {
    throw invalidArgument(
      `${name} must be "${expected}", got ${typeof value === 'string' ? `"${value}"` : describeValue(value)}`,
    );
  }
  return expected;
}
