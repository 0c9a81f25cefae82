import { streamBlob } from '@/utils/repo/blob-reader';
import { RepoError } from '@/utils/repo/errors';
import { loadIndex, type RepoIndex } from '@/utils/repo/index-file';
import type { Repository } from '@/utils/repo/repository';
import { restoreSnapshot } from '@/utils/repo/restore';
import type { Snapshot } from '@/utils/repo/snapshot';
import type { Filehash } from '@/utils/schema/types';
import type { ArchiveSource } from './archive';
import { ArchiveError } from './errors';

export interface SnapshotArchiveSource extends ArchiveSource {
  snapshotId: string;
  snapshot: Snapshot;
}

/**
 * An archive source for one backup snapshot (docs/FORMAT.md §14). The dataset and the losses
 * among chats, segments and contacts come from utils/repo's restoreSnapshot with `skipMedia`;
 * media bytes are then streamed on demand, when
 * the archive writer reaches each file — verified against their ids as they stream — so the
 * archive can name and place them first and every byte is decrypted exactly once per copy.
 */
export async function snapshotArchiveSource(
  repository: Repository,
  snapshotId: string,
  options: { index?: RepoIndex } = {},
): Promise<SnapshotArchiveSource> {
  if (repository === null || typeof repository !== 'object' || !repository.storage) {
    throw new ArchiveError('invalid-argument', 'repository must be an open Repository');
  }
  if (typeof snapshotId !== 'string' || !/^[0-9a-f]{64}$/.test(snapshotId)) {
    throw new ArchiveError('invalid-argument', 'snapshotId must be a full snapshot id (64 hex digits)');
  }
  const index = options.index ?? (await loadIndex(repository));
  const result = await restoreSnapshot(repository, snapshotId, {
    index,
    // Media are read later, one at a time, straight into the archive.
    skipMedia: true,
  });
  const blobs = new Map<Filehash, { blob: string; size: number }>();
  for (const media of result.snapshot.media)
    blobs.set(media.filehash, { blob: media.blob, size: media.size });
  return {
    snapshotId,
    snapshot: result.snapshot,
    dataset: result.dataset,
    problems: result.problems,
    description: describeSnapshot(snapshotId, result.snapshot),
    mediaSize: (filehash) => blobs.get(filehash)?.size,
    readMedia(filehash, sink) {
      const entry = blobs.get(filehash);
      if (!entry) {
        return Promise.reject(
          new RepoError(
            'missing-data',
            `Media ${filehash} is not part of snapshot ${snapshotId.slice(0, 12)}.`,
          ),
        );
      }
      return streamBlob(repository, index, entry.blob, sink);
    },
  };
}

function describeSnapshot(id: string, snapshot: Snapshot): string {
  const time = Number.isNaN(Date.parse(snapshot.time))
    ? snapshot.time
    : `${new Date(snapshot.time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `the backup of ${time} (snapshot ${id.slice(0, 12)}${snapshot.host ? `, made on ${snapshot.host}` : ''})`;
}
