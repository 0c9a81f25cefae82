import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createOpenStream,
  createSealStream,
  deriveRepositoryKeys,
  OBJECT_HEADER_LENGTH,
  openObject,
  sealObject,
} from '../../../utils/crypto/index';
import { SealedObjectReader } from '../../../utils/crypto/object-reader';
import { SealedObjectWriter } from '../../../utils/crypto/object-writer';
import {
  collectStream,
  expectCryptoError,
  expectCryptoErrorSync,
  patternBytes,
  scriptedRandom,
  throughStream,
} from './helpers';

const keys = deriveRepositoryKeys(new Uint8Array(32).fill(1), new Uint8Array(32).fill(2));
const SMALL = 4096;
const SEALED_CHUNK = SMALL + 16;
const ephemeral = new Uint8Array(32).fill(0x33);

describe('createSealStream / createOpenStream', () => {
  it('the seal stream writes exactly the bytes sealObject writes, whatever the piece sizes', async () => {
    const plaintext = patternBytes(3 * SMALL + 123);
    const expected = await sealObject(plaintext, keys.publicKey, {
      chunkSize: SMALL,
      random: scriptedRandom(ephemeral),
    });
    for (const pieces of [[1], [7, 4096, 1], [SMALL], [SMALL + 1], [100_000]]) {
      const stream = createSealStream(keys.publicKey, {
        chunkSize: SMALL,
        random: scriptedRandom(ephemeral),
      });
      expect(await throughStream(stream, plaintext, pieces)).toEqual(expected);
    }
  });

  it('an empty input seals to the empty object and opens to nothing', async () => {
    const sealed = await throughStream(createSealStream(keys.publicKey), new Uint8Array(0), [1]);
    expect(sealed.length).toBe(OBJECT_HEADER_LENGTH + 16);
    expect(await throughStream(createOpenStream(keys.secretKey), sealed, [1])).toEqual(new Uint8Array(0));
  });

  it('the open stream reads one byte at a time', async () => {
    const plaintext = patternBytes(2 * SMALL + 5);
    const sealed = await sealObject(plaintext, keys.publicKey, { chunkSize: SMALL });
    expect(await throughStream(createOpenStream(keys.secretKey), sealed, [1])).toEqual(plaintext);
  });

  it('handles a 10 MiB piece in one write at the default chunk size', async () => {
    const plaintext = patternBytes(10 * 1024 * 1024 + 17);
    const sealed = await throughStream(createSealStream(keys.publicKey), plaintext, [plaintext.length]);
    const opened = await throughStream(createOpenStream(keys.secretKey), sealed, [sealed.length]);
    expect(opened.length).toBe(plaintext.length);
    expect(Buffer.from(opened).equals(Buffer.from(plaintext))).toBe(true);
  });

  it('errors the stream with the CryptoError code (damage found mid-stream)', async () => {
    const sealed = await sealObject(patternBytes(3 * SMALL), keys.publicKey, { chunkSize: SMALL });
    sealed[OBJECT_HEADER_LENGTH + SEALED_CHUNK + 1]! ^= 1;
    await expectCryptoError(throughStream(createOpenStream(keys.secretKey), sealed, [1000]), 'corrupt');
    await expectCryptoError(
      throughStream(createOpenStream(keys.secretKey), sealed.subarray(0, 60), [7]),
      'truncated',
    );
  });

  it('refuses pieces that are not Uint8Array', async () => {
    for (const stream of [createOpenStream(keys.secretKey), createSealStream(keys.publicKey)]) {
      const output = collectStream(stream.readable);
      stream.writable
        .getWriter()
        .write('text' as unknown as Uint8Array)
        .catch(() => {});
      const error = await expectCryptoError(output, 'invalid-argument');
      expect(error.message).toMatch(/stream input must be Uint8Array pieces, got string/);
    }
  });

  it('bad arguments throw at the call, not later from the stream', () => {
    expectCryptoErrorSync(() => createSealStream(new Uint8Array(3)), 'invalid-argument');
    expectCryptoErrorSync(() => createSealStream(keys.publicKey, { chunkSize: 100 }), 'invalid-argument');
    expectCryptoErrorSync(() => createOpenStream(new Uint8Array(3)), 'invalid-argument');
  });
});

describe('memory stays bounded to about one chunk, whatever the input piece sizes', () => {
  const pieceSizes = fc.array(fc.integer({ min: 1, max: 3 * SEALED_CHUNK }), { minLength: 1, maxLength: 12 });

  it('the reader never holds more than one sealed chunk it has not turned into plaintext', async () => {
    const plaintext = patternBytes(6 * SMALL + 77);
    const sealed = await sealObject(plaintext, keys.publicKey, { chunkSize: SMALL });
    await fc.assert(
      fc.asyncProperty(pieceSizes, async (sizes) => {
        const reader = new SealedObjectReader(keys.secretKey);
        let emittedChunks = 0;
        let pushed = 0;
        for (let turn = 0; pushed < sealed.length; turn++) {
          const size = sizes[turn % sizes.length]!;
          await reader.push(sealed.subarray(pushed, pushed + size), () => emittedChunks++);
          pushed = Math.min(pushed + size, sealed.length);
          const held = Math.max(0, pushed - OBJECT_HEADER_LENGTH) - emittedChunks * SEALED_CHUNK;
          expect(held).toBeGreaterThanOrEqual(0);
          expect(held).toBeLessThanOrEqual(SEALED_CHUNK);
        }
        await reader.finish(() => emittedChunks++);
        expect(emittedChunks).toBe(7);
      }),
      { numRuns: 40 },
    );
  });

  it('the writer never holds more than one chunk of plaintext it has not sealed', async () => {
    const plaintext = patternBytes(6 * SMALL + 77);
    await fc.assert(
      fc.asyncProperty(pieceSizes, async (sizes) => {
        const writer = await SealedObjectWriter.begin(keys.publicKey, { chunkSize: SMALL });
        const out: Uint8Array[] = [writer.header];
        let pushed = 0;
        for (let turn = 0; pushed < plaintext.length; turn++) {
          const size = sizes[turn % sizes.length]!;
          await writer.push(plaintext.subarray(pushed, pushed + size), (bytes) => out.push(bytes));
          pushed = Math.min(pushed + size, plaintext.length);
          const sealedChunks = out.length - 1;
          const held = pushed - sealedChunks * SMALL;
          expect(held).toBeGreaterThanOrEqual(0);
          expect(held).toBeLessThanOrEqual(SMALL);
        }
        await writer.finish((bytes) => out.push(bytes));
        expect(await openObject(new Uint8Array(Buffer.concat(out)), keys.secretKey)).toEqual(plaintext);
      }),
      { numRuns: 40 },
    );
  });

  it('a reader that failed keeps failing, and one that finished accepts nothing more', async () => {
    const sealed = await sealObject(patternBytes(10), keys.publicKey);
    const broken = new SealedObjectReader(keys.secretKey);
    await expectCryptoError(
      broken.push(new Uint8Array([1, 2, 3]), () => {}),
      'bad-magic',
    );
    await expectCryptoError(
      broken.push(sealed, () => {}),
      'bad-magic',
    );

    const done = new SealedObjectReader(keys.secretKey);
    await done.push(sealed, () => {});
    await done.finish(() => {});
    await expectCryptoError(
      done.push(new Uint8Array(1), () => {}),
      'invalid-argument',
    );
  });
});
