import { listSnapshots } from '@/utils/repo/snapshot';
import { openFromOptions, type RepoOptions } from '../context';
import { EXIT } from '../exit-codes';
import { bytes } from '../format';

export const snapshotsOptions = { json: { type: 'boolean' } } as const;

export async function snapshots(options: RepoOptions & { json?: boolean }): Promise<number> {
  const repository = await openFromOptions(options);
  const all = await listSnapshots(repository);
  if (options.json) {
    console.log(
      JSON.stringify(
        all.map(({ id, snapshot }) => ({
          id,
          time: snapshot.time,
          host: snapshot.host,
          stats: snapshot.stats,
        })),
        null,
        2,
      ),
    );
    return 0;
  }
  if (all.length === 0 && all.damaged.length === 0) {
    console.log('No snapshots yet. Run `chatvault backup` to make one.');
    return EXIT.ok;
  }
  console.log('ID            Time (UTC)            Chats  Messages   Media       Size');
  for (const { id, snapshot } of all) {
    const s = snapshot.stats;
    console.log(
      `${id.slice(0, 12)}  ${snapshot.time.slice(0, 19).replace('T', ' ')}  ${String(s.chats).padStart(5)}  ${String(s.messages).padStart(8)}  ${String(s.media).padStart(6)}  ${bytes(s.mediaBytes).padStart(9)}`,
    );
  }
  for (const { id, error } of all.damaged) console.error(`${id.slice(0, 12)}  cannot be read: ${error}`);
  return all.damaged.length > 0 ? EXIT.damaged : EXIT.ok;
}
