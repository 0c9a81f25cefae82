import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createObjectIdHasher,
  deriveRepositoryKeys,
  isObjectId,
  objectId,
} from '../../../utils/crypto/index';
import { expectCryptoError, expectCryptoErrorSync, patternBytes } from './helpers';

const { idKey } = deriveRepositoryKeys(new Uint8Array(32).fill(1), new Uint8Array(32).fill(2));

describe('object ids', () => {
  it('are 64 lowercase hex digits, stable for the same content, different for different content or key', async () => {
    const id = await objectId(idKey, patternBytes(1000));
    expect(isObjectId(id)).toBe(true);
    expect(await objectId(idKey, patternBytes(1000))).toBe(id);
    expect(await objectId(idKey, patternBytes(1001))).not.toBe(id);
    const otherKey = deriveRepositoryKeys(new Uint8Array(32).fill(3), new Uint8Array(32).fill(2)).idKey;
    expect(await objectId(otherKey, patternBytes(1000))).not.toBe(id);
  });

  it('the incremental hasher gives the one-shot id for any split of the input', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 20_000 }),
        fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 6 }),
        async (bytes, sizes) => {
          const hasher = await createObjectIdHasher(idKey);
          for (let offset = 0, turn = 0; offset < bytes.length; turn++) {
            const size = sizes[turn % sizes.length]!;
            hasher.update(bytes.subarray(offset, offset + size));
            offset += size;
          }
          expect(hasher.digest()).toBe(await objectId(idKey, bytes));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('a finished hasher refuses further use', async () => {
    const hasher = await createObjectIdHasher(idKey);
    hasher.update(new Uint8Array(3)).update(new Uint8Array(2));
    hasher.digest();
    expectCryptoErrorSync(() => hasher.update(new Uint8Array(1)), 'invalid-argument');
    expectCryptoErrorSync(() => hasher.digest(), 'invalid-argument');
  });

  it('checks its arguments by name', async () => {
    const error = await expectCryptoError(
      objectId(new Uint8Array(16), new Uint8Array(1)),
      'invalid-argument',
    );
    expect(error.message).toBe('idKey must be 32 bytes, got 16');
    await expectCryptoError(objectId(idKey, 'text' as unknown as Uint8Array), 'invalid-argument');
    await expectCryptoError(createObjectIdHasher(new Uint8Array(31)), 'invalid-argument');
    const hasher = await createObjectIdHasher(idKey);
    expectCryptoErrorSync(() => hasher.update('text' as unknown as Uint8Array), 'invalid-argument');
    expect(isObjectId('A'.repeat(64))).toBe(false);
    expect(isObjectId('a'.repeat(63))).toBe(false);
  });
});
