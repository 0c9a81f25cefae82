import { describe, expect, it } from 'vitest';
import {
  deriveRepositoryKeys,
  deriveWriterKeys,
  formatRepositoryId,
  fromBase64,
  fromHex,
  generateMasterSecret,
  generateRepositoryId,
  openObject,
  parseRepositoryId,
  sealObject,
  toBase64,
  toHex,
  toWriterKeys,
} from '../../../utils/crypto/index';
import { expectCryptoErrorSync, seededRandom } from './helpers';

describe('repository keys', () => {
  const master = generateMasterSecret(seededRandom(1));
  const repoId = generateRepositoryId(seededRandom(2));

  it('generates 32-byte secrets from the injected (or system) random source', () => {
    expect(master.length).toBe(32);
    expect(generateMasterSecret(seededRandom(1))).toEqual(master);
    expect(generateMasterSecret()).not.toEqual(generateMasterSecret());
  });

  it('derives keys that depend on both the master secret and the repository id', () => {
    const keys = deriveRepositoryKeys(master, repoId);
    expect(deriveRepositoryKeys(master, repoId)).toEqual(keys);
    const otherRepo = deriveRepositoryKeys(master, generateRepositoryId(seededRandom(3)));
    expect(otherRepo.idKey).not.toEqual(keys.idKey);
    expect(otherRepo.secretKey).not.toEqual(keys.secretKey);
    expect(keys.idKey).not.toEqual(keys.secretKey);
  });

  it('writer keys seal objects that only the full keys open, and hold no secret key', async () => {
    const keys = deriveRepositoryKeys(master, repoId);
    const writer = deriveWriterKeys(master, repoId);
    expect(Object.keys(writer).sort()).toEqual(['idKey', 'publicKey', 'repoId']);
    expect(toWriterKeys(repoId, keys)).toEqual(writer);
    const sealed = await sealObject(new Uint8Array([1, 2, 3]), writer.publicKey);
    expect(await openObject(sealed, keys.secretKey)).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('formats and parses the repository id as 64 lowercase hex digits', () => {
    const text = formatRepositoryId(repoId);
    expect(text).toMatch(/^[0-9a-f]{64}$/);
    expect(parseRepositoryId(text)).toEqual(repoId);
    expectCryptoErrorSync(() => parseRepositoryId(text.toUpperCase()), 'invalid-argument');
    expectCryptoErrorSync(() => parseRepositoryId(text.slice(2)), 'invalid-argument');
  });

  it('checks arguments by name', () => {
    const error = expectCryptoErrorSync(
      () => deriveRepositoryKeys(new Uint8Array(31), repoId),
      'invalid-argument',
    );
    expect(error.message).toBe('master must be 32 bytes, got 31');
    expectCryptoErrorSync(() => deriveRepositoryKeys(master, new Uint8Array(16)), 'invalid-argument');
    expectCryptoErrorSync(() => toWriterKeys(repoId, null as never), 'invalid-argument');
    const random = expectCryptoErrorSync(
      () => generateMasterSecret(() => new Uint8Array(8)),
      'invalid-argument',
    );
    expect(random.message).toMatch(/random source must return 32 bytes for the master secret, got 8 bytes/);
  });
});

describe('canonical hex and base64', () => {
  it('round-trips and refuses non-canonical text', () => {
    for (const length of [0, 1, 2, 3, 4, 31, 32, 33]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + 11) & 255);
      expect(fromBase64('x', toBase64(bytes))).toEqual(bytes);
      expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      expect(fromHex('x', toHex(bytes))).toEqual(bytes);
    }
    for (const bad of ['QQ', 'QR==', 'QQ==\n', 'Q Q==', '-_8=', 'QQ=A']) {
      expectCryptoErrorSync(() => fromBase64('field', bad), 'invalid-argument');
    }
    for (const bad of ['abc', 'AB', 'zz', ' a'])
      expectCryptoErrorSync(() => fromHex('field', bad), 'invalid-argument');
  });
});
