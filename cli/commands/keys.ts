import { changeRepositoryPassword, replaceRecoveryKey } from '@/utils/repo/repository';
import { type RepoOptions, unlockFromOptions } from '../context';
import { UsageError } from '../exit-codes';
import { readSecret } from '../secrets';

export const passwdOptions = { 'new-password-file': { type: 'string' } } as const;

/** Changes the password: one key slot is rewritten, no backup data is touched. */
export async function passwd(options: RepoOptions & { 'new-password-file'?: string }): Promise<number> {
  const { repository, master } = await unlockFromOptions(options);
  try {
    const newPassword = await readSecret({
      file: options['new-password-file'],
      env: 'CHATVAULT_NEW_PASSWORD',
      prompt: 'New backup password: ',
      what: 'new password',
      fileOption: '--new-password-file',
    });
    if (newPassword.length < 8) throw new UsageError('Choose a password of at least 8 characters.');
    await changeRepositoryPassword(repository, master, newPassword);
  } finally {
    master.fill(0);
  }
  console.log('Password changed. Nothing else was re-encrypted or uploaded.');
  return 0;
}

/** Issues a new recovery key; the old one stops working. */
export async function recoveryKey(options: RepoOptions): Promise<number> {
  const { repository, master } = await unlockFromOptions(options);
  let key: string;
  try {
    key = await replaceRecoveryKey(repository, master);
  } finally {
    master.fill(0);
  }
  console.log('Your new recovery key (the old one no longer works; write this one down):');
  console.log('');
  console.log(`  ${key}`);
  return 0;
}
