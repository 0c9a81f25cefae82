import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { backupDataset } from '@/utils/repo/backup';
import { openFromOptions, type RepoOptions } from '../context';
import { datasetFolderSource } from '../dataset-source';
import { UsageError } from '../exit-codes';
import { bytes, count } from '../format';

export const backupOptions = { dataset: { type: 'string' }, quiet: { type: 'boolean' } } as const;

export async function backup(options: RepoOptions & { dataset?: string; quiet?: boolean }): Promise<number> {
  if (!options.dataset)
    throw new UsageError('Which dataset? Give --dataset DIR (a folder with dataset.json and media/).');
  const repository = await openFromOptions(options);
  const source = await datasetFolderSource(resolve(options.dataset));
  const { snapshotId, snapshot } = await backupDataset(repository, source, {
    host: `chatvault-cli@${hostname()}`,
    onWarning: (message) => console.warn(`warning: ${message}`),
    onProgress: options.quiet
      ? undefined
      : (p) => {
          if (p.phase === 'commit' && p.done === 0) process.stderr.write('Committing…\n');
        },
  });
  const s = snapshot.stats;
  console.log(
    `Snapshot ${snapshotId.slice(0, 12)} saved: ${count(s.chats, 'chat')}, ${count(s.messages, 'message')}, ${count(s.media, 'media file')} (${bytes(s.mediaBytes)}).`,
  );
  console.log(
    `Added ${count(s.newBlobs, 'new object')}, ${bytes(s.addedBytes)} uploaded, in ${(s.durationMs / 1000).toFixed(1)} s.`,
  );
  return 0;
}
