import {
  type Argon2idFunction,
  type Argon2Params,
  createPasswordSlot,
  createRecoverySlot,
  DEFAULT_CHUNK_SIZE,
  deriveRepositoryKeys,
  formatRecoveryKey,
  formatRepositoryId,
  generateMasterSecret,
  generateRecoveryKey,
  generateRepositoryId,
  isCryptoError,
  type KeySlot,
  openPasswordSlot,
  openRecoverySlot,
  parseKeySlot,
  parseRecoveryKey,
  parseRepositoryId,
  type RandomSource,
  type RepositoryKeys,
} from '@/utils/crypto';
import { canonicalJsonBytes } from '@/utils/schema/canonical-json';
import { isStorageError, type Storage } from '@/utils/storage/storage';
import {
  configPublicKey,
  DEFAULT_PACK_TARGET_SIZE,
  decodeConfig,
  encodeConfig,
  MAX_PACK_TARGET_SIZE,
  MIN_PACK_TARGET_SIZE,
  publicKeyText,
  REPO_FORMAT,
  REPO_VERSION,
  type RepoConfig,
} from './config';
import { RepoError } from './errors';
import { CONFIG_NAME, idFromName, KEYS_PREFIX, keyName, slotIdOf } from './names';

/**
 * What writing a backup needs and no more: the device that makes backups holds only these keys
 * (FORMAT §3.3). It can seal and name objects; it cannot open any.
 */
export interface RepositoryWriter {
  storage: Storage;
  config: RepoConfig;
  keys: { publicKey: Uint8Array; idKey: Uint8Array };
  /** STREAM chunk size writers use (from config). */
  chunkSize: number;
}

/** An unlocked repository: everything reading needs too. */
export interface Repository extends RepositoryWriter {
  repoId: Uint8Array;
  keys: RepositoryKeys;
}

export interface KeyOptions {
  /** Argon2id parameters for a new password slot (from calibrateArgon2); default: the floor. */
  kdfParams?: Argon2Params;
  /** Replaces Argon2id (tests only). */
  argon2id?: Argon2idFunction;
  random?: RandomSource;
}

export interface InitOptions extends KeyOptions {
  password: string;
  packTargetSize?: number;
  chunkSizeLog2?: number;
  now?: () => Date;
}

export type Credentials = { password: string } | { recoveryKey: string };

/**
 * Creates a new repository: config, a password slot and a recovery-key slot. Returns the
 * recovery key (formatted for writing down); it is shown once and stored nowhere.
 */
export async function initRepository(
  storage: Storage,
  options: InitOptions,
): Promise<{ repository: Repository; recoveryKey: string }> {
  if (await storage.stat(CONFIG_NAME)) {
    throw new RepoError('already-initialised', `${storage.description} already holds a ChatVault backup.`);
  }
  const packTargetSize = options.packTargetSize ?? DEFAULT_PACK_TARGET_SIZE;
  if (
    !Number.isInteger(packTargetSize) ||
    packTargetSize < MIN_PACK_TARGET_SIZE ||
    packTargetSize > MAX_PACK_TARGET_SIZE
  ) {
    throw new RepoError(
      'invalid-argument',
      `packTargetSize must be between 1 MiB and 1 GiB, got ${packTargetSize}.`,
    );
  }
  const chunkSizeLog2 = options.chunkSizeLog2 ?? Math.log2(DEFAULT_CHUNK_SIZE);
  const repoId = generateRepositoryId(options.random);
  const master = generateMasterSecret(options.random);
  const keys = deriveRepositoryKeys(master, repoId);
  const config: RepoConfig = {
    format: REPO_FORMAT,
    version: REPO_VERSION,
    id: formatRepositoryId(repoId),
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    publicKey: publicKeyText(keys.publicKey),
    chunkSizeLog2,
    packTargetSize,
  };
  const recoveryKey = generateRecoveryKey(options.random);
  const passwordSlot = await createPasswordSlot(master, options.password, repoId, {
    params: options.kdfParams,
    random: options.random,
    argon2id: options.argon2id,
  });
  const recoverySlot = await createRecoverySlot(master, recoveryKey, repoId, { random: options.random });
  master.fill(0);
  // Slots first, config last: a config is what makes a folder a repository, so an interrupted
  // init leaves no repository that nobody can unlock.
  await storeSlot(storage, passwordSlot);
  await storeSlot(storage, recoverySlot);
  await storage.put(CONFIG_NAME, encodeConfig(config));
  return {
    repository: { storage, config, repoId, keys, chunkSize: 2 ** chunkSizeLog2 },
    recoveryKey: formatRecoveryKey(recoveryKey),
  };
}

export async function readConfig(storage: Storage): Promise<RepoConfig> {
  try {
    return decodeConfig(await storage.get(CONFIG_NAME));
  } catch (error) {
    if (isStorageError(error, 'not-found')) {
      throw new RepoError(
        'not-a-repository',
        `${storage.description} holds no ChatVault backup (no config file).`,
      );
    }
    throw error;
  }
}

async function storeSlot(storage: Storage, slot: KeySlot): Promise<void> {
  const bytes = canonicalJsonBytes(slot);
  await storage.put(keyName(await slotIdOf(bytes)), bytes);
}

export interface StoredSlot {
  id: string;
  slot: KeySlot;
}

/** Intact key slots, and the names of damaged ones (content not matching its name, or unparsable). */
export async function readKeySlots(storage: Storage): Promise<StoredSlot[] & { damaged: string[] }> {
  const slots = Object.assign([] as StoredSlot[], { damaged: [] as string[] });
  for await (const info of storage.list(KEYS_PREFIX)) {
    const id = idFromName(info.name, KEYS_PREFIX);
    if (!id) continue;
    try {
      const bytes = await storage.get(info.name);
      if ((await slotIdOf(bytes)) !== id) throw new Error('content does not match its name');
      slots.push({ id, slot: parseKeySlot(JSON.parse(new TextDecoder().decode(bytes))) });
    } catch {
      // A damaged slot must not stop the user from unlocking with another one; check reports it.
      slots.damaged.push(info.name);
    }
  }
  return slots;
}

/** Unlocks with a password or a recovery key; each wrong one has its own clear error. */
export async function openRepository(
  storage: Storage,
  credentials: Credentials,
  options: Pick<KeyOptions, 'argon2id'> = {},
): Promise<Repository> {
  const { repository, master } = await unlockMaster(storage, credentials, options);
  master.fill(0);
  return repository;
}

/**
 * Unlocks and also returns the master secret, which only the key-management operations below
 * need (callers zero it when done).
 */
export async function unlockMaster(
  storage: Storage,
  credentials: Credentials,
  options: Pick<KeyOptions, 'argon2id'> = {},
): Promise<{ repository: Repository; master: Uint8Array }> {
  const config = await readConfig(storage);
  const repoId = parseRepositoryId(config.id);
  const byPassword = 'password' in credentials;
  const slots = await readKeySlots(storage);
  const candidates = slots.filter((s) => s.slot.type === (byPassword ? 'password' : 'recovery'));
  if (candidates.length === 0) {
    if (slots.damaged.length > 0) {
      throw new RepoError(
        'corrupt',
        `This backup's key files are damaged (${slots.damaged.join(', ')}); unlock with your ${byPassword ? 'recovery key' : 'password'} instead.`,
      );
    }
    throw new RepoError('no-key-slot', `This backup has no ${byPassword ? 'password' : 'recovery key'} set.`);
  }
  let recoveryBytes: Uint8Array | undefined;
  if (!byPassword) {
    try {
      recoveryBytes = parseRecoveryKey(credentials.recoveryKey);
    } catch (error) {
      throw new RepoError('wrong-recovery-key', (error as Error).message, { cause: error });
    }
  }
  for (const { slot } of candidates) {
    let master: Uint8Array;
    try {
      master = byPassword
        ? await openPasswordSlot(slot, credentials.password, repoId, { argon2id: options.argon2id })
        : await openRecoverySlot(slot, recoveryBytes!, repoId);
    } catch (error) {
      if (isCryptoError(error) && (error.code === 'wrong-password' || error.code === 'wrong-recovery-key'))
        continue;
      throw error;
    }
    const keys = deriveRepositoryKeys(master, repoId);
    if (publicKeyText(keys.publicKey) !== publicKeyText(configPublicKey(config))) {
      master.fill(0);
      throw new RepoError(
        'config-mismatch',
        'The repository config does not match its keys: it was altered. Do not back up into it; restore from a copy.',
      );
    }
    return { repository: { storage, config, repoId, keys, chunkSize: 2 ** config.chunkSizeLog2 }, master };
  }
  throw byPassword
    ? new RepoError('wrong-password', 'Wrong password for this backup.')
    : new RepoError('wrong-recovery-key', 'This recovery key does not open this backup.');
}

/**
 * Replaces every password slot with one for `newPassword`. Only the slot is rewritten: the
 * master secret, and so every stored object, stays the same. The new slot is stored before the
 * old ones are removed, so an interruption never leaves the repository without a password.
 */
export async function changeRepositoryPassword(
  repository: Repository,
  master: Uint8Array,
  newPassword: string,
  options: KeyOptions = {},
): Promise<void> {
  const old = (await readKeySlots(repository.storage)).filter((s) => s.slot.type === 'password');
  const slot = await createPasswordSlot(master, newPassword, repository.repoId, {
    params: options.kdfParams,
    random: options.random,
    argon2id: options.argon2id,
  });
  await storeSlot(repository.storage, slot);
  for (const { id } of old) await repository.storage.delete(keyName(id));
}

/** Issues a new recovery key and revokes the old ones (same ordering rule as above). */
export async function replaceRecoveryKey(
  repository: Repository,
  master: Uint8Array,
  options: KeyOptions = {},
): Promise<string> {
  const old = (await readKeySlots(repository.storage)).filter((s) => s.slot.type === 'recovery');
  const recoveryKey = generateRecoveryKey(options.random);
  const slot = await createRecoverySlot(master, recoveryKey, repository.repoId, { random: options.random });
  await storeSlot(repository.storage, slot);
  for (const { id } of old) await repository.storage.delete(keyName(id));
  return formatRecoveryKey(recoveryKey);
}

/**
 * Opens a repository for writing with the writer keys kept on this device. The public key was
 * pinned when the device was set up; a config announcing another key (someone replaced it to
 * make us seal to them) is refused.
 */
export async function openWriter(
  storage: Storage,
  writerKeys: { publicKey: Uint8Array; idKey: Uint8Array; repoId: string },
): Promise<RepositoryWriter> {
  const config = await readConfig(storage);
  if (config.id !== writerKeys.repoId || config.publicKey !== publicKeyText(writerKeys.publicKey)) {
    throw new RepoError(
      'config-mismatch',
      'The backup in this storage is not the one this device was set up for (or its config was altered). Set the backup up again with your password.',
    );
  }
  return {
    storage,
    config,
    keys: { publicKey: writerKeys.publicKey, idKey: writerKeys.idKey },
    chunkSize: 2 ** config.chunkSizeLog2,
  };
}
