import type { Account, Filehash, Jid } from '@/utils/schema/types';
import { RepoError } from './errors';
import { idFromName, SNAPSHOTS_PREFIX, snapshotName } from './names';
import type { Repository, RepositoryWriter } from './repository';
import { openDocument, sealDocument } from './sealed-json';

/** docs/FORMAT.md §12. */
export interface Snapshot {
  version: 1;
  time: string;
  parent: string | null;
  host: string;
  dataset: { format: 'chatvault-dataset'; version: 1; exportedAt: number; account?: Account };
  contacts: string;
  chats: SnapshotChat[];
  media: SnapshotMedia[];
  stats: SnapshotStats;
}

export interface SnapshotChat {
  id: Jid;
  chat: string;
  segments: { month: string; blob: string; messages: number }[];
}

export interface SnapshotMedia {
  filehash: Filehash;
  blob: string;
  size: number;
}

export interface SnapshotStats {
  chats: number;
  messages: number;
  media: number;
  mediaBytes: number;
  newBlobs: number;
  addedBytes: number;
  durationMs: number;
}

/** Stores a snapshot; returns its id (its keyed content id, FORMAT §7). */
export async function writeSnapshot(repository: RepositoryWriter, snapshot: Snapshot): Promise<string> {
  const { id, sealed } = await sealDocument(repository, snapshot, { compress: true });
  await repository.storage.put(snapshotName(id), sealed);
  return id;
}

export async function readSnapshot(repository: Repository, id: string): Promise<Snapshot> {
  const what = `Snapshot ${id.slice(0, 12)}`;
  let bytes: Uint8Array;
  try {
    bytes = await repository.storage.get(snapshotName(id));
  } catch {
    throw new RepoError('snapshot-not-found', `There is no snapshot ${id}.`);
  }
  const value = (await openDocument(repository, bytes, { compressed: true, what, id })) as Snapshot;
  if (value?.version !== 1 || !Array.isArray(value.chats) || !Array.isArray(value.media)) {
    throw new RepoError('corrupt', `${what} has an unexpected structure.`);
  }
  return value;
}

export async function listSnapshotIds(repository: Repository): Promise<string[]> {
  const ids: string[] = [];
  for await (const info of repository.storage.list(SNAPSHOTS_PREFIX)) {
    const id = idFromName(info.name, SNAPSHOTS_PREFIX);
    if (id) ids.push(id);
  }
  return ids;
}

/**
 * Every readable snapshot with its id, oldest first; `damaged` names the ones that could not be
 * opened (damaged or forged), so one bad file never hides the others.
 */
export async function listSnapshots(
  repository: Repository,
): Promise<{ id: string; snapshot: Snapshot }[] & { damaged: { id: string; error: string }[] }> {
  const result = Object.assign([] as { id: string; snapshot: Snapshot }[], {
    damaged: [] as { id: string; error: string }[],
  });
  for (const id of await listSnapshotIds(repository)) {
    try {
      result.push({ id, snapshot: await readSnapshot(repository, id) });
    } catch (error) {
      if (!(error instanceof RepoError)) throw error;
      result.damaged.push({ id, error: error.message });
    }
  }
  result.sort((a, b) => a.snapshot.time.localeCompare(b.snapshot.time) || a.id.localeCompare(b.id));
  return result;
}

/** Resolves `latest`, a full id or a unique id prefix (at least 4 hex digits). */
export async function resolveSnapshotId(repository: Repository, reference: string): Promise<string> {
  if (reference === 'latest') {
    const all = await listSnapshots(repository);
    if (all.length === 0) throw new RepoError('snapshot-not-found', 'This backup has no snapshots yet.');
    return all.at(-1)!.id;
  }
  if (!/^[0-9a-f]{4,64}$/.test(reference)) {
    throw new RepoError('invalid-argument', `"${reference}" is not a snapshot id (hex digits) or "latest".`);
  }
  const matches = (await listSnapshotIds(repository)).filter((id) => id.startsWith(reference));
  if (matches.length === 0)
    throw new RepoError('snapshot-not-found', `No snapshot starts with ${reference}.`);
  if (matches.length > 1)
    throw new RepoError(
      'invalid-argument',
      `${reference} matches ${matches.length} snapshots; give more digits.`,
    );
  return matches[0]!;
}
