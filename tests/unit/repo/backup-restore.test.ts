import { describe, expect, it } from 'vitest';
import { backupDataset } from '@/utils/repo/backup';
import { loadIndex } from '@/utils/repo/index-file';
import { checkRepository, forgetSnapshots, prune } from '@/utils/repo/maintenance';
import { restoreSnapshot } from '@/utils/repo/restore';
import { listSnapshots } from '@/utils/repo/snapshot';
import { canonicalJson } from '@/utils/schema/canonical-json';
import { sortDataset } from '@/utils/schema/order';
import type { Dataset } from '@/utils/schema/types';
import { MemoryStorage } from '@/utils/storage/memory';
import { CountingStorage } from '../../support/counting-storage';
import { FaultyStorage } from '../../support/faulty-storage';
import {
  bytesOf,
  collectMedia,
  filehashOf,
  newRepository,
  photoMessage,
  smallDataset,
  sourceOf,
  textMessage,
} from './helpers';

const same = (a: Dataset, b: Dataset) =>
  expect(canonicalJson(sortDataset(a))).toBe(canonicalJson(sortDataset(b)));

describe('backup and restore', () => {
  it('round-trips a dataset and its media exactly, including media streamed in their own pack', async () => {
    const storage = new MemoryStorage();
    const { repository } = await newRepository(storage, { packTargetSize: 1024 * 1024 });
    const { dataset, media } = smallDataset({ bigMedia: true });
    const { snapshotId, snapshot } = await backupDataset(repository, sourceOf(dataset, media));
    expect(snapshot.stats).toMatchObject({ chats: 2, messages: dataset.messages.length, media: media.size });
    const sink = await collectMedia();
    const restored = await restoreSnapshot(repository, snapshotId, { onMedia: sink.onMedia });
    expect(restored.problems).toEqual([]);
    same(restored.dataset, dataset);
    expect(sink.media.size).toBe(media.size);
    for (const [filehash, bytes] of media) expect(Buffer.compare(sink.media.get(filehash)!, bytes)).toBe(0);
  });

  it('stores nothing again for an unchanged dataset, and only the changed month after a change', async () => {
    const storage = new CountingStorage(new MemoryStorage());
    const { repository } = await newRepository(storage);
    const { dataset, media } = smallDataset();
    const first = await backupDataset(repository, sourceOf(dataset, media));
    const second = await backupDataset(repository, sourceOf(dataset, media));
    expect(second.snapshot.stats.newBlobs).toBe(0);
    expect(second.snapshot.stats.addedBytes).toBe(0);
    expect(second.snapshot.parent).toBe(first.snapshotId);

    // One new text in the newest month of one chat, one new photo in another month.
    const photo = bytesOf(4242, 30_000);
    media.set(filehashOf(photo), photo);
    const changed: Dataset = {
      ...dataset,
      messages: [
        ...dataset.messages,
        textMessage('111@c.us', 1000, 1_704_067_200 + 58 * 86_400, 'one more'),
        photoMessage('120363000000000001@g.us', 1000, 1_704_067_200 + 45 * 86_400, photo),
      ],
    };
    const third = await backupDataset(repository, sourceOf(changed, media));
    // One segment of each touched chat-month, and the photo.
    expect(third.snapshot.stats.newBlobs).toBe(3);
    const sink = await collectMedia();
    same((await restoreSnapshot(repository, third.snapshotId, { onMedia: sink.onMedia })).dataset, changed);
    // The previous snapshot still restores the previous state.
    same((await restoreSnapshot(repository, first.snapshotId)).dataset, dataset);
  });

  it('restores everything else from a damaged backup and names exactly what was lost', async () => {
    const storage = new MemoryStorage();
    const { repository } = await newRepository(storage);
    const { dataset, media } = smallDataset();
    const { snapshotId, snapshot } = await backupDataset(repository, sourceOf(dataset, media));
    const index = await loadIndex(repository);
    // Flip one bit inside one photo's blob.
    const victim = snapshot.media[0]!;
    const location = index.locate(victim.blob)!;
    const name = `data/${location.pack.id}`;
    const pack = await storage.get(name);
    pack[location.blob.offset + 100]! ^= 0x04;
    await storage.put(name, pack);

    const restored = await restoreSnapshot(repository, snapshotId);
    expect(restored.problems).toEqual([
      expect.objectContaining({ kind: 'media', filehash: victim.filehash }),
    ]);
    expect(restored.dataset.messages).toHaveLength(dataset.messages.length);
    const hit = restored.dataset.messages.find((m) => m.media?.filehash === victim.filehash)!;
    expect(hit.media).toMatchObject({ status: 'failed', reason: 'not restorable from this backup' });
    expect(restored.mediaFiles).toBe(media.size - 1);

    const check = await checkRepository(repository, { readData: true });
    expect(check.errors.join('\n')).toMatch(/SHA-256/);
    expect(check.errors.join('\n')).toMatch(/damaged/);
    expect((await checkRepository(repository)).errors).toEqual([]);
  });

  it('reports a missing pack as missing data for the chats and media it held', async () => {
    const storage = new MemoryStorage();
    const { repository } = await newRepository(storage);
    const { dataset, media } = smallDataset();
    const { snapshotId } = await backupDataset(repository, sourceOf(dataset, media));
    for await (const info of storage.list('data/')) await storage.delete(info.name);
    const restored = await restoreSnapshot(repository, snapshotId);
    expect(restored.problems.some((p) => p.kind === 'segment' && /missing/.test(p.error))).toBe(true);
    expect(restored.problems.filter((p) => p.kind === 'media')).toHaveLength(media.size);
    expect((await checkRepository(repository)).errors.join('\n')).toMatch(/missing/);
  });

  it('leaves no snapshot when the commit fails, and the next backup reuses what was uploaded', async () => {
    const memory = new MemoryStorage();
    const faulty = new FaultyStorage(memory, [
      { operation: 'put', name: /^snapshots\//, code: 'network', times: 1 },
    ]);
    const { repository } = await newRepository(faulty);
    const { dataset, media } = smallDataset();
    await expect(backupDataset(repository, sourceOf(dataset, media))).rejects.toMatchObject({
      code: 'network',
    });
    expect(await listSnapshots(repository)).toHaveLength(0);
    const retry = await backupDataset(repository, sourceOf(dataset, media));
    expect(retry.snapshot.stats.newBlobs).toBe(0);
    same((await restoreSnapshot(repository, retry.snapshotId)).dataset, dataset);
  });

  it('forgets by policy and prunes data no snapshot uses, keeping the rest restorable', async () => {
    const storage = new MemoryStorage();
    const { repository } = await newRepository(storage);
    const first = smallDataset();
    let clock = Date.UTC(2024, 0, 1);
    await backupDataset(repository, sourceOf(first.dataset, first.media), { now: () => clock });
    // A completely different second state: nothing shared but the contacts.
    const photo = bytesOf(7, 50_000);
    const second: Dataset = {
      ...first.dataset,
      chats: [first.dataset.chats[0]!],
      messages: [
        textMessage('111@c.us', 1, 1_710_000_000, 'fresh start'),
        photoMessage('111@c.us', 2, 1_710_000_100, photo),
      ],
    };
    clock += 86_400_000;
    const latest = await backupDataset(repository, sourceOf(second, new Map([[filehashOf(photo), photo]])), {
      now: () => clock,
    });
    expect(await forgetSnapshots(repository, { last: 1 })).toHaveLength(1);
    const report = await prune(repository);
    expect(report.deletedPacks).toBeGreaterThan(0);
    expect((await checkRepository(repository, { readData: true })).errors).toEqual([]);
    same((await restoreSnapshot(repository, latest.snapshotId)).dataset, second);
  });
});
