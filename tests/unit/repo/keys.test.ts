import { describe, expect, it } from 'vitest';
import { isRepoError } from '@/utils/repo/errors';
import {
  changeRepositoryPassword,
  openRepository,
  replaceRecoveryKey,
  unlockMaster,
} from '@/utils/repo/repository';
import { MemoryStorage } from '@/utils/storage/memory';
import { fastArgon2id, newRepository, PASSWORD } from './helpers';

const open = (storage: MemoryStorage, credentials: { password: string } | { recoveryKey: string }) =>
  openRepository(storage, credentials, { argon2id: fastArgon2id });

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('repository keys', () => {
  it('opens with the password and with the recovery key, to the same keys', async () => {
    const storage = new MemoryStorage();
    const { repository, recoveryKey } = await newRepository(storage);
    expect(recoveryKey).toMatch(/^([0-9a-f]{4}-){15}[0-9a-f]{4}$/);
    const byPassword = await open(storage, { password: PASSWORD });
    const byRecovery = await open(storage, { recoveryKey: recoveryKey.toUpperCase().replaceAll('-', ' ') });
    expect(byPassword.keys.publicKey).toEqual(repository.keys.publicKey);
    expect(byRecovery.keys.secretKey).toEqual(repository.keys.secretKey);
  });

  it('gives its own error for a wrong password, a wrong recovery key and a mistyped one', async () => {
    const storage = new MemoryStorage();
    const { recoveryKey } = await newRepository(storage);
    expect(await failure(open(storage, { password: 'nope' }))).toMatchObject({ code: 'wrong-password' });
    const other = (await newRepository(new MemoryStorage())).recoveryKey;
    expect(await failure(open(storage, { recoveryKey: other }))).toMatchObject({
      code: 'wrong-recovery-key',
    });
    const typo = `${recoveryKey.slice(0, 5)}${recoveryKey[5] === 'a' ? 'b' : 'a'}${recoveryKey.slice(6)}`;
    const error = await failure(open(storage, { recoveryKey: typo }));
    expect(error).toMatchObject({ code: 'wrong-recovery-key' });
    expect((error as Error).message).toMatch(/mistyped/i);
  });

  it('changes the password by rewriting one slot only', async () => {
    const storage = new MemoryStorage();
    await newRepository(storage);
    const before = new Map<string, Uint8Array>();
    for await (const info of storage.list('')) before.set(info.name, await storage.get(info.name));
    const { repository, master } = await unlockMaster(
      storage,
      { password: PASSWORD },
      { argon2id: fastArgon2id },
    );
    await changeRepositoryPassword(repository, master, 'a new password', { argon2id: fastArgon2id });
    const after = new Map<string, Uint8Array>();
    for await (const info of storage.list('')) after.set(info.name, await storage.get(info.name));
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
      (name) =>
        !before.has(name) || !after.has(name) || Buffer.compare(before.get(name)!, after.get(name)!) !== 0,
    );
    // The old password slot went, a new one came; config, recovery slot and data are untouched.
    expect(changed).toHaveLength(2);
    expect(changed.every((name) => name.startsWith('keys/'))).toBe(true);
    expect(await failure(open(storage, { password: PASSWORD }))).toMatchObject({ code: 'wrong-password' });
    expect((await open(storage, { password: 'a new password' })).keys.secretKey).toEqual(
      repository.keys.secretKey,
    );
  });

  it('issues a new recovery key and revokes the old one', async () => {
    const storage = new MemoryStorage();
    const { recoveryKey } = await newRepository(storage);
    const { repository, master } = await unlockMaster(
      storage,
      { password: PASSWORD },
      { argon2id: fastArgon2id },
    );
    const fresh = await replaceRecoveryKey(repository, master);
    expect(await failure(open(storage, { recoveryKey }))).toMatchObject({ code: 'wrong-recovery-key' });
    expect((await open(storage, { recoveryKey: fresh })).config.id).toBe(repository.config.id);
  });

  it('refuses to initialise twice, a folder that is no repository, and a newer version', async () => {
    const storage = new MemoryStorage();
    await newRepository(storage);
    expect(isRepoError(await failure(newRepository(storage)), 'already-initialised')).toBe(true);
    expect(await failure(open(new MemoryStorage(), { password: PASSWORD }))).toMatchObject({
      code: 'not-a-repository',
    });
    const config = JSON.parse(new TextDecoder().decode(await storage.get('config')));
    await storage.put('config', new TextEncoder().encode(JSON.stringify({ ...config, version: 2 })));
    const error = await failure(open(storage, { password: PASSWORD }));
    expect(error).toMatchObject({ code: 'unsupported-version' });
    expect((error as Error).message).toContain('version 2');
  });

  it('refuses a config whose public key was replaced', async () => {
    const storage = new MemoryStorage();
    await newRepository(storage);
    const attacker = await newRepository(new MemoryStorage());
    const config = JSON.parse(new TextDecoder().decode(await storage.get('config')));
    await storage.put(
      'config',
      new TextEncoder().encode(
        JSON.stringify({ ...config, publicKey: attacker.repository.config.publicKey }),
      ),
    );
    expect(await failure(open(storage, { password: PASSWORD }))).toMatchObject({ code: 'config-mismatch' });
  });
});
