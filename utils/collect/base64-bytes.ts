/**
 * Fast base64 for media on its way through Chrome's JSON-only runtime messaging. Uses the
 * built-in `Uint8Array.prototype.toBase64` / `Uint8Array.fromBase64` where the engine has them
 * (Chromium 140+), else `btoa`/`atob` over 32 KiB slices (fast native code too, unlike a
 * character loop). Decoding rejects anything that is not base64.
 */
type NativeEncode = (this: Uint8Array) => string;
type NativeDecode = (text: string) => Uint8Array<ArrayBuffer>;

const nativeEncode = (Uint8Array.prototype as unknown as { toBase64?: NativeEncode }).toBase64;
const nativeDecode = (Uint8Array as unknown as { fromBase64?: NativeDecode }).fromBase64;
const SLICE = 0x8000;

export class Base64BytesError extends Error {
  override readonly name = 'Base64BytesError';
}

export function bytesToBase64(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) throw new Base64BytesError('bytes must be a Uint8Array');
  if (nativeEncode) return nativeEncode.call(bytes);
  const parts: string[] = [];
  for (let at = 0; at < bytes.length; at += SLICE) {
    parts.push(String.fromCharCode.apply(null, bytes.subarray(at, at + SLICE) as unknown as number[]));
  }
  return btoa(parts.join(''));
}

export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  if (typeof text !== 'string') throw new Base64BytesError('text must be a string');
  try {
    if (nativeDecode) return nativeDecode(text);
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    throw new Base64BytesError('not base64');
  }
}
