import { createSHA256 } from 'hash-wasm';
import { readBlob, streamBlob } from './blob-reader';
import { RepoError } from './errors';
import { loadIndex, type PackEntry, writeIndexFile } from './index-file';
import { DATA_PREFIX, idFromName, indexName, packName, snapshotName } from './names';
import { PackWriter } from './pack-writer';
import { type Repository, readConfig, readKeySlots } from './repository';
import { type RetentionPolicy, snapshotsToKeep } from './retention';
import { listSnapshotIds, listSnapshots, readSnapshot, type Snapshot } from './snapshot';

/** Removes the snapshots a policy does not keep; data stays until prune. Returns removed ids. */
export async function forgetSnapshots(repository: Repository, policy: RetentionPolicy): Promise<string[]> {
  if (!policy.last && !policy.daily && !policy.weekly && !policy.monthly) {
    throw new RepoError(
      'invalid-argument',
      'A retention policy must keep something (--keep-last, --keep-daily, …).',
    );
  }
  const all = await listSnapshots(repository);
  const keep = snapshotsToKeep(
    all.map(({ id, snapshot }) => ({ id, time: snapshot.time })),
    policy,
  );
  const removed: string[] = [];
  for (const { id } of all) {
    if (keep.has(id)) continue;
    await repository.storage.delete(snapshotName(id));
    removed.push(id);
  }
  return removed;
}

function referencedBlobs(snapshot: Snapshot): string[] {
  return [
    snapshot.contacts,
    ...snapshot.chats.flatMap((c) => [c.chat, ...c.segments.map((s) => s.blob)]),
    ...snapshot.media.map((m) => m.blob),
  ];
}

export interface PruneReport {
  deletedPacks: number;
  deletedBytes: number;
  keptPacks: number;
  /** Packs whose live blobs were copied into new packs before the pack was deleted. */
  repackedPacks: number;
}

/** A pack with at least this share of dead bytes is rewritten (FORMAT §15). */
const REPACK_DEAD_FRACTION = 0.1;

/**
 * Deletes data no remaining snapshot uses (FORMAT §15). Packs without live blobs are deleted;
 * packs with enough dead bytes have their live blobs copied (still sealed) into new packs first.
 * Then one new index of all kept and new packs, superseding every old index file, is stored,
 * and only after that are old index files and old packs deleted: interrupted at any point, the
 * repository stays consistent.
 */
export async function prune(repository: Repository): Promise<PruneReport> {
  const index = await loadIndex(repository);
  const snapshots = await listSnapshots(repository);
  if (snapshots.damaged.length > 0 || index.damaged.length > 0) {
    // What an unreadable snapshot or index file refers to is unknown, so deleting anything could
    // destroy data it needs.
    throw new RepoError(
      'corrupt',
      `Prune refuses to delete anything while ${snapshots.damaged.length + index.damaged.length} snapshot or index files cannot be read; run check, and remove the files it names if they are not yours.`,
    );
  }
  const used = new Set<string>();
  for (const { snapshot } of snapshots) for (const blob of referencedBlobs(snapshot)) used.add(blob);
  const kept: PackEntry[] = [];
  const doomed: PackEntry[] = [];
  const repacked: PackEntry[] = [];
  const newPacks: PackEntry[] = [];
  const writer = new PackWriter(repository, (pack) => void newPacks.push(pack));
  for (const pack of index.packs.values()) {
    const live = pack.blobs.filter((b) => used.has(b.id) && index.locate(b.id)?.pack.id === pack.id);
    const liveBytes = live.reduce((sum, b) => sum + b.length, 0);
    if (live.length === 0) doomed.push(pack);
    else if (pack.size - liveBytes >= pack.size * REPACK_DEAD_FRACTION) {
      for (const blob of live) {
        const sealed = await repository.storage.get(packName(pack.id), {
          offset: blob.offset,
          length: blob.length,
        });
        const { offset: _offset, ...entry } = blob;
        await writer.addSealed(entry, sealed);
      }
      repacked.push(pack);
    } else kept.push(pack);
  }
  await writer.flush();
  // Packs that no index names (an interrupted backup) are dead too.
  const orphans: string[] = [];
  for await (const info of repository.storage.list(DATA_PREFIX)) {
    const id = idFromName(info.name, DATA_PREFIX);
    if (id && !index.packs.has(id) && !newPacks.some((p) => p.id === id)) orphans.push(id);
  }
  const oldIndexFiles = [...index.files];
  await writeIndexFile(repository, [...kept, ...newPacks], oldIndexFiles);
  for (const id of oldIndexFiles) await repository.storage.delete(indexName(id));
  let deletedBytes = 0;
  for (const pack of [...doomed, ...repacked]) {
    await repository.storage.delete(packName(pack.id));
    deletedBytes += pack.size;
  }
  for (const id of orphans) await repository.storage.delete(packName(id));
  return {
    deletedPacks: doomed.length + repacked.length + orphans.length,
    deletedBytes,
    keptPacks: kept.length + newPacks.length,
    repackedPacks: repacked.length,
  };
}

export interface CheckReport {
  errors: string[];
  snapshots: number;
  packs: number;
  blobs: number;
  readBytes: number;
}

/**
 * Verifies the repository (FORMAT §15). Structure: config, key slots, every index and snapshot
 * opens, every indexed pack exists with its size, every referenced blob is indexed. With
 * `readData`, also every pack's SHA-256 and every blob's content against its id.
 */
export async function checkRepository(
  repository: Repository,
  options: { readData?: boolean } = {},
): Promise<CheckReport> {
  const errors: string[] = [];
  const report: CheckReport = { errors, snapshots: 0, packs: 0, blobs: 0, readBytes: 0 };
  const attempt = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (error) {
      errors.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  await attempt('config', async () => void (await readConfig(repository.storage)));
  await attempt('key slots', async () => {
    for (const name of (await readKeySlots(repository.storage)).damaged)
      errors.push(`key slot ${name} is damaged`);
  });
  let index: Awaited<ReturnType<typeof loadIndex>> | undefined;
  await attempt('index', async () => {
    index = await loadIndex(repository);
  });
  if (!index) return report;
  for (const { id, error } of index.damaged) errors.push(`index file ${id.slice(0, 12)}: ${error}`);
  const sizes = new Map<string, number>();
  for await (const info of repository.storage.list(DATA_PREFIX)) sizes.set(info.name, info.size);
  for (const pack of index.packs.values()) {
    report.packs++;
    const size = sizes.get(packName(pack.id));
    if (size === undefined) errors.push(`pack ${pack.id.slice(0, 12)} is missing`);
    else if (size !== pack.size)
      errors.push(`pack ${pack.id.slice(0, 12)} has ${size} bytes, the index says ${pack.size}`);
    else if (options.readData) {
      await attempt(`pack ${pack.id.slice(0, 12)}`, async () => {
        const sha = await createSHA256();
        const reader = (await repository.storage.getStream(packName(pack.id))).getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          sha.update(value);
          report.readBytes += value.length;
        }
        if (sha.digest('hex') !== pack.sha256) throw new Error('content does not match its recorded SHA-256');
      });
    }
  }
  for (const id of await listSnapshotIds(repository)) {
    await attempt(`snapshot ${id.slice(0, 12)}`, async () => {
      const snapshot = await readSnapshot(repository, id);
      report.snapshots++;
      for (const blob of referencedBlobs(snapshot)) {
        if (!index!.has(blob))
          errors.push(
            `snapshot ${id.slice(0, 12)} references blob ${blob.slice(0, 12)}, which is not indexed`,
          );
      }
    });
  }
  if (options.readData) {
    for (const [id, location] of index.blobs) {
      report.blobs++;
      await attempt(`blob ${id.slice(0, 12)}`, async () => {
        if (location.blob.type === 'media') await streamBlob(repository, index!, id, () => {});
        else await readBlob(repository, index!, id);
      });
    }
  }
  return report;
}
