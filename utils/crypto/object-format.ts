import { CryptoError, invalidArgument } from './errors';

/**
 * Byte layout of a sealed object (FORMAT §5): the header, the chunk nonce, and the arithmetic of
 * chunk sizes. Pure functions only; the sealing and opening logic lives in object-sealer.ts and
 * object-opener.ts.
 *
 *   offset  size  field
 *   0       3     magic "CVO" (0x43 0x56 0x4f)
 *   3       1     format version, 0x01
 *   4       1     log2(chunk size), 12..24
 *   5       32    ephemeral X25519 public key (epk)
 *   37      32    key commitment
 *   69            first chunk
 */

export const OBJECT_MAGIC = Uint8Array.of(0x43, 0x56, 0x4f);
export const OBJECT_FORMAT_VERSION = 1;
export const OBJECT_HEADER_LENGTH = 69;
export const EPHEMERAL_KEY_OFFSET = 5;
export const COMMITMENT_OFFSET = 37;
export const COMMITMENT_LENGTH = 32;

export const MIN_CHUNK_SIZE_LOG2 = 12;
export const MAX_CHUNK_SIZE_LOG2 = 24;
export const MIN_CHUNK_SIZE = 2 ** MIN_CHUNK_SIZE_LOG2;
export const MAX_CHUNK_SIZE = 2 ** MAX_CHUNK_SIZE_LOG2;
/**
 * 64 KiB: the smallest chunk whose streaming seal reaches ≥ 0.9× one-shot WebCrypto AES-GCM
 * throughput on our benchmark (tests/unit/crypto/cipher-choice.bench-note.md, FORMAT §5.6).
 * Small chunks keep memory low in a service worker and lose little on a partial read.
 */
export const DEFAULT_CHUNK_SIZE_LOG2 = 16;
export const DEFAULT_CHUNK_SIZE = 2 ** DEFAULT_CHUNK_SIZE_LOG2;

export const CHUNK_TAG_LENGTH = 16;
export const CHUNK_NONCE_LENGTH = 12;
/** The counter fills 11 bytes; a JS number is exact up to 2^53, far beyond any real object. */
const MAX_CHUNK_INDEX = Number.MAX_SAFE_INTEGER;

export interface ObjectHeader {
  readonly chunkSizeLog2: number;
  readonly ephemeralPublicKey: Uint8Array;
  readonly commitment: Uint8Array;
  /** The exact 69 header bytes: every chunk's associated data. */
  readonly bytes: Uint8Array;
}

/** Chunk size in bytes → its log2, refusing anything but the allowed powers of two. */
export function chunkSizeLog2Of(name: string, chunkSize: unknown): number {
  if (typeof chunkSize === 'number' && Number.isSafeInteger(chunkSize)) {
    for (let log2 = MIN_CHUNK_SIZE_LOG2; log2 <= MAX_CHUNK_SIZE_LOG2; log2++) {
      if (2 ** log2 === chunkSize) return log2;
    }
  }
  throw invalidArgument(
    `${name} must be a power of two from ${MIN_CHUNK_SIZE} to ${MAX_CHUNK_SIZE} bytes, got ${String(chunkSize)}`,
  );
}

export function encodeObjectHeader(
  chunkSizeLog2: number,
  ephemeralPublicKey: Uint8Array,
  commitment: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const header = new Uint8Array(OBJECT_HEADER_LENGTH);
  header.set(OBJECT_MAGIC, 0);
  header[3] = OBJECT_FORMAT_VERSION;
  header[4] = chunkSizeLog2;
  header.set(ephemeralPublicKey, EPHEMERAL_KEY_OFFSET);
  header.set(commitment, COMMITMENT_OFFSET);
  return header;
}

/**
 * Checks the first bytes as soon as they arrive, so a stream that is not a ChatVault object fails
 * at once (and with the right code even when it is shorter than a header).
 */
export function checkHeaderPrefix(prefix: Uint8Array): void {
  const magicBytes = Math.min(prefix.length, OBJECT_MAGIC.length);
  for (let i = 0; i < magicBytes; i++) {
    if (prefix[i] !== OBJECT_MAGIC[i]) {
      throw new CryptoError('bad-magic', 'Not a ChatVault encrypted object (the first bytes are not "CVO")');
    }
  }
  if (prefix.length > 3 && prefix[3] !== OBJECT_FORMAT_VERSION) {
    throw new CryptoError(
      'unsupported-version',
      `Encrypted object format version ${prefix[3]} is not supported (this version reads ${OBJECT_FORMAT_VERSION}); update ChatVault`,
    );
  }
  if (prefix.length > 4) {
    const log2 = prefix[4]!;
    if (log2 < MIN_CHUNK_SIZE_LOG2 || log2 > MAX_CHUNK_SIZE_LOG2) {
      throw new CryptoError(
        'corrupt',
        `Encrypted object header is damaged: chunk size 2^${log2} is outside 2^${MIN_CHUNK_SIZE_LOG2}..2^${MAX_CHUNK_SIZE_LOG2}`,
      );
    }
  }
}

export function parseObjectHeader(bytes: Uint8Array): ObjectHeader {
  if (bytes.length < OBJECT_HEADER_LENGTH) {
    checkHeaderPrefix(bytes);
    throw new CryptoError(
      'truncated',
      `Encrypted object is cut short: it ends inside its ${OBJECT_HEADER_LENGTH}-byte header (${bytes.length} bytes)`,
    );
  }
  const header = bytes.slice(0, OBJECT_HEADER_LENGTH);
  checkHeaderPrefix(header);
  return {
    chunkSizeLog2: header[4]!,
    ephemeralPublicKey: header.slice(EPHEMERAL_KEY_OFFSET, EPHEMERAL_KEY_OFFSET + 32),
    commitment: header.slice(COMMITMENT_OFFSET, COMMITMENT_OFFSET + COMMITMENT_LENGTH),
    bytes: header,
  };
}

/** Nonce of chunk `index`: 11-byte big-endian counter, then 0x01 for the final chunk, else 0x00. */
export function chunkNonce(index: number, last: boolean): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(index) || index < 0 || index > MAX_CHUNK_INDEX) {
    throw invalidArgument(`chunk index must be an integer from 0 to ${MAX_CHUNK_INDEX}, got ${index}`);
  }
  const nonce = new Uint8Array(CHUNK_NONCE_LENGTH);
  const view = new DataView(nonce.buffer);
  // Bytes 0..2 stay zero: the index never exceeds 2^53.
  view.setUint32(3, Math.floor(index / 2 ** 32));
  view.setUint32(7, index >>> 0);
  nonce[11] = last ? 1 : 0;
  return nonce;
}
