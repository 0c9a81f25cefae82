import { calibrateArgon2 } from '@/utils/crypto';
import { initRepository } from '@/utils/repo/repository';
import { type RepoOptions, readPassword, storageFor } from '../context';
import { UsageError } from '../exit-codes';

export const initOptions = {
  'pack-size-mib': { type: 'string' },
  calibrate: { type: 'string' },
} as const;

export async function init(
  options: RepoOptions & { 'pack-size-mib'?: string; calibrate?: string },
): Promise<number> {
  const storage = storageFor(options);
  const password = await readPassword(options, 'New backup password: ');
  if (password.length < 8) throw new UsageError('Choose a password of at least 8 characters.');
  const packTargetSize = options['pack-size-mib']
    ? Number(options['pack-size-mib']) * 1024 * 1024
    : undefined;
  // Calibration raises the Argon2id cost until one unlock takes about this long here.
  const kdfParams = options.calibrate ? await calibrateArgon2(Number(options.calibrate)) : undefined;
  const { repository, recoveryKey } = await initRepository(storage, { password, packTargetSize, kdfParams });
  console.log(
    `Created an encrypted ChatVault backup in ${storage.description} (id ${repository.config.id.slice(0, 12)}).`,
  );
  console.log('');
  console.log('Your recovery key (write it down and keep it somewhere safe; it is shown only now):');
  console.log('');
  console.log(`  ${recoveryKey}`);
  console.log('');
  console.log('Nobody, not even ChatVault, can open this backup without your password or this key.');
  return 0;
}
