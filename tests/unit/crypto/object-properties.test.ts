import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CryptoErrorCode,
  createOpenStream,
  createSealStream,
  deriveRepositoryKeys,
  isCryptoError,
  OBJECT_HEADER_LENGTH,
  openObject,
  sealObject,
} from '../../../utils/crypto/index';
import { patternBytes, throughStream } from './helpers';

// Property tests of the sealed-object format: whatever the data, chunk size and piece splits, a
// sealed object opens to its plaintext, and every kind of tampering is refused.

const keys = deriveRepositoryKeys(new Uint8Array(32).fill(5), new Uint8Array(32).fill(6));
const SMALL = 4096;
const SEALED_CHUNK = SMALL + 16;

async function failureCode(
  sealed: Uint8Array,
  secretKey: Uint8Array = keys.secretKey,
): Promise<CryptoErrorCode | 'opened'> {
  try {
    await openObject(sealed, secretKey);
    return 'opened';
  } catch (error) {
    if (!isCryptoError(error)) throw error;
    return error.code;
  }
}

function chunksOf(sealed: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let offset = OBJECT_HEADER_LENGTH; offset < sealed.length; offset += SEALED_CHUNK) {
    chunks.push(sealed.subarray(offset, Math.min(offset + SEALED_CHUNK, sealed.length)));
  }
  return chunks;
}

const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const flipBit = (bytes: Uint8Array, bit: number) => {
  const copy = bytes.slice();
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
};

describe('round trip', () => {
  it('seal stream → open stream returns the plaintext for any data, chunk size and piece splits', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 5 * SMALL }),
        fc.constantFrom(4096, 8192),
        fc.array(fc.integer({ min: 1, max: 3 * SMALL }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 3 * SMALL }), { minLength: 1, maxLength: 8 }),
        async (plaintext, chunkSize, sealPieces, openPieces) => {
          const sealed = await throughStream(
            createSealStream(keys.publicKey, { chunkSize }),
            plaintext,
            sealPieces,
          );
          const opened = await throughStream(createOpenStream(keys.secretKey), sealed, openPieces);
          expect(opened).toEqual(plaintext);
          expect(await openObject(sealed, keys.secretKey)).toEqual(plaintext);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('tampering is always refused', () => {
  it('every single-bit flip of a small object fails (exhaustive)', async () => {
    const sealed = await sealObject(new Uint8Array(0), keys.publicKey);
    for (let bit = 0; bit < sealed.length * 8; bit++) {
      expect(await failureCode(flipBit(sealed, bit))).not.toBe('opened');
    }
  });

  it('every single-bit flip of a multi-chunk header fails (exhaustive)', async () => {
    const sealed = await sealObject(patternBytes(2 * SMALL + 9), keys.publicKey, { chunkSize: SMALL });
    for (let bit = 0; bit < OBJECT_HEADER_LENGTH * 8; bit++) {
      expect(await failureCode(flipBit(sealed, bit))).not.toBe('opened');
    }
  });

  it('a single-bit flip anywhere in a multi-chunk object fails', async () => {
    const sealed = await sealObject(patternBytes(3 * SMALL - 100), keys.publicKey, { chunkSize: SMALL });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: sealed.length * 8 - 1 }), async (bit) => {
        const code = await failureCode(flipBit(sealed, bit));
        if (bit >= OBJECT_HEADER_LENGTH * 8) expect(code).toBe('corrupt');
        else expect(code).not.toBe('opened');
      }),
      { numRuns: 300 },
    );
  });

  it('truncation at any offset fails; at a chunk boundary or inside the header it says "truncated"', async () => {
    const sealed = await sealObject(patternBytes(3 * SMALL - 100), keys.publicKey, { chunkSize: SMALL });
    const boundaries = [1, 2].map((n) => OBJECT_HEADER_LENGTH + n * SEALED_CHUNK);
    const near = (edge: number) => Array.from({ length: 40 }, (_, i) => edge - 20 + i);
    const exhaustive = [
      ...near(0),
      ...near(OBJECT_HEADER_LENGTH),
      ...boundaries.flatMap(near),
      ...near(sealed.length),
    ];
    const check = async (length: number) => {
      const code = await failureCode(sealed.subarray(0, length));
      expect(['truncated', 'corrupt']).toContain(code);
      if (length <= OBJECT_HEADER_LENGTH + 15 || boundaries.includes(length)) expect(code).toBe('truncated');
    };
    for (const length of exhaustive.filter((n) => n >= 0 && n < sealed.length)) await check(length);
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: sealed.length - 1 }), check), {
      numRuns: 200,
    });
  });

  it('swapping any two chunks fails', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2 * SMALL, max: 5 * SMALL }),
        fc.nat(),
        fc.nat(),
        async (length, a, b) => {
          const sealed = await sealObject(patternBytes(length), keys.publicKey, { chunkSize: SMALL });
          const chunks = chunksOf(sealed);
          const i = a % chunks.length;
          const j = (i + 1 + (b % (chunks.length - 1))) % chunks.length;
          const swapped = [...chunks];
          [swapped[i], swapped[j]] = [chunks[j]!, chunks[i]!];
          expect(await failureCode(concat(sealed.subarray(0, OBJECT_HEADER_LENGTH), ...swapped))).not.toBe(
            'opened',
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it('appending any bytes fails (trailing-data after a full final chunk, corrupt otherwise)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3 * SMALL }),
        fc.uint8Array({ minLength: 1, maxLength: 2 * SEALED_CHUNK }),
        async (length, extra) => {
          const sealed = await sealObject(patternBytes(length), keys.publicKey, { chunkSize: SMALL });
          const code = await failureCode(concat(sealed, extra));
          const lastChunkFull = length > 0 && length % SMALL === 0;
          expect(code).toBe(lastChunkFull ? 'trailing-data' : 'corrupt');
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a different secret key fails with wrong-key', async () => {
    const sealed = await sealObject(patternBytes(1000), keys.publicKey);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), async (secretKey) => {
        fc.pre(!Buffer.from(secretKey).equals(Buffer.from(keys.secretKey)));
        expect(await failureCode(sealed, secretKey)).toBe('wrong-key');
      }),
      { numRuns: 50 },
    );
  });

  it('splicing chunks or the header from another object sealed to the same key fails', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: SMALL + 1, max: 4 * SMALL }), fc.nat(), async (length, pick) => {
        const a = await sealObject(patternBytes(length), keys.publicKey, { chunkSize: SMALL });
        const b = await sealObject(patternBytes(length), keys.publicKey, { chunkSize: SMALL });
        const chunksA = chunksOf(a);
        const chunksB = chunksOf(b);
        const k = pick % chunksA.length;
        const spliced = chunksA.map((chunk, i) => (i === k ? chunksB[i]! : chunk));
        expect(await failureCode(concat(a.subarray(0, OBJECT_HEADER_LENGTH), ...spliced))).toBe('corrupt');
        expect(await failureCode(concat(b.subarray(0, OBJECT_HEADER_LENGTH), ...chunksA))).toBe('corrupt');
      }),
      { numRuns: 30 },
    );
  });
});
