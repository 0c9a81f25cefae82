import { asBufferSource } from './bytes';

/**
 * AES-256-GCM through WebCrypto (native code in browsers and Node: far faster than any JS AES).
 * The key is imported once and reused for every chunk of an object. Tags are 16 bytes, appended
 * to the ciphertext, which is WebCrypto's own layout.
 */
export const GCM_NONCE_LENGTH = 12;
export const GCM_TAG_LENGTH = 16;

export function importAesGcmKey(rawKey: Uint8Array, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', asBufferSource(rawKey), { name: 'AES-GCM' }, false, [usage]);
}

export async function aesGcmEncrypt(
  key: CryptoKey,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  associatedData: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  const sealed = await crypto.subtle.encrypt(
    {
      name: 'AES-GCM',
      iv: asBufferSource(nonce),
      additionalData: asBufferSource(associatedData),
      tagLength: 128,
    },
    key,
    asBufferSource(plaintext),
  );
  return new Uint8Array(sealed);
}

/** Resolves to the plaintext, or to `undefined` when the tag does not verify. */
export async function aesGcmDecrypt(
  key: CryptoKey,
  nonce: Uint8Array,
  sealed: Uint8Array,
  associatedData: Uint8Array,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  try {
    const plain = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: asBufferSource(nonce),
        additionalData: asBufferSource(associatedData),
        tagLength: 128,
      },
      key,
      asBufferSource(sealed),
    );
    return new Uint8Array(plain);
  } catch {
    // WebCrypto reports a failed tag (and a too-short input) as an OperationError and nothing else.
    return undefined;
  }
}
