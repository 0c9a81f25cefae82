import { checkRepository } from '@/utils/repo/maintenance';
import { openFromOptions, type RepoOptions } from '../context';
import { EXIT } from '../exit-codes';
import { bytes, count } from '../format';

export const checkOptions = { 'read-data': { type: 'boolean' } } as const;

export async function check(options: RepoOptions & { 'read-data'?: boolean }): Promise<number> {
  const repository = await openFromOptions(options);
  const report = await checkRepository(repository, { readData: options['read-data'] });
  const read = options['read-data']
    ? `, read and verified ${count(report.blobs, 'object')} (${bytes(report.readBytes)})`
    : '';
  console.log(`Checked ${count(report.snapshots, 'snapshot')} and ${count(report.packs, 'pack')}${read}.`);
  if (report.errors.length === 0) {
    console.log('No errors found.');
    return EXIT.ok;
  }
  console.error(`${count(report.errors.length, 'problem')} found:`);
  for (const error of report.errors) console.error(`  - ${error}`);
  return EXIT.damaged;
}
