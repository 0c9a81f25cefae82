import { describe, expect, it } from 'vitest';
import { formatRecoveryKey, generateRecoveryKey, parseRecoveryKey } from '../../../utils/crypto/index';
import { expectCryptoErrorSync, seededRandom } from './helpers';

const key = generateRecoveryKey(seededRandom(42));
const text = formatRecoveryKey(key);

describe('recovery key', () => {
  it('is 32 bytes shown as 16 lowercase groups of 4 hex digits', () => {
    expect(key.length).toBe(32);
    expect(text).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){15}$/);
  });

  it('parses what people type or paste: any case, spaces, dashes, line breaks', () => {
    const groups = text.split('-');
    const variants = [
      text,
      text.toUpperCase(),
      groups.join(' '),
      groups.join(''),
      `  ${groups.slice(0, 8).join('-')}\n${groups.slice(8).join('-')}\n`,
      groups.join(' - '),
      `${groups.slice(0, 4).join('\t')}\r\n${groups.slice(4).join(' ')}`,
    ];
    for (const variant of variants) expect(parseRecoveryKey(variant)).toEqual(key);
  });

  it('names a bad character and its position, with a hint for look-alikes', () => {
    const typo = `${text.slice(0, 6)}o${text.slice(7)}`;
    const error = expectCryptoErrorSync(() => parseRecoveryKey(typo), 'recovery-key-character');
    expect(error.message).toMatch(/Character "o" at position 7/);
    expect(error.message).toMatch(/did you mean "0"/);
    const control = expectCryptoErrorSync(() => parseRecoveryKey(`\u0000${text}`), 'recovery-key-character');
    expect(control.message).toMatch(/U\+0000 at position 1/);
  });

  it('says how many digits it got when the count is wrong', () => {
    const short = expectCryptoErrorSync(() => parseRecoveryKey(text.slice(0, -1)), 'recovery-key-length');
    expect(short.message).toMatch(/64 digits.*this one has 63/);
    expectCryptoErrorSync(() => parseRecoveryKey(`${text}0`), 'recovery-key-length');
    expectCryptoErrorSync(() => parseRecoveryKey(''), 'recovery-key-length');
  });

  it('catches every single mistyped digit of this key with the checksum (all 64 × 15 typos)', () => {
    // A 16-bit checksum lets a random typo through with probability 2^-16; for this fixed key
    // none of the 960 single-digit typos does, so the check is deterministic.
    const hex = text.replaceAll('-', '');
    for (let digit = 0; digit < 64; digit++) {
      for (let delta = 1; delta < 16; delta++) {
        const changed = (Number.parseInt(hex[digit]!, 16) + delta) % 16;
        const typo = `${hex.slice(0, digit)}${changed.toString(16)}${hex.slice(digit + 1)}`;
        const error = expectCryptoErrorSync(() => parseRecoveryKey(typo), 'recovery-key-checksum');
        expect(error.message).toMatch(/a digit is mistyped; check each group/);
      }
    }
  });

  it('formatRecoveryKey refuses bytes that are not a recovery key', () => {
    expectCryptoErrorSync(() => formatRecoveryKey(new Uint8Array(31)), 'invalid-argument');
    const broken = key.slice();
    broken[31]! ^= 1;
    expectCryptoErrorSync(() => formatRecoveryKey(broken), 'recovery-key-checksum');
    expectCryptoErrorSync(() => parseRecoveryKey(42 as unknown as string), 'invalid-argument');
  });
});
