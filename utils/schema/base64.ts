import { SchemaError } from './schema-error';

/**
 * Base64 without Buffer (absent in the browser) and without atob/btoa (Latin-1 strings, and
 * lenient about padding and stray characters). Decoding is strict: only the canonical spelling
 * of each byte string is accepted, so one filehash has exactly one text form.
 */

const STANDARD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export type Base64Alphabet = 'standard' | 'url';

/** `standard` pads with `=` (RFC 4648 §4); `url` never pads (RFC 4648 §5, safe in file names). */
export function encodeBase64(bytes: Uint8Array, alphabet: Base64Alphabet = 'standard'): string {
  if (!(bytes instanceof Uint8Array)) throw new SchemaError('invalid-argument', 'bytes must be a Uint8Array');
  const table = tableFor(alphabet);
  let text = '';
  let index = 0;
  for (; index + 2 < bytes.length; index += 3) {
    const triple = (bytes[index]! << 16) | (bytes[index + 1]! << 8) | bytes[index + 2]!;
    text +=
      table[triple >> 18]! + table[(triple >> 12) & 63]! + table[(triple >> 6) & 63]! + table[triple & 63]!;
  }
  const rest = bytes.length - index;
  if (rest === 1) {
    const value = bytes[index]! << 16;
    text += table[value >> 18]! + table[(value >> 12) & 63]!;
    if (alphabet === 'standard') text += '==';
  } else if (rest === 2) {
    const value = (bytes[index]! << 16) | (bytes[index + 1]! << 8);
    text += table[value >> 18]! + table[(value >> 12) & 63]! + table[(value >> 6) & 63]!;
    if (alphabet === 'standard') text += '=';
  }
  return text;
}

/** Decodes canonical base64 of the given alphabet; anything else throws SchemaError('invalid-argument'). */
export function decodeBase64(text: string, alphabet: Base64Alphabet = 'standard'): Uint8Array<ArrayBuffer> {
  const bytes = tryDecodeBase64(text, alphabet);
  if (!bytes) {
    const shown = typeof text === 'string' ? JSON.stringify(text.slice(0, 80)) : typeof text;
    throw new SchemaError('invalid-argument', `not canonical ${alphabet} base64: ${shown}`);
  }
  return bytes;
}

/** Like decodeBase64, but returns undefined for anything that is not canonical base64. */
export function tryDecodeBase64(
  text: string,
  alphabet: Base64Alphabet = 'standard',
): Uint8Array<ArrayBuffer> | undefined {
  if (typeof text !== 'string') return undefined;
  const table = tableFor(alphabet);
  let body = text;
  if (alphabet === 'standard') {
    if (text.length % 4 !== 0) return undefined;
    body = text.endsWith('==') ? text.slice(0, -2) : text.endsWith('=') ? text.slice(0, -1) : text;
  } else if (text.length % 4 === 1) {
    return undefined;
  }
  const output = new Uint8Array(Math.floor((body.length * 3) / 4));
  let accumulator = 0;
  let bits = 0;
  let written = 0;
  for (let index = 0; index < body.length; index++) {
    const value = table.indexOf(body[index]!);
    if (value < 0) return undefined;
    accumulator = ((accumulator << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      output[written++] = (accumulator >> bits) & 0xff;
    }
  }
  // Leftover bits must be zero, otherwise two spellings would decode to the same bytes.
  if ((accumulator & ((1 << bits) - 1)) !== 0) return undefined;
  return output;
}

function tableFor(alphabet: Base64Alphabet): string {
  if (alphabet === 'standard') return STANDARD;
  if (alphabet === 'url') return URL_SAFE;
  throw new SchemaError('invalid-argument', `alphabet must be "standard" or "url", got ${String(alphabet)}`);
}
