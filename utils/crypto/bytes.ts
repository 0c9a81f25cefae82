import { invalidArgument } from './errors';

/**
 * Byte helpers with strict, canonical decoders. The crypto leaf has its own (rather than Node's
 * Buffer or the lenient `atob`) because it must run unchanged in a service worker, and because a
 * lenient decoder would let two different texts name the same bytes.
 */

const HEX_DIGITS = '0123456789abcdef';

/** Lowercase hex, two digits per byte. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += HEX_DIGITS[byte >> 4]! + HEX_DIGITS[byte & 15]!;
  return out;
}

/** Decodes lowercase hex only (the canonical form every ChatVault file writes). */
export function fromHex(name: string, text: unknown): Uint8Array {
  if (typeof text !== 'string') throw invalidArgument(`${name} must be a hex string, got ${typeof text}`);
  if (text.length % 2 !== 0 || !/^[0-9a-f]*$/.test(text)) {
    throw invalidArgument(`${name} must be lowercase hex with an even number of digits`);
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUES = new Map([...BASE64_ALPHABET].map((char, index) => [char, index]));

/** Standard base64 (RFC 4648 §4) with `=` padding. */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i]!;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    out += BASE64_ALPHABET[b0 >> 2]!;
    out += BASE64_ALPHABET[((b0 & 3) << 4) | ((b1 ?? 0) >> 4)]!;
    out += b1 === undefined ? '=' : BASE64_ALPHABET[((b1 & 15) << 2) | ((b2 ?? 0) >> 6)]!;
    out += b2 === undefined ? '=' : BASE64_ALPHABET[b2 & 63]!;
  }
  return out;
}

/**
 * Decodes canonical padded base64 only: no whitespace, no URL alphabet, no missing padding and no
 * non-zero bits in the padding, so every byte string has exactly one accepted text.
 */
export function fromBase64(name: string, text: unknown): Uint8Array {
  if (typeof text !== 'string') throw invalidArgument(`${name} must be a base64 string, got ${typeof text}`);
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw invalidArgument(`${name} must be padded standard base64`);
  }
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let written = 0;
  for (let i = 0; i < text.length; i += 4) {
    const values = [0, 1, 2, 3].map((k) => BASE64_VALUES.get(text[i + k]!) ?? 0);
    const word = (values[0]! << 18) | (values[1]! << 12) | (values[2]! << 6) | values[3]!;
    for (const shift of [16, 8, 0]) {
      if (written < out.length) out[written++] = (word >> shift) & 255;
    }
  }
  if (toBase64(out) !== text) throw invalidArgument(`${name} is not canonical base64`);
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Compares without an early exit, so the time taken does not reveal where two secrets differ. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

export function isAllZero(bytes: Uint8Array): boolean {
  let accumulated = 0;
  for (const byte of bytes) accumulated |= byte;
  return accumulated === 0;
}

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(text);
}

/**
 * WebCrypto wants bytes backed by a plain ArrayBuffer (not a SharedArrayBuffer, which browsers
 * reject). Views that already qualify pass through without a copy.
 */
export function asBufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  if (bytes.buffer instanceof ArrayBuffer) return bytes as Uint8Array<ArrayBuffer>;
  return new Uint8Array(bytes);
}
