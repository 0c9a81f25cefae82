import { blake3, createBLAKE3 } from 'hash-wasm';
import { requireBytes } from './arguments';
import { invalidArgument } from './errors';
import { KEY_LENGTH } from './repository-keys';

/**
 * Object ids (FORMAT §6): keyed BLAKE3 (32 bytes, lowercase hex) of the plaintext. Identical
 * content gets the same id, so it is stored once; keying means someone holding a known file
 * (Google, say) cannot compute its id and confirm it is in the backup.
 */

export const OBJECT_ID_LENGTH = 32;
const OBJECT_ID_BITS = OBJECT_ID_LENGTH * 8;

export async function objectId(idKey: Uint8Array, bytes: Uint8Array): Promise<string> {
  requireBytes('idKey', idKey, KEY_LENGTH);
  requireBytes('bytes', bytes);
  return blake3(bytes, OBJECT_ID_BITS, idKey);
}

/** Incremental object id, for media hashed while it streams. */
export interface ObjectIdHasher {
  update(bytes: Uint8Array): ObjectIdHasher;
  /** The id of everything passed to `update`. The hasher cannot be used afterwards. */
  digest(): string;
}

export async function createObjectIdHasher(idKey: Uint8Array): Promise<ObjectIdHasher> {
  requireBytes('idKey', idKey, KEY_LENGTH);
  const state = await createBLAKE3(OBJECT_ID_BITS, idKey);
  let finished = false;
  const hasher: ObjectIdHasher = {
    update(bytes) {
      if (finished) throw invalidArgument('this object id hasher already produced its digest');
      state.update(requireBytes('bytes', bytes));
      return hasher;
    },
    digest() {
      if (finished) throw invalidArgument('this object id hasher already produced its digest');
      finished = true;
      return state.digest('hex');
    },
  };
  return hasher;
}

/** True for a well-formed object id (64 lowercase hex digits), e.g. one read from an index. */
export function isObjectId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}
