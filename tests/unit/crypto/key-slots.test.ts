import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import {
  ARGON2_CEILING,
  ARGON2_FLOOR,
  type Argon2idFunction,
  changePassword,
  createPasswordSlot,
  createRecoverySlot,
  generateMasterSecret,
  generateRecoveryKey,
  generateRepositoryId,
  openPasswordSlot,
  openRecoverySlot,
  type PasswordSlot,
  parseKeySlot,
} from '../../../utils/crypto/index';
import { expectCryptoError, expectCryptoErrorSync, seededRandom } from './helpers';

/**
 * A stand-in for Argon2id so these tests do not pay 64 MiB per slot (the real one runs in
 * format-vectors.test.ts). It deliberately IGNORES the parameters: a parameter edit must then be
 * caught by the slot's associated data alone, which is the property under test.
 */
const fastKdf = vi.fn<Argon2idFunction>(
  async ({ password, salt }) => new Uint8Array(createHash('sha256').update(password).update(salt).digest()),
);
const kdf = { argon2id: fastKdf };

const master = generateMasterSecret(seededRandom(10));
const repoId = generateRepositoryId(seededRandom(11));
const otherRepoId = generateRepositoryId(seededRandom(12));

const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

async function passwordSlot(password = 'hunter2 but longer'): Promise<PasswordSlot> {
  return roundTrip(await createPasswordSlot(master, password, repoId, kdf));
}

describe('password slot', () => {
  it('opens with its password after a JSON round trip, giving back the master secret', async () => {
    const slot = await passwordSlot();
    expect(slot.type).toBe('password');
    expect(slot.kdf).toMatchObject({ name: 'argon2id', ...ARGON2_FLOOR });
    expect(await openPasswordSlot(slot, 'hunter2 but longer', repoId, kdf)).toEqual(master);
  });

  it('wrong password → wrong-password', async () => {
    const slot = await passwordSlot();
    const error = await expectCryptoError(
      openPasswordSlot(slot, 'hunter3 but longer', repoId, kdf),
      'wrong-password',
    );
    expect(error.message).toMatch(/^Wrong password/);
  });

  it('a slot of another repository does not open (the repository id is authenticated)', async () => {
    await expectCryptoError(
      openPasswordSlot(await passwordSlot(), 'hunter2 but longer', otherRepoId, kdf),
      'wrong-password',
    );
  });

  it('editing any Argon2 parameter in the stored JSON makes it fail, even with a KDF that ignores them', async () => {
    const slot = await passwordSlot();
    const edits = [
      { memoryKiB: slot.kdf.memoryKiB * 2 },
      { iterations: slot.kdf.iterations + 1 },
      { parallelism: slot.kdf.parallelism + 1 },
    ];
    for (const edit of edits) {
      const tampered = { ...slot, kdf: { ...slot.kdf, ...edit } };
      await expectCryptoError(
        openPasswordSlot(tampered, 'hunter2 but longer', repoId, kdf),
        'wrong-password',
      );
    }
  });

  it('refuses parameters below the floor, when creating and when opening, before running the KDF', async () => {
    for (const field of ['memoryKiB', 'iterations', 'parallelism'] as const) {
      const weak = { ...ARGON2_FLOOR, [field]: ARGON2_FLOOR[field] - 1 };
      const error = await expectCryptoError(
        createPasswordSlot(master, 'pw', repoId, { ...kdf, params: weak }),
        'invalid-argument',
      );
      expect(error.message).toMatch(new RegExp(`options\\.params\\.${field} \\d+ is below the minimum`));
    }
    const slot = await passwordSlot();
    fastKdf.mockClear();
    const downgraded = { ...slot, kdf: { ...slot.kdf, memoryKiB: 1024 } };
    const error = await expectCryptoError(
      openPasswordSlot(downgraded, 'hunter2 but longer', repoId, kdf),
      'invalid-argument',
    );
    expect(error.message).toMatch(/slot\.kdf\.memoryKiB 1024 is below the minimum 65536/);
    expect(fastKdf).not.toHaveBeenCalled();
  });

  it('refuses hostile parameters above the ceiling', async () => {
    const slot = await passwordSlot();
    for (const field of ['memoryKiB', 'iterations', 'parallelism'] as const) {
      const hostile = { ...slot, kdf: { ...slot.kdf, [field]: ARGON2_CEILING[field] + 1 } };
      await expectCryptoError(
        openPasswordSlot(hostile, 'hunter2 but longer', repoId, kdf),
        'invalid-argument',
      );
    }
    await expectCryptoError(
      createPasswordSlot(master, 'pw', repoId, { ...kdf, params: { ...ARGON2_FLOOR, memoryKiB: 2 ** 40 } }),
      'invalid-argument',
    );
  });

  it('stores the calibrated parameters it was given, and authenticates them', async () => {
    const params = { memoryKiB: 262144, iterations: 4, parallelism: 4 };
    const slot = roundTrip(await createPasswordSlot(master, 'pw', repoId, { ...kdf, params }));
    expect(slot.kdf).toMatchObject(params);
    expect(fastKdf).toHaveBeenLastCalledWith(expect.objectContaining({ params, length: 32 }));
    expect(await openPasswordSlot(slot, 'pw', repoId, kdf)).toEqual(master);
  });

  it('normalises passwords to NFC and refuses empty or ill-formed ones', async () => {
    const slot = roundTrip(await createPasswordSlot(master, 'Crème brûlée', repoId, kdf));
    expect(await openPasswordSlot(slot, 'Crème brûlée'.normalize('NFD'), repoId, kdf)).toEqual(master);
    await expectCryptoError(createPasswordSlot(master, '', repoId, kdf), 'invalid-argument');
    await expectCryptoError(createPasswordSlot(master, 'ab\uD800cd', repoId, kdf), 'invalid-argument');
    await expectCryptoError(openPasswordSlot(slot, 42 as unknown as string, repoId, kdf), 'invalid-argument');
    expect(
      await openPasswordSlot(
        roundTrip(await createPasswordSlot(master, '🔑 emoji', repoId, kdf)),
        '🔑 emoji',
        repoId,
        kdf,
      ),
    ).toEqual(master);
  });

  it('reports a failing or misbehaving Argon2 function as a CryptoError', async () => {
    const throwing: Argon2idFunction = async () => {
      throw new RangeError('out of memory');
    };
    const error = await expectCryptoError(
      createPasswordSlot(master, 'pw', repoId, { argon2id: throwing }),
      'invalid-argument',
    );
    expect(error.message).toMatch(/Argon2id could not run with 65536 KiB, t=3, p=4: out of memory/);
    const short: Argon2idFunction = async () => new Uint8Array(16);
    await expectCryptoError(
      createPasswordSlot(master, 'pw', repoId, { argon2id: short }),
      'invalid-argument',
    );
  });
});

describe('changePassword', () => {
  it('rewraps the same master secret under the new password with a fresh salt and nonce', async () => {
    const oldSlot = await passwordSlot('old password');
    const newSlot = roundTrip(await changePassword(oldSlot, 'old password', 'new password', repoId, kdf));
    expect(newSlot.kdf.salt).not.toBe(oldSlot.kdf.salt);
    expect(newSlot.nonce).not.toBe(oldSlot.nonce);
    expect(newSlot.kdf).toMatchObject(ARGON2_FLOOR);
    expect(await openPasswordSlot(newSlot, 'new password', repoId, kdf)).toEqual(master);
    await expectCryptoError(openPasswordSlot(newSlot, 'old password', repoId, kdf), 'wrong-password');
  });

  it('can raise the parameters at the same time, and refuses a wrong old password', async () => {
    const oldSlot = await passwordSlot('old password');
    const params = { ...ARGON2_FLOOR, iterations: 5 };
    const newSlot = await changePassword(oldSlot, 'old password', 'new', repoId, { ...kdf, params });
    expect(newSlot.kdf.iterations).toBe(5);
    await expectCryptoError(changePassword(oldSlot, 'not it', 'new', repoId, kdf), 'wrong-password');
    await expectCryptoError(changePassword(oldSlot, 'old password', '', repoId, kdf), 'invalid-argument');
  });
});

describe('recovery slot', () => {
  const recoveryKey = generateRecoveryKey(seededRandom(20));

  it('opens with its recovery key', async () => {
    const slot = roundTrip(await createRecoverySlot(master, recoveryKey, repoId));
    expect(Object.keys(slot).sort()).toEqual(['nonce', 'salt', 'type', 'wrapped']);
    expect(await openRecoverySlot(slot, recoveryKey, repoId)).toEqual(master);
  });

  it('another valid recovery key → wrong-recovery-key; a mistyped one → recovery-key-checksum', async () => {
    const slot = roundTrip(await createRecoverySlot(master, recoveryKey, repoId));
    await expectCryptoError(
      openRecoverySlot(slot, generateRecoveryKey(seededRandom(21)), repoId),
      'wrong-recovery-key',
    );
    const typo = recoveryKey.slice();
    typo[3]! ^= 0x01;
    await expectCryptoError(openRecoverySlot(slot, typo, repoId), 'recovery-key-checksum');
    await expectCryptoError(openRecoverySlot(slot, recoveryKey, otherRepoId), 'wrong-recovery-key');
  });

  it('an altered slot does not open', async () => {
    const slot = roundTrip(await createRecoverySlot(master, recoveryKey, repoId));
    const salt = Buffer.from(slot.salt, 'base64');
    salt[0]! ^= 1;
    await expectCryptoError(
      openRecoverySlot({ ...slot, salt: salt.toString('base64') }, recoveryKey, repoId),
      'wrong-recovery-key',
    );
  });
});

describe('slot JSON is read strictly', () => {
  it('parseKeySlot dispatches on type and refuses malformed slots', async () => {
    const password = await passwordSlot();
    const recovery = roundTrip(
      await createRecoverySlot(master, generateRecoveryKey(seededRandom(3)), repoId),
    );
    expect(parseKeySlot(password)).toEqual(password);
    expect(parseKeySlot(recovery)).toEqual(recovery);
    const bad: unknown[] = [
      null,
      [],
      'slot',
      { ...password, type: 'fido' },
      { ...password, kdf: { ...password.kdf, name: 'scrypt' } },
      { ...password, kdf: { ...password.kdf, salt: 'AAAA' } },
      { ...password, nonce: `${password.nonce}\n` },
      { ...password, wrapped: password.wrapped.slice(4) },
      { ...recovery, salt: undefined },
      { ...password, kdf: { ...password.kdf, memoryKiB: '65536' } },
      { ...password, kdf: { ...password.kdf, iterations: 3.5 } },
    ];
    for (const value of bad) expectCryptoErrorSync(() => parseKeySlot(value), 'invalid-argument');
    const missing = expectCryptoErrorSync(
      () => parseKeySlot({ ...recovery, nonce: undefined }),
      'invalid-argument',
    );
    expect(missing.message).toBe('slot.nonce must be a base64 string, got undefined');
    const { wrapped: _, ...withoutWrapped } = recovery;
    const absent = expectCryptoErrorSync(() => parseKeySlot(withoutWrapped), 'invalid-argument');
    expect(absent.message).toBe('slot is missing the field "wrapped"');
  });

  it('ignores members it does not know (forward compatibility) and drops them', async () => {
    const password = await passwordSlot();
    const extended = { ...password, label: 'laptop', kdf: { ...password.kdf, hint: 'x' } };
    expect(parseKeySlot(extended)).toEqual(password);
    expect(await openPasswordSlot(extended, 'hunter2 but longer', repoId, kdf)).toEqual(master);
  });

  it('checks the other arguments by name', async () => {
    const slot = await passwordSlot();
    const error = await expectCryptoError(
      openPasswordSlot(slot, 'pw', new Uint8Array(5), kdf),
      'invalid-argument',
    );
    expect(error.message).toBe('repoId must be 32 bytes, got 5');
    await expectCryptoError(createPasswordSlot(new Uint8Array(31), 'pw', repoId, kdf), 'invalid-argument');
    await expectCryptoError(createRecoverySlot(master, new Uint8Array(32), repoId), 'recovery-key-checksum');
    await expectCryptoError(createRecoverySlot(master, new Uint8Array(31), repoId), 'invalid-argument');
  });
});
