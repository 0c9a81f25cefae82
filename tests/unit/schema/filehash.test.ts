import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64, tryDecodeBase64 } from '@/utils/schema/base64';
import {
  computeFilehash,
  computeFilehashOfChunks,
  createFilehashBuilder,
  filehashFromBytes,
  filehashFromFileName,
  filehashFromHex,
  filehashToBytes,
  filehashToFileName,
  filehashToHex,
  isFilehash,
} from '@/utils/schema/filehash';
import { isSchemaError } from '@/utils/schema/schema-error';

// FIPS 180-2 test vector: SHA-256("abc").
const ABC_HEX = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const ABC_FILEHASH = 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=';
const ABC_FILE_NAME = 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0';
const digest = fc.uint8Array({ minLength: 32, maxLength: 32 });

describe('base64', () => {
  it('matches the RFC 4648 test vectors', () => {
    const vectors = ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'];
    const expected = ['', 'Zg==', 'Zm8=', 'Zm9v', 'Zm9vYg==', 'Zm9vYmE=', 'Zm9vYmFy'];
    vectors.forEach((text, index) => {
      const bytes = new TextEncoder().encode(text);
      expect(encodeBase64(bytes)).toBe(expected[index]);
      expect(decodeBase64(expected[index]!)).toEqual(bytes);
      expect(encodeBase64(bytes, 'url')).toBe(expected[index]!.replace(/=+$/, ''));
    });
  });

  it('round-trips any bytes in both alphabets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(decodeBase64(encodeBase64(bytes))).toEqual(bytes);
        expect(decodeBase64(encodeBase64(bytes, 'url'), 'url')).toEqual(bytes);
      }),
    );
  });

  it.each([
    ['a missing pad', 'Zg='],
    ['non-zero trailing bits', 'Zh=='],
    ['a character outside the alphabet', 'Zm9*'],
    ['padding in the middle', 'Zg==Zg=='],
    ['url-safe characters in standard base64', 'ab-_'],
    ['whitespace', 'Zm9v '],
  ])('refuses %s', (_name, text) => {
    expect(tryDecodeBase64(text)).toBeUndefined();
    expect(() => decodeBase64(text)).toThrow(/not canonical standard base64/);
  });

  it('refuses padding and a dangling character in url-safe base64', () => {
    expect(tryDecodeBase64('Zg==', 'url')).toBeUndefined();
    expect(tryDecodeBase64('Zm9vY', 'url')).toBeUndefined();
  });
});

describe('filehash', () => {
  it('computes WhatsApp filehashes (base64 SHA-256) with WebCrypto', async () => {
    expect(await computeFilehash(new TextEncoder().encode('abc'))).toBe(ABC_FILEHASH);
  });

  it('converts between base64, hex, raw bytes and the file-name form', () => {
    expect(filehashToHex(ABC_FILEHASH)).toBe(ABC_HEX);
    expect(filehashFromHex(ABC_HEX)).toBe(ABC_FILEHASH);
    expect(filehashFromHex(ABC_HEX.toUpperCase())).toBe(ABC_FILEHASH);
    expect(filehashToFileName(ABC_FILEHASH)).toBe(ABC_FILE_NAME);
    expect(filehashFromFileName(ABC_FILE_NAME)).toBe(ABC_FILEHASH);
    expect(filehashFromBytes(filehashToBytes(ABC_FILEHASH))).toBe(ABC_FILEHASH);
  });

  it('round-trips every digest through every form, and file names are safe', () => {
    fc.assert(
      fc.property(digest, (bytes) => {
        const filehash = filehashFromBytes(bytes);
        expect(isFilehash(filehash)).toBe(true);
        expect(filehashFromHex(filehashToHex(filehash))).toBe(filehash);
        const name = filehashToFileName(filehash);
        expect(name).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(filehashFromFileName(name)).toBe(filehash);
        expect(filehashToBytes(filehash)).toEqual(bytes);
      }),
    );
  });

  it('hashes chunked input to the same filehash as the whole', async () => {
    const bytes = new Uint8Array(100_000).map((_, index) => (index * 31) & 0xff);
    const whole = await computeFilehash(bytes);
    const chunks = [bytes.subarray(0, 1), bytes.subarray(1, 65_537), bytes.subarray(65_537)];
    expect(await computeFilehashOfChunks(chunks)).toBe(whole);
    expect(await computeFilehashOfChunks(new Blob([bytes]).stream())).toBe(whole);
    const builder = createFilehashBuilder();
    for (const chunk of chunks) builder.update(chunk);
    expect(builder.digest()).toBe(whole);
    expect(() => builder.digest()).toThrow(/already produced/);
  });

  it.each([
    ['too short', 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa=='],
    ['unpadded', 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0'],
    ['non-canonical last character', 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa1='],
    ['url-safe spelling', 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0='],
    ['hex', ABC_HEX],
  ])('rejects a filehash that is %s', (_name, text) => {
    expect(isFilehash(text)).toBe(false);
    expect(() => filehashToHex(text)).toThrow(/must be base64 of a 32-byte SHA-256/);
  });

  it('rejects bad hex, bad file names and wrong digest lengths with typed errors', () => {
    const attempts = [
      () => filehashFromHex(ABC_HEX.slice(2)),
      () => filehashFromHex(`${ABC_HEX.slice(2)}zz`),
      () => filehashFromFileName(`${ABC_FILE_NAME}=`),
      () => filehashFromFileName(ABC_FILE_NAME.replace(/0$/, '1')),
      () => filehashFromFileName('../../etc/passwd'),
      () => filehashFromBytes(new Uint8Array(31)),
    ];
    for (const attempt of attempts) {
      expect(attempt).toThrow();
      try {
        attempt();
      } catch (error) {
        expect(isSchemaError(error, 'invalid-argument')).toBe(true);
      }
    }
  });
});
