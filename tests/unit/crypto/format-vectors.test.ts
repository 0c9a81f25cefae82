import { describe, expect, it } from 'vitest';
import {
  ARGON2_FLOOR,
  createPasswordSlot,
  createRecoverySlot,
  deriveRepositoryKeys,
  formatRecoveryKey,
  generateRecoveryKey,
  objectId,
  openObject,
  openPasswordSlot,
  openRecoverySlot,
  parseRecoveryKey,
  sealObject,
} from '../../../utils/crypto/index';
import { hex, patternBytes, readVectors, scriptedRandom, toHexString } from './helpers';

/**
 * Pins utils/crypto to the committed ChatVault v1 vectors (tests/fixtures/vectors/chatvault-v1.json):
 * any change to the bytes it writes or the way it reads them fails here. A deliberate format
 * change needs a new format version, not a regenerated vector.
 */

interface FormatVectors {
  master: string;
  repoId: string;
  keys: { idKey: string; secretKey: string; publicKey: string };
  objects: {
    name: string;
    plaintext: string | { pattern: string; length: number };
    chunkSize: number | null;
    ephemeralSecret: string;
    sealed: string;
  }[];
  objectIds: { input: string | { pattern: string; length: number }; id: string }[];
  recoveryKey: { entropy: string; bytes: string; text: string };
  recoverySlot: { salt: string; nonce: string; slot: unknown };
  passwordSlot: { password: string; salt: string; nonce: string; slot: unknown };
}

const vectors = readVectors<FormatVectors>('chatvault-v1.json');
const master = hex(vectors.master);
const repoId = hex(vectors.repoId);
const bytesOf = (spec: string | { length: number }) =>
  typeof spec === 'string' ? hex(spec) : patternBytes(spec.length);

describe('ChatVault v1 known-answer vectors', () => {
  it('derives the repository keys', () => {
    const keys = deriveRepositoryKeys(master, repoId);
    expect(toHexString(keys.idKey)).toBe(vectors.keys.idKey);
    expect(toHexString(keys.secretKey)).toBe(vectors.keys.secretKey);
    expect(toHexString(keys.publicKey)).toBe(vectors.keys.publicKey);
  });

  for (const object of vectors.objects) {
    it(`seals and opens: ${object.name}`, async () => {
      const plaintext = bytesOf(object.plaintext);
      const sealed = await sealObject(plaintext, hex(vectors.keys.publicKey), {
        random: scriptedRandom(hex(object.ephemeralSecret)),
        ...(object.chunkSize === null ? {} : { chunkSize: object.chunkSize }),
      });
      expect(toHexString(sealed)).toBe(object.sealed);
      expect(await openObject(hex(object.sealed), hex(vectors.keys.secretKey))).toEqual(plaintext);
    });
  }

  it('computes the object ids', async () => {
    for (const { input, id } of vectors.objectIds) {
      expect(await objectId(hex(vectors.keys.idKey), bytesOf(input))).toBe(id);
    }
  });

  it('builds, formats and parses the recovery key', () => {
    const key = generateRecoveryKey(scriptedRandom(hex(vectors.recoveryKey.entropy)));
    expect(toHexString(key)).toBe(vectors.recoveryKey.bytes);
    expect(formatRecoveryKey(key)).toBe(vectors.recoveryKey.text);
    expect(parseRecoveryKey(vectors.recoveryKey.text)).toEqual(key);
  });

  it('writes and opens the recovery slot', async () => {
    const { salt, nonce, slot } = vectors.recoverySlot;
    const recoveryKey = hex(vectors.recoveryKey.bytes);
    const created = await createRecoverySlot(master, recoveryKey, repoId, {
      random: scriptedRandom(hex(salt), hex(nonce)),
    });
    expect(created).toEqual(slot);
    expect(await openRecoverySlot(slot, recoveryKey, repoId)).toEqual(master);
  });

  // The one slot test that pays for real Argon2id at the floor parameters (twice: write and open).
  it('writes and opens the password slot with real Argon2id at the floor', async () => {
    const { password, salt, nonce, slot } = vectors.passwordSlot;
    const created = await createPasswordSlot(master, password, repoId, {
      params: ARGON2_FLOOR,
      random: scriptedRandom(hex(salt), hex(nonce)),
    });
    expect(created).toEqual(slot);
    // The same password typed in decomposed form (NFD) must open it: passwords are NFC-normalised.
    expect(await openPasswordSlot(slot, password.normalize('NFD'), repoId)).toEqual(master);
  });
});
