import { describe, expect, it } from 'vitest';
import { isCryptoError, openObject } from '@/utils/crypto';
import { type WriterState, writeBackup } from '@/utils/repo/backup';
import type { PackEntry } from '@/utils/repo/index-file';
import { openWriter } from '@/utils/repo/repository';
import { restoreSnapshot } from '@/utils/repo/restore';
import type { SnapshotMedia } from '@/utils/repo/snapshot';
import { canonicalJson } from '@/utils/schema/canonical-json';
import { sortDataset } from '@/utils/schema/order';
import { MemoryStorage } from '@/utils/storage/memory';
import { bytesOf, filehashOf, newRepository, photoMessage, smallDataset, sourceOf } from './helpers';

/** What the extension keeps in its catalog between backups, here in memory. */
function rememberedState() {
  const stored = new Set<string>();
  const state: WriterState & { parentMedia?: SnapshotMedia[] } = {
    has: (id) => stored.has(id),
    indexed: (packs: PackEntry[]) => {
      for (const pack of packs) for (const blob of pack.blobs) stored.add(blob.id);
    },
  };
  return { state, stored };
}

describe('a device with only the writer keys', () => {
  it('backs up incrementally, cannot open what it wrote, and the password holder restores it', async () => {
    const storage = new MemoryStorage();
    const { repository } = await newRepository(storage);
    const device = await openWriter(storage, {
      repoId: repository.config.id,
      publicKey: repository.keys.publicKey,
      idKey: repository.keys.idKey,
    });
    expect(Object.keys(device.keys).sort()).toEqual(['idKey', 'publicKey']);

    const { dataset, media } = smallDataset();
    const { state, stored } = rememberedState();
    const first = await writeBackup(device, sourceOf(dataset, media), state);
    expect(stored.size).toBe(first.snapshot.stats.newBlobs);

    const photo = bytesOf(77, 40_000);
    media.set(filehashOf(photo), photo);
    const changed = {
      ...dataset,
      messages: [...dataset.messages, photoMessage('111@c.us', 500, 1_706_000_000, photo)],
    };
    const second = await writeBackup(device, sourceOf(changed, media), {
      ...state,
      parent: { id: first.snapshotId, media: first.snapshot.media },
    });
    // The new photo and the segment of the month it landed in, nothing else.
    expect(second.snapshot.stats.newBlobs).toBe(2);
    expect(second.snapshot.parent).toBe(first.snapshotId);

    // Nothing the device wrote opens with anything the device holds.
    const sealed = await storage.get(`snapshots/${second.snapshotId}`);
    await expect(openObject(sealed, device.keys.idKey)).rejects.toSatisfy(isCryptoError);

    const restored = await restoreSnapshot(repository, second.snapshotId);
    expect(restored.problems).toEqual([]);
    expect(canonicalJson(restored.dataset)).toBe(canonicalJson(sortDataset(changed)));
  });

  it('refuses a repository whose config announces another key than the one it pinned', async () => {
    const storage = new MemoryStorage();
    const { repository } = await newRepository(storage);
    const other = await newRepository(new MemoryStorage());
    await expect(
      openWriter(storage, {
        repoId: repository.config.id,
        publicKey: other.repository.keys.publicKey,
        idKey: repository.keys.idKey,
      }),
    ).rejects.toMatchObject({ code: 'config-mismatch' });
  });
});
