import { describe, expect, it } from 'vitest';
import { parseWriterKeys, setUpBackup } from '@/utils/backup/set-up-backup';
import { openRepository, openWriter } from '@/utils/repo/repository';
import { MemoryStorage } from '@/utils/storage/memory';
import { fastArgon2id } from '../repo/helpers';

const options = { argon2id: fastArgon2id };

describe('setting up backups on a device', () => {
  it('creates a backup, returns the recovery key once and keeps only writer keys', async () => {
    const storage = new MemoryStorage();
    const result = await setUpBackup(storage, 'a good long password', options);
    expect(result.created).toBe(true);
    expect(result.recoveryKey).toMatch(/^([0-9a-f]{4}-){15}[0-9a-f]{4}$/);
    expect(Object.keys(result.writerKeys).sort()).toEqual(['idKey', 'publicKey', 'repoId']);
    // What the device keeps is enough to write, and the recovery key opens the backup.
    await openWriter(storage, parseWriterKeys(JSON.parse(JSON.stringify(result.writerKeys))));
    await openRepository(storage, { recoveryKey: result.recoveryKey! });
  });

  it('joins an existing backup with its password (a second computer, a reinstall)', async () => {
    const storage = new MemoryStorage();
    const first = await setUpBackup(storage, 'a good long password', options);
    const second = await setUpBackup(storage, 'a good long password', options);
    expect(second).toEqual({ writerKeys: first.writerKeys, created: false });
    await expect(setUpBackup(storage, 'another password', options)).rejects.toMatchObject({
      code: 'wrong-password',
    });
  });

  it('says the device is not set up when its stored keys are missing or damaged', () => {
    for (const bad of [undefined, {}, { repoId: 'x', publicKey: 'AAAA', idKey: 'AAAA' }]) {
      expect(() => parseWriterKeys(bad)).toThrow(/set your backup password/);
    }
  });
});
