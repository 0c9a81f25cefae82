import { MEDIA_KEY_FAMILY, MEDIA_KEY_INFO, MEDIA_MAC_BYTES, type MediaKeyFamily } from './whatsapp-names';

/**
 * WhatsApp's media encryption, undone with WebCrypto alone (whatsapp-web.md "Media encryption"):
 * HKDF-SHA256(mediaKey, 32 zero bytes, "WhatsApp <Kind> Keys") → 112 bytes: iv 0–16,
 * cipherKey 16–48, macKey 48–80. The file is AES-256-CBC ciphertext ‖ the first 10 bytes of
 * HMAC-SHA256(macKey, iv ‖ ciphertext). The MAC is checked before anything is decrypted, and the
 * caller checks the plaintext against `filehash`. Used when the client's own download path is
 * missing or broken.
 */
export class MediaDecryptError extends Error {
  override readonly name = 'MediaDecryptError';
  constructor(
    readonly code: 'invalid-argument' | 'bad-length' | 'bad-mac' | 'bad-padding',
    message: string,
  ) {
    super(message);
  }
}

const BLOCK = 16;

/** The key family of a message type (`image`, `sticker`, `video`, `gif`, `audio`, `ptt`, `document`). */
export function mediaKeyFamily(type: string): MediaKeyFamily | undefined {
  return Object.hasOwn(MEDIA_KEY_FAMILY, type) ? MEDIA_KEY_FAMILY[type] : undefined;
}

export async function decryptWhatsAppMedia(
  file: Uint8Array<ArrayBuffer>,
  mediaKey: Uint8Array<ArrayBuffer>,
  family: MediaKeyFamily,
): Promise<Uint8Array<ArrayBuffer>> {
  if (!(file instanceof Uint8Array))
    throw new MediaDecryptError('invalid-argument', 'file must be a Uint8Array');
  if (!(mediaKey instanceof Uint8Array) || mediaKey.length !== 32)
    throw new MediaDecryptError('invalid-argument', 'mediaKey must be 32 bytes');
  if (!Object.hasOwn(MEDIA_KEY_INFO, family))
    throw new MediaDecryptError('invalid-argument', `unknown media key family ${JSON.stringify(family)}`);
  const cipherLength = file.length - MEDIA_MAC_BYTES;
  if (cipherLength < BLOCK || cipherLength % BLOCK !== 0)
    throw new MediaDecryptError('bad-length', `an encrypted media file cannot be ${file.length} bytes long`);

  const subtle = globalThis.crypto.subtle;
  const base = await subtle.importKey('raw', mediaKey, 'HKDF', false, ['deriveBits']);
  const expanded = new Uint8Array(
    await subtle.deriveBits(
      {
        name: 'HKDF',
        hash: 'SHA-256',
        salt: new Uint8Array(32),
        info: new TextEncoder().encode(MEDIA_KEY_INFO[family]),
      },
      base,
      112 * 8,
    ),
  );
  const iv = expanded.slice(0, 16);
  const macKey = await subtle.importKey(
    'raw',
    expanded.slice(48, 80),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signed = new Uint8Array(BLOCK + cipherLength);
  signed.set(iv, 0);
  signed.set(file.subarray(0, cipherLength), BLOCK);
  const mac = new Uint8Array(await subtle.sign('HMAC', macKey, signed));
  let difference = 0;
  for (let i = 0; i < MEDIA_MAC_BYTES; i++) difference |= mac[i]! ^ file[cipherLength + i]!;
  if (difference !== 0) throw new MediaDecryptError('bad-mac', 'the media file failed its MAC check');

  const cipherKey = await subtle.importKey('raw', expanded.slice(16, 48), 'AES-CBC', false, ['decrypt']);
  try {
    return new Uint8Array(
      await subtle.decrypt({ name: 'AES-CBC', iv }, cipherKey, signed.subarray(BLOCK)),
    ) as Uint8Array<ArrayBuffer>;
  } catch {
    throw new MediaDecryptError('bad-padding', 'the media file did not decrypt (bad padding)');
  }
}

/** Standard base64 (with padding) of the SHA-256 of `bytes`: WhatsApp's filehash form. */
export async function sha256Base64(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  let binary = '';
  for (const byte of digest) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Lenient base64 (the model's `mediaKey`), or undefined when it is not base64 at all. */
export function bytesOfBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return undefined;
  }
}
