import { forgetSnapshots, type PruneReport, prune as pruneRepository } from '@/utils/repo/maintenance';
import { openFromOptions, type RepoOptions } from '../context';
import { UsageError } from '../exit-codes';
import { bytes, count } from '../format';

export const forgetOptions = {
  'keep-last': { type: 'string' },
  'keep-daily': { type: 'string' },
  'keep-weekly': { type: 'string' },
  'keep-monthly': { type: 'string' },
  prune: { type: 'boolean' },
} as const;

type ForgetArgs = RepoOptions & {
  'keep-last'?: string;
  'keep-daily'?: string;
  'keep-weekly'?: string;
  'keep-monthly'?: string;
  prune?: boolean;
};

function count0(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} needs a whole number, got "${value}".`);
  return n;
}

export async function forget(options: ForgetArgs): Promise<number> {
  const repository = await openFromOptions(options);
  const removed = await forgetSnapshots(repository, {
    last: count0(options['keep-last'], 'keep-last'),
    daily: count0(options['keep-daily'], 'keep-daily'),
    weekly: count0(options['keep-weekly'], 'keep-weekly'),
    monthly: count0(options['keep-monthly'], 'keep-monthly'),
  });
  console.log(`Removed ${count(removed.length, 'snapshot')}.`);
  if (options.prune) {
    const report = await pruneRepository(repository);
    console.log(describePrune(report));
  }
  return 0;
}

export async function prune(options: RepoOptions): Promise<number> {
  const repository = await openFromOptions(options);
  const report = await pruneRepository(repository);
  console.log(describePrune(report));
  return 0;
}

function describePrune(report: PruneReport): string {
  return `Deleted ${count(report.deletedPacks, 'pack')} (${bytes(report.deletedBytes)}), of which ${report.repackedPacks} had their live data moved; ${count(report.keptPacks, 'pack')} in use.`;
}
