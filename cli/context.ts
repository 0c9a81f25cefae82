import { resolve } from 'node:path';
import { type Credentials, openRepository, type Repository, unlockMaster } from '@/utils/repo/repository';
import { FolderStorage } from '@/utils/storage/folder.node.ts';
import type { Storage } from '@/utils/storage/storage';
import { UsageError } from './exit-codes';
import { readSecret } from './secrets';

/** Options every repository command shares. */
export interface RepoOptions {
  repo?: string;
  'password-file'?: string;
  'recovery-key-file'?: string;
}

export const REPO_OPTIONS = {
  repo: { type: 'string' },
  'password-file': { type: 'string' },
  'recovery-key-file': { type: 'string' },
} as const;

export function storageFor(options: RepoOptions): Storage {
  const dir = options.repo ?? process.env.CHATVAULT_REPOSITORY;
  if (!dir) throw new UsageError('Which repository? Give --repo DIR (or set CHATVAULT_REPOSITORY).');
  return new FolderStorage(resolve(dir));
}

export function readPassword(options: RepoOptions, prompt = 'Backup password: '): Promise<string> {
  return readSecret({
    file: options['password-file'],
    env: 'CHATVAULT_PASSWORD',
    prompt,
    what: 'password',
    fileOption: '--password-file',
  });
}

/** A recovery key when one was offered (file or CHATVAULT_RECOVERY_KEY), else the password. */
export async function readCredentials(options: RepoOptions): Promise<Credentials> {
  if (options['recovery-key-file'] || process.env.CHATVAULT_RECOVERY_KEY) {
    return {
      recoveryKey: await readSecret({
        file: options['recovery-key-file'],
        env: 'CHATVAULT_RECOVERY_KEY',
        prompt: 'Recovery key: ',
        what: 'recovery key',
        fileOption: '--recovery-key-file',
      }),
    };
  }
  return { password: await readPassword(options) };
}

export async function openFromOptions(options: RepoOptions): Promise<Repository> {
  const storage = storageFor(options);
  return openRepository(storage, await readCredentials(options));
}

export async function unlockFromOptions(options: RepoOptions) {
  const storage = storageFor(options);
  return unlockMaster(storage, await readCredentials(options));
}
