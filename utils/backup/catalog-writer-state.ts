import type { Catalog } from '@/utils/catalog/catalog';
import type { WriterState } from '@/utils/repo/backup';
import type { SnapshotMedia } from '@/utils/repo/snapshot';

const LAST_SNAPSHOT = 'lastSnapshot';

interface LastSnapshot {
  id: string;
  media: SnapshotMedia[];
}

/**
 * This device's memory of the repository, kept in the catalog: the blobs it stored (updated at
 * every index checkpoint, so a worker stopped mid-backup does not upload them again) and the
 * last snapshot it wrote. Loaded into memory once per run: lookups happen for every blob.
 */
export async function loadWriterState(catalog: Catalog): Promise<WriterState> {
  const stored = new Set(await catalog.storedBlobs.toCollection().primaryKeys());
  const last = (await catalog.meta.get(LAST_SNAPSHOT))?.value as LastSnapshot | undefined;
  return {
    has: (id) => stored.has(id),
    indexed: async (packs) => {
      const ids = packs.flatMap((pack) => pack.blobs.map((blob) => blob.id));
      await catalog.storedBlobs.bulkPut(ids.map((id) => ({ id })));
      for (const id of ids) stored.add(id);
    },
    parent: last,
  };
}

export async function rememberSnapshot(catalog: Catalog, id: string, media: SnapshotMedia[]): Promise<void> {
  await catalog.meta.put({ key: LAST_SNAPSHOT, value: { id, media } satisfies LastSnapshot });
}
