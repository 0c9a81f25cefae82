import { requireBytes } from './arguments';
import { concatBytes, constantTimeEqual, toHex, utf8 } from './bytes';
import { CryptoError } from './errors';
import { sha256 } from './hkdf';
import { drawRandom, type RandomSource } from './random';

/**
 * The recovery key the user writes down (FORMAT §4.4): 30 random bytes (240 bits) and a 2-byte
 * checksum, shown as 64 hex digits in 16 groups of 4. The checksum catches a mistyped digit
 * before any slot is tried, so the user hears "check each group" rather than "wrong key".
 */

export const RECOVERY_KEY_LENGTH = 32;
export const RECOVERY_ENTROPY_LENGTH = 30;
const CHECKSUM_LENGTH = RECOVERY_KEY_LENGTH - RECOVERY_ENTROPY_LENGTH;
const CHECKSUM_PREFIX = 'chatvault/v1/recovery';
const HEX_DIGIT_COUNT = RECOVERY_KEY_LENGTH * 2;

function checksumOf(entropy: Uint8Array): Uint8Array {
  return sha256(concatBytes(utf8(CHECKSUM_PREFIX), entropy)).slice(0, CHECKSUM_LENGTH);
}

function checksumError(): CryptoError {
  return new CryptoError(
    'recovery-key-checksum',
    'This recovery key does not check out: a digit is mistyped; check each group',
  );
}

export function generateRecoveryKey(random?: RandomSource): Uint8Array {
  const entropy = drawRandom(random, RECOVERY_ENTROPY_LENGTH, 'recovery key');
  return concatBytes(entropy, checksumOf(entropy));
}

/** Checks a 32-byte recovery key (length and checksum); returns its 30 entropy bytes. */
export function recoveryKeyEntropy(name: string, recoveryKey: unknown): Uint8Array {
  const key = requireBytes(name, recoveryKey, RECOVERY_KEY_LENGTH);
  const entropy = key.subarray(0, RECOVERY_ENTROPY_LENGTH);
  if (!constantTimeEqual(checksumOf(entropy), key.subarray(RECOVERY_ENTROPY_LENGTH))) throw checksumError();
  return entropy;
}

/** `xxxx-xxxx-…` : 16 groups of 4 lowercase hex digits. */
export function formatRecoveryKey(recoveryKey: Uint8Array): string {
  recoveryKeyEntropy('recoveryKey', recoveryKey);
  return (toHex(recoveryKey).match(/.{4}/g) ?? []).join('-');
}

/** Characters people confuse with hex digits when copying a key by hand. */
const LOOKALIKES: Record<string, string> = { o: '0', O: '0', l: '1', I: '1', i: '1', s: '5', S: '5' };

/**
 * Reads a recovery key as typed or pasted: any case, with or without spaces, dashes or line
 * breaks. Errors say what to fix: an unexpected character (with its position), the digit count,
 * or a checksum mismatch.
 */
export function parseRecoveryKey(text: string): Uint8Array {
  if (typeof text !== 'string') {
    throw new CryptoError('invalid-argument', `recovery key text must be a string, got ${typeof text}`);
  }
  const digits: number[] = [];
  let position = 0;
  for (const char of text) {
    position++;
    if (/^[\s-]$/u.test(char)) continue;
    if (!/^[0-9a-fA-F]$/.test(char)) {
      const hint = LOOKALIKES[char] === undefined ? '' : ` (did you mean "${LOOKALIKES[char]}"?)`;
      const shown = /^\P{C}$/u.test(char)
        ? `"${char}"`
        : `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      throw new CryptoError(
        'recovery-key-character',
        `Character ${shown} at position ${position} is not allowed in a recovery key: use the digits 0-9 and letters a-f${hint}`,
      );
    }
    digits.push(Number.parseInt(char, 16));
  }
  if (digits.length !== HEX_DIGIT_COUNT) {
    throw new CryptoError(
      'recovery-key-length',
      `A recovery key has ${HEX_DIGIT_COUNT} digits (16 groups of 4); this one has ${digits.length}`,
    );
  }
  const key = new Uint8Array(RECOVERY_KEY_LENGTH);
  for (let i = 0; i < RECOVERY_KEY_LENGTH; i++) key[i] = (digits[2 * i]! << 4) | digits[2 * i + 1]!;
  recoveryKeyEntropy('recovery key', key);
  return key;
}
