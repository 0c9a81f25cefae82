import { fromBase64, toBase64 } from '@/utils/crypto';
import { canonicalJsonBytes } from '@/utils/schema/canonical-json';
import { RepoError } from './errors';

/** The plaintext `config` object (docs/FORMAT.md §8). */
export interface RepoConfig {
  format: typeof REPO_FORMAT;
  version: number;
  /** 64 lowercase hex: the repository id. */
  id: string;
  createdAt: string;
  /** base64 X25519 public key that writers seal to. */
  publicKey: string;
  chunkSizeLog2: number;
  packTargetSize: number;
}

export const REPO_FORMAT = 'chatvault-repository';
/** The newest repository version this code reads and writes. */
export const REPO_VERSION = 1;
/** Drive creates only a few files a second, so packs are large; 32 MiB keeps memory modest. */
export const DEFAULT_PACK_TARGET_SIZE = 32 * 1024 * 1024;
export const MIN_PACK_TARGET_SIZE = 1024 * 1024;
export const MAX_PACK_TARGET_SIZE = 1024 * 1024 * 1024;

export function encodeConfig(config: RepoConfig): Uint8Array {
  return canonicalJsonBytes(config);
}

/** Parses and checks a config; refuses versions newer than this code understands. */
export function decodeConfig(bytes: Uint8Array): RepoConfig {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new RepoError(
      'not-a-repository',
      'The repository config is not valid JSON: this is not a ChatVault backup.',
    );
  }
  if (typeof value !== 'object' || value === null || value.format !== REPO_FORMAT) {
    throw new RepoError(
      'not-a-repository',
      'This folder does not hold a ChatVault backup (config has another format).',
    );
  }
  if (!Number.isInteger(value.version) || (value.version as number) < 1) {
    throw new RepoError('corrupt', 'The repository config has no valid version number.');
  }
  if ((value.version as number) > REPO_VERSION) {
    throw new RepoError(
      'unsupported-version',
      `This backup uses repository format version ${value.version}; this ChatVault reads up to version ${REPO_VERSION}. Update ChatVault to open it.`,
    );
  }
  const bad = (field: string) => new RepoError('corrupt', `The repository config has an invalid ${field}.`);
  if (typeof value.id !== 'string' || !/^[0-9a-f]{64}$/.test(value.id)) throw bad('id');
  if (typeof value.publicKey !== 'string') throw bad('publicKey');
  try {
    if (fromBase64('publicKey', value.publicKey).length !== 32) throw bad('publicKey');
  } catch {
    throw bad('publicKey');
  }
  if (
    !Number.isInteger(value.chunkSizeLog2) ||
    (value.chunkSizeLog2 as number) < 12 ||
    (value.chunkSizeLog2 as number) > 24
  ) {
    throw bad('chunkSizeLog2');
  }
  if (!Number.isInteger(value.packTargetSize) || (value.packTargetSize as number) < 1)
    throw bad('packTargetSize');
  if (typeof value.createdAt !== 'string') throw bad('createdAt');
  return value as unknown as RepoConfig;
}

export function configPublicKey(config: RepoConfig): Uint8Array {
  return fromBase64('config.publicKey', config.publicKey);
}

export function publicKeyText(publicKey: Uint8Array): string {
  return toBase64(publicKey);
}
