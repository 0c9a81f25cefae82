import { toHex } from '@/utils/crypto';

/** Object names of the repository layout (docs/FORMAT.md §7). */
export const CONFIG_NAME = 'config';
export const KEYS_PREFIX = 'keys/';
export const DATA_PREFIX = 'data/';
export const INDEX_PREFIX = 'index/';
export const SNAPSHOTS_PREFIX = 'snapshots/';

const ID_PATTERN = /^[0-9a-f]{64}$/;
const SLOT_ID_PATTERN = /^[0-9a-f]{32}$/;

/** A fresh 32-byte id in lowercase hex, for packs, index files and snapshots. */
export function randomFileId(random: (length: number) => Uint8Array = defaultRandom): string {
  return toHex(random(32));
}

/**
 * A key slot file is named by the first 16 bytes of the SHA-256 of its content, so damage to a
 * slot is told apart from a wrong password (a slot's own AEAD cannot say which it was).
 */
export async function slotIdOf(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return toHex(digest.subarray(0, 16));
}

function defaultRandom(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

export const packName = (id: string) => `${DATA_PREFIX}${id}`;
export const indexName = (id: string) => `${INDEX_PREFIX}${id}`;
export const snapshotName = (id: string) => `${SNAPSHOTS_PREFIX}${id}`;
export const keyName = (id: string) => `${KEYS_PREFIX}${id}`;

/** The id part of a listed name, or undefined for names that do not belong to the layout. */
export function idFromName(name: string, prefix: string): string | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const id = name.slice(prefix.length);
  const pattern = prefix === KEYS_PREFIX ? SLOT_ID_PATTERN : ID_PATTERN;
  return pattern.test(id) ? id : undefined;
}

export function isFileId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}
