import { type Argon2idFunction, type Argon2Params, fromBase64, toBase64 } from '@/utils/crypto';
import { isRepoError, RepoError } from '@/utils/repo/errors';
import { initRepository, openRepository, readConfig } from '@/utils/repo/repository';
import type { Storage } from '@/utils/storage/storage';

/**
 * What this device keeps to make backups unattended: the writer keys (FORMAT §3.3) — enough to
 * seal and name objects, not to open any. JSON-safe, for browser.storage.local.
 */
export interface StoredWriterKeys {
  repoId: string;
  publicKey: string;
  idKey: string;
}

export interface SetUpResult {
  writerKeys: StoredWriterKeys;
  /** True when a new backup was created; false when this device joined an existing one. */
  created: boolean;
  /** Shown once, only for a new backup; never stored. */
  recoveryKey?: string;
}

/**
 * Sets this device up to back up into `storage`: creates a new encrypted backup with the
 * password, or — when the storage already holds one (the user's other computer, or a reinstall)
 * — unlocks it with the password to derive the writer keys. The password, the master secret and
 * the private key are used here and dropped; only the writer keys are returned.
 */
export async function setUpBackup(
  storage: Storage,
  password: string,
  options: { kdfParams?: Argon2Params; argon2id?: Argon2idFunction } = {},
): Promise<SetUpResult> {
  let existing = true;
  try {
    await readConfig(storage);
  } catch (error) {
    if (!isRepoError(error, 'not-a-repository')) throw error;
    existing = false;
  }
  if (existing) {
    const repository = await openRepository(storage, { password }, { argon2id: options.argon2id });
    return { writerKeys: toStored(repository.config.id, repository.keys), created: false };
  }
  const { repository, recoveryKey } = await initRepository(storage, {
    password,
    kdfParams: options.kdfParams,
    argon2id: options.argon2id,
  });
  return { writerKeys: toStored(repository.config.id, repository.keys), created: true, recoveryKey };
}

function toStored(repoId: string, keys: { publicKey: Uint8Array; idKey: Uint8Array }): StoredWriterKeys {
  return { repoId, publicKey: toBase64(keys.publicKey), idKey: toBase64(keys.idKey) };
}

/** Writer keys back from storage, checked: a damaged record is a clear error, not a crash. */
export function parseWriterKeys(value: unknown): {
  repoId: string;
  publicKey: Uint8Array;
  idKey: Uint8Array;
} {
  const record = value as Partial<StoredWriterKeys> | undefined;
  try {
    if (typeof record?.repoId !== 'string' || !/^[0-9a-f]{64}$/.test(record.repoId))
      throw new Error('repoId');
    const publicKey = fromBase64('publicKey', record.publicKey);
    const idKey = fromBase64('idKey', record.idKey);
    if (publicKey.length !== 32 || idKey.length !== 32) throw new Error('key length');
    return { repoId: record.repoId, publicKey, idKey };
  } catch {
    throw new RepoError(
      'invalid-argument',
      'This device is not set up for backups yet: set your backup password in ChatVault settings.',
    );
  }
}
