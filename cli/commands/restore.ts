import { resolve } from 'node:path';
import { restoreToFolder } from '@/utils/repo/restore-folder.node.ts';
import { resolveSnapshotId } from '@/utils/repo/snapshot';
import { openFromOptions, type RepoOptions } from '../context';
import { EXIT, UsageError } from '../exit-codes';
import { bytes, count } from '../format';

export const restoreOptions = { out: { type: 'string' } } as const;

export async function restore(
  options: RepoOptions & { out?: string },
  positionals: string[],
): Promise<number> {
  const reference = positionals[0];
  if (!reference) throw new UsageError('Which snapshot? Give its id (or a prefix) or "latest".');
  if (!options.out) throw new UsageError('Where to? Give --out DIR.');
  const repository = await openFromOptions(options);
  const id = await resolveSnapshotId(repository, reference);
  const result = await restoreToFolder(repository, id, resolve(options.out));
  const messages = result.dataset.messages.length;
  console.log(
    `Restored snapshot ${id.slice(0, 12)} into ${options.out}: ${count(result.dataset.chats.length, 'chat')}, ${count(messages, 'message')}, ${count(result.mediaFiles, 'media file')} (${bytes(result.mediaBytes)}).`,
  );
  if (result.problems.length === 0) return EXIT.ok;
  console.error(`\n${count(result.problems.length, 'part')} of this backup could not be restored:`);
  for (const p of result.problems) {
    const where =
      p.kind === 'segment'
        ? `${p.messages} messages of ${p.chatId} in ${p.month}`
        : p.kind === 'media'
          ? `media file ${p.filehash}`
          : p.kind === 'chat'
            ? `details of chat ${p.chatId}`
            : 'the contact names';
    console.error(`  - ${where}: ${p.error}`);
  }
  return EXIT.damaged;
}
