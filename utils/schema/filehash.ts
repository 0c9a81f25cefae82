import { sha256 } from '@noble/hashes/sha2.js';
import { decodeBase64, encodeBase64, tryDecodeBase64 } from './base64';
import { SchemaError } from './schema-error';
import type { Filehash } from './types';

/**
 * WhatsApp's filehash — standard base64 of the SHA-256 of a media file's plaintext — is the
 * media's identity everywhere in ChatVault. Its `/` and `+` make it unusable as a file or object
 * name, so on disk and in storage it is spelled as unpadded base64url; hex is for humans and logs.
 *
 * Only canonical spellings are accepted (32 bytes, `=` padding, zero trailing bits), so each
 * hash has exactly one text form in each encoding and string comparison is identity comparison.
 */

const DIGEST_BYTES = 32;
export const FILEHASH_PATTERN = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;
export const FILEHASH_FILE_NAME_PATTERN = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
const HEX_PATTERN = /^[0-9a-fA-F]{64}$/;

export function isFilehash(value: unknown): value is Filehash {
  return typeof value === 'string' && FILEHASH_PATTERN.test(value);
}

export function assertFilehash(value: unknown, name = 'filehash'): asserts value is Filehash {
  if (!isFilehash(value)) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : typeof value;
    throw new SchemaError(
      'invalid-argument',
      `${name} must be base64 of a 32-byte SHA-256 (44 characters), got ${shown}`,
    );
  }
}

export function filehashToBytes(filehash: Filehash): Uint8Array<ArrayBuffer> {
  assertFilehash(filehash);
  return decodeBase64(filehash);
}

export function filehashFromBytes(digest: Uint8Array): Filehash {
  if (!(digest instanceof Uint8Array) || digest.length !== DIGEST_BYTES) {
    throw new SchemaError('invalid-argument', 'digest must be a Uint8Array of exactly 32 bytes (a SHA-256)');
  }
  return encodeBase64(digest);
}

/** Lowercase hex of the digest. */
export function filehashToHex(filehash: Filehash): string {
  let hex = '';
  for (const byte of filehashToBytes(filehash)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** Accepts upper- or lowercase hex of a 32-byte digest. */
export function filehashFromHex(hex: string): Filehash {
  if (typeof hex !== 'string' || !HEX_PATTERN.test(hex)) {
    throw new SchemaError('invalid-argument', 'hex must be 64 hexadecimal digits (a SHA-256)');
  }
  const bytes = new Uint8Array(DIGEST_BYTES);
  for (let index = 0; index < DIGEST_BYTES; index++)
    bytes[index] = Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  return encodeBase64(bytes);
}

/** The 43-character base64url form used for `media/<name>` files and storage object names. */
export function filehashToFileName(filehash: Filehash): string {
  return encodeBase64(filehashToBytes(filehash), 'url');
}

export function filehashFromFileName(fileName: string): Filehash {
  const bytes =
    typeof fileName === 'string' && FILEHASH_FILE_NAME_PATTERN.test(fileName)
      ? tryDecodeBase64(fileName, 'url')
      : undefined;
  if (!bytes) {
    const shown = typeof fileName === 'string' ? JSON.stringify(fileName.slice(0, 80)) : typeof fileName;
    throw new SchemaError('invalid-argument', `not a filehash file name (43 base64url characters): ${shown}`);
  }
  return encodeBase64(bytes);
}

/** The filehash of a whole file in memory, through WebCrypto (native speed in browsers and Node). */
export async function computeFilehash(bytes: Uint8Array): Promise<Filehash> {
  if (!(bytes instanceof Uint8Array)) throw new SchemaError('invalid-argument', 'bytes must be a Uint8Array');
  // WebCrypto refuses views on SharedArrayBuffer; copy those, pass ordinary buffers as they are.
  const input =
    bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
  return encodeBase64(new Uint8Array(await crypto.subtle.digest('SHA-256', input)));
}

/** Incremental filehash for media that arrives in chunks (WebCrypto cannot hash a stream). */
export interface FilehashBuilder {
  update(chunk: Uint8Array): void;
  /** Finishes the hash; the builder cannot be used afterwards. */
  digest(): Filehash;
}

export function createFilehashBuilder(): FilehashBuilder {
  const hash = sha256.create();
  let finished = false;
  return {
    update(chunk) {
      if (finished)
        throw new SchemaError('invalid-argument', 'this filehash builder has already produced its digest');
      if (!(chunk instanceof Uint8Array))
        throw new SchemaError('invalid-argument', 'chunk must be a Uint8Array');
      hash.update(chunk);
    },
    digest() {
      if (finished)
        throw new SchemaError('invalid-argument', 'this filehash builder has already produced its digest');
      finished = true;
      return encodeBase64(hash.digest());
    },
  };
}

/** The filehash of chunks from a stream or iterable, one chunk in memory at a time. */
export async function computeFilehashOfChunks(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array> | ReadableStream<Uint8Array>,
): Promise<Filehash> {
  const builder = createFilehashBuilder();
  const iterable = chunks instanceof ReadableStream ? readableToIterable(chunks) : chunks;
  if (iterable === null || typeof iterable !== 'object') {
    throw new SchemaError(
      'invalid-argument',
      'chunks must be an iterable, async iterable or ReadableStream of Uint8Array',
    );
  }
  for await (const chunk of iterable) builder.update(chunk);
  return builder.digest();
}

async function* readableToIterable(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
