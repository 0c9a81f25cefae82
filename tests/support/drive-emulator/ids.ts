import { randomBytes } from 'node:crypto';

// Drive ids use the URL-safe base64 alphabet; product code must treat them as opaque strings.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function randomChars(count: number): string {
  let text = '';
  for (const byte of randomBytes(count)) text += ALPHABET[byte & 63];
  return text;
}

/** A file or folder id shaped like Drive's: 33 characters starting with "1". */
export function newFileId(): string {
  return `1${randomChars(32)}`;
}

/** Root-like folders (My Drive, appDataFolder) have short ids ending in base64("ROOT"). */
export function newRootId(): string {
  return `0A${randomChars(11)}Uk9PVA`;
}

export function newUploadId(): string {
  return `A${randomChars(95)}`;
}

export function newRevisionId(): string {
  return `0B${randomChars(40)}`;
}

/** What Drive accepts as a caller-chosen id (from files.generateIds). */
export const FILE_ID_PATTERN = /^[A-Za-z0-9_-]{25,64}$/;
