import { describe, expect, it } from 'vitest';
import { aesGcmEncrypt, importAesGcmKey } from '../../../utils/crypto/aes-gcm';
import { planSeal } from '../../../utils/crypto/chunk-sealer';
import {
  DEFAULT_CHUNK_SIZE,
  deriveRepositoryKeys,
  OBJECT_HEADER_LENGTH,
  openObject,
  plainSize,
  sealedSize,
  sealObject,
} from '../../../utils/crypto/index';
import { chunkNonce } from '../../../utils/crypto/object-format';
import { expectCryptoError, expectCryptoErrorSync, patternBytes, seededRandom } from './helpers';

const keys = deriveRepositoryKeys(new Uint8Array(32).fill(7), new Uint8Array(32).fill(9));
const otherKeys = deriveRepositoryKeys(new Uint8Array(32).fill(8), new Uint8Array(32).fill(9));
const SMALL = 4096;
const SEALED_CHUNK = SMALL + 16;

const seal = (plaintext: Uint8Array, chunkSize = SMALL) =>
  sealObject(plaintext, keys.publicKey, { chunkSize });
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

describe('sealObject / openObject', () => {
  it('writes the header as specified: "CVO", version 1, log2 chunk size, epk, commitment', async () => {
    const sealed = await seal(patternBytes(10), 8192);
    expect(OBJECT_HEADER_LENGTH).toBe(69);
    expect([...sealed.subarray(0, 5)]).toEqual([0x43, 0x56, 0x4f, 0x01, 13]);
    expect(sealed.length).toBe(69 + 10 + 16);
    const defaultSealed = await sealObject(new Uint8Array(0), keys.publicKey);
    expect(2 ** defaultSealed[4]!).toBe(DEFAULT_CHUNK_SIZE);
  });

  it('round-trips lengths around chunk boundaries, with sizes matching sealedSize/plainSize', async () => {
    for (const length of [0, 1, 15, 16, 4095, 4096, 4097, 8191, 8192, 8193, 3 * 4096 + 5]) {
      const plaintext = patternBytes(length);
      const sealed = await seal(plaintext);
      expect(sealed.length).toBe(sealedSize(length, SMALL));
      expect(plainSize(sealed.length, SMALL)).toBe(length);
      expect(await openObject(sealed, keys.secretKey)).toEqual(plaintext);
    }
  });

  it('uses a fresh ephemeral key for every object, so two seals of the same bytes differ', async () => {
    const a = await seal(patternBytes(100));
    const b = await seal(patternBytes(100));
    expect(Buffer.from(a.subarray(5, 37)).equals(Buffer.from(b.subarray(5, 37)))).toBe(false);
  });

  it('an exact multiple of the chunk size ends with a full final chunk, not an extra empty one', async () => {
    const sealed = await seal(patternBytes(2 * SMALL));
    expect(sealed.length).toBe(OBJECT_HEADER_LENGTH + 2 * SEALED_CHUNK);
  });
});

describe('openObject failures carry distinct codes', () => {
  it('bad-magic: not a ChatVault object, even when shorter than a header', async () => {
    const sealed = await seal(patternBytes(100));
    sealed[0] = 0x50;
    await expectCryptoError(openObject(sealed, keys.secretKey), 'bad-magic');
    await expectCryptoError(openObject(new TextEncoder().encode('PK\x03\x04'), keys.secretKey), 'bad-magic');
  });

  it('unsupported-version: a newer format version', async () => {
    const sealed = await seal(patternBytes(100));
    sealed[3] = 2;
    const error = await expectCryptoError(openObject(sealed, keys.secretKey), 'unsupported-version');
    expect(error.message).toMatch(/version 2/);
  });

  it('corrupt: a chunk size outside 2^12..2^24 in the header', async () => {
    const sealed = await seal(patternBytes(100));
    sealed[4] = 25;
    await expectCryptoError(openObject(sealed, keys.secretKey), 'corrupt');
  });

  it('corrupt: a low-order ephemeral key in the header', async () => {
    const sealed = await seal(patternBytes(100));
    sealed.fill(0, 5, 37);
    await expectCryptoError(openObject(sealed, keys.secretKey), 'corrupt');
  });

  it('wrong-key: sealed to another repository key, detected by the key commitment', async () => {
    const sealed = await seal(patternBytes(100));
    await expectCryptoError(openObject(sealed, otherKeys.secretKey), 'wrong-key');
  });

  it('truncated: empty input, inside the header, right after the header, short of a tag', async () => {
    const sealed = await seal(patternBytes(100));
    for (const length of [0, 3, 4, 5, 40, 68, 69, 70, 69 + 15]) {
      await expectCryptoError(openObject(sealed.subarray(0, length), keys.secretKey), 'truncated');
    }
  });

  it('truncated: cut exactly at a chunk boundary, before the final chunk', async () => {
    const sealed = await seal(patternBytes(3 * SMALL - 10));
    for (const chunks of [1, 2]) {
      const cut = sealed.subarray(0, OBJECT_HEADER_LENGTH + chunks * SEALED_CHUNK);
      const error = await expectCryptoError(openObject(cut, keys.secretKey), 'truncated');
      expect(error.message).toMatch(/before its final chunk/);
    }
  });

  it('corrupt: cut inside a chunk (the tag is gone, so it reads as damage)', async () => {
    const sealed = await seal(patternBytes(3 * SMALL));
    await expectCryptoError(openObject(sealed.subarray(0, sealed.length - 1), keys.secretKey), 'corrupt');
    await expectCryptoError(
      openObject(sealed.subarray(0, OBJECT_HEADER_LENGTH + 100), keys.secretKey),
      'corrupt',
    );
  });

  it('trailing-data: bytes after a full final chunk', async () => {
    const sealed = await seal(patternBytes(2 * SMALL));
    for (const extra of [new Uint8Array(1), new Uint8Array(16), patternBytes(SEALED_CHUNK + 3)]) {
      await expectCryptoError(openObject(concat(sealed, extra), keys.secretKey), 'trailing-data');
    }
  });

  it('corrupt: bytes after a partial final chunk make it fail authentication', async () => {
    const sealed = await seal(patternBytes(SMALL + 10));
    await expectCryptoError(openObject(concat(sealed, new Uint8Array(5)), keys.secretKey), 'corrupt');
  });

  it('corrupt: a flipped bit in a chunk, swapped chunks, a chunk spliced from another object', async () => {
    const plaintext = patternBytes(3 * SMALL);
    const sealed = await seal(plaintext);
    const flipped = sealed.slice();
    flipped[OBJECT_HEADER_LENGTH + SEALED_CHUNK + 7]! ^= 0x10;
    await expectCryptoError(openObject(flipped, keys.secretKey), 'corrupt');

    const chunk = (bytes: Uint8Array, i: number) =>
      bytes.subarray(OBJECT_HEADER_LENGTH + i * SEALED_CHUNK, OBJECT_HEADER_LENGTH + (i + 1) * SEALED_CHUNK);
    const header = sealed.subarray(0, OBJECT_HEADER_LENGTH);
    const swapped = concat(header, chunk(sealed, 1), chunk(sealed, 0), chunk(sealed, 2));
    await expectCryptoError(openObject(swapped, keys.secretKey), 'corrupt');

    const other = await seal(plaintext);
    const spliced = concat(header, chunk(sealed, 0), chunk(other, 1), chunk(sealed, 2));
    await expectCryptoError(openObject(spliced, keys.secretKey), 'corrupt');
  });

  it('corrupt: an empty final chunk after full ones (valid tags, but not the canonical encoding)', async () => {
    const plan = planSeal(keys.publicKey, { chunkSize: SMALL });
    const key = await importAesGcmKey(plan.payloadKey, 'encrypt');
    const first = await aesGcmEncrypt(key, chunkNonce(0, false), patternBytes(SMALL), plan.header);
    const emptyLast = await aesGcmEncrypt(key, chunkNonce(1, true), new Uint8Array(0), plan.header);
    const error = await expectCryptoError(
      openObject(concat(plan.header, first, emptyLast), keys.secretKey),
      'corrupt',
    );
    expect(error.message).toMatch(/empty final chunk/);
  });
});

describe('argument checks name the argument', () => {
  it('sealObject', async () => {
    const error = await expectCryptoError(
      sealObject(new Uint8Array(1), new Uint8Array(31)),
      'invalid-argument',
    );
    expect(error.message).toBe('publicKey must be 32 bytes, got 31');
    await expectCryptoError(sealObject('text' as unknown as Uint8Array, keys.publicKey), 'invalid-argument');
    const size = await expectCryptoError(
      sealObject(new Uint8Array(1), keys.publicKey, { chunkSize: 5000 }),
      'invalid-argument',
    );
    expect(size.message).toMatch(/options\.chunkSize must be a power of two from 4096 to 16777216/);
    await expectCryptoError(
      sealObject(new Uint8Array(1), keys.publicKey, { chunkSize: 2 ** 25 }),
      'invalid-argument',
    );
    const lowOrder = await expectCryptoError(
      sealObject(new Uint8Array(1), new Uint8Array(32)),
      'invalid-argument',
    );
    expect(lowOrder.message).toMatch(/publicKey is not a usable X25519 public key/);
  });

  it('sealObject checks what an injected random source returns', async () => {
    const short = () => new Uint8Array(5);
    const error = await expectCryptoError(
      sealObject(new Uint8Array(1), keys.publicKey, { random: short }),
      'invalid-argument',
    );
    expect(error.message).toMatch(/random source must return 32 bytes/);
    // A well-behaved seeded source works (and is what tests use for determinism).
    const sealed = await sealObject(new Uint8Array(1), keys.publicKey, { random: seededRandom(3) });
    expect(await openObject(sealed, keys.secretKey)).toEqual(new Uint8Array(1));
  });

  it('openObject', async () => {
    const error = await expectCryptoError(
      openObject(new Uint8Array(100), new Uint8Array(33)),
      'invalid-argument',
    );
    expect(error.message).toBe('secretKey must be 32 bytes, got 33');
    await expectCryptoError(
      openObject([1, 2, 3] as unknown as Uint8Array, keys.secretKey),
      'invalid-argument',
    );
  });

  it('sealedSize / plainSize refuse impossible inputs', () => {
    expectCryptoErrorSync(() => sealedSize(-1), 'invalid-argument');
    expectCryptoErrorSync(() => sealedSize(1.5), 'invalid-argument');
    expectCryptoErrorSync(() => sealedSize(10, 1000), 'invalid-argument');
    for (const impossible of [0, 68, 69, 69 + 15, 69 + SEALED_CHUNK + 1, 69 + SEALED_CHUNK + 16]) {
      expectCryptoErrorSync(() => plainSize(impossible, SMALL), 'invalid-argument');
    }
    expect(plainSize(69 + 16, SMALL)).toBe(0);
    expect(plainSize(69 + SEALED_CHUNK, SMALL)).toBe(SMALL);
    expect(plainSize(69 + SEALED_CHUNK + 17, SMALL)).toBe(SMALL + 1);
    expect(sealedSize(0)).toBe(85);
    expect(plainSize(sealedSize(10_000_000))).toBe(10_000_000);
  });
});
