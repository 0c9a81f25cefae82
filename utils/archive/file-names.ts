import { ArchiveError } from './errors';

/**
 * File and folder names that survive every place an archive goes: Windows (no `<>:"/\|?*`, no
 * trailing dot or space, no CON/NUL/COM1…), macOS (which normalises to NFD and ignores case),
 * Linux, and zip readers. Names keep their script, emoji and spaces; only what would break is
 * replaced, by `_`.
 */

// Control characters, the separators and wildcards Windows forbids, and bidirectional overrides
// (a right-to-left override can make "gpj.exe" display as "exe.jpg").
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
const UNSAFE = /[\u0000-\u001f\u007f<>:"/\\|?*\u202a-\u202e\u2066-\u2069]/g;
const LINE_BREAKS = /[\u2028\u2029\u0085]/g;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

export interface SafeNameOptions {
  /** Used when nothing usable is left of the name. */
  fallback: string;
  /** Longest result in UTF-16 code units (the extension included). */
  maxLength?: number;
  /** Keep a short `.ext` at the end when shortening (files); folders have none. */
  keepExtension?: boolean;
}

/** One path segment made from an arbitrary (user-chosen) name. */
export function safeFileName(name: string, options: SafeNameOptions): string {
  if (typeof name !== 'string') throw new ArchiveError('invalid-argument', 'name must be a string');
  if (typeof options?.fallback !== 'string' || options.fallback === '') {
    throw new ArchiveError('invalid-argument', 'options.fallback must be a non-empty string');
  }
  const maxLength = options.maxLength ?? 80;
  if (!Number.isInteger(maxLength) || maxLength < 8) {
    throw new ArchiveError('invalid-argument', 'options.maxLength must be an integer of at least 8');
  }
  let cleaned = name.replace(LINE_BREAKS, ' ').replace(UNSAFE, '_').trim();
  cleaned = shorten(cleaned, maxLength, options.keepExtension ?? false);
  cleaned = cleaned.replace(/[. ]+$/, '');
  if (cleaned === '' || /^_*$/.test(cleaned)) cleaned = options.fallback;
  if (WINDOWS_DEVICE.test(cleaned)) cleaned = `_${cleaned}`;
  return cleaned;
}

function shorten(name: string, maxLength: number, keepExtension: boolean): string {
  if (name.length <= maxLength) return name;
  const dot = name.lastIndexOf('.');
  const extension = keepExtension && dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
  return (
    cutAtCodePoint(name.slice(0, name.length - extension.length), maxLength - extension.length) + extension
  );
}

/** At most `length` UTF-16 units, never splitting a surrogate pair. */
export function cutAtCodePoint(text: string, length: number): string {
  if (text.length <= length) return text;
  let end = length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end);
}

/**
 * Hands out names unique within one folder, as the file systems that will hold them compare
 * names: ignoring case and Unicode normalisation. A taken name gets " (2)", " (3)", … before its
 * extension, the way desktop file managers do.
 */
export class UniqueNames {
  private readonly taken = new Set<string>();

  constructor(reserved: readonly string[] = []) {
    for (const name of reserved) this.taken.add(keyOf(name));
  }

  claim(name: string, options: { keepExtension?: boolean } = {}): string {
    if (typeof name !== 'string' || name === '')
      throw new ArchiveError('invalid-argument', 'name must be a non-empty string');
    if (!this.taken.has(keyOf(name))) {
      this.taken.add(keyOf(name));
      return name;
    }
    const dot = options.keepExtension ? name.lastIndexOf('.') : -1;
    const stem = dot > 0 ? name.slice(0, dot) : name;
    const extension = dot > 0 ? name.slice(dot) : '';
    for (let counter = 2; ; counter++) {
      const candidate = `${stem} (${counter})${extension}`;
      if (!this.taken.has(keyOf(candidate))) {
        this.taken.add(keyOf(candidate));
        return candidate;
      }
    }
  }
}

function keyOf(name: string): string {
  return name.normalize('NFC').toLowerCase();
}
