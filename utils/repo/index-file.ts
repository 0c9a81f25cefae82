import { RepoError } from './errors';
import { INDEX_PREFIX, idFromName, indexName, isFileId } from './names';
import type { Repository, RepositoryWriter } from './repository';
import { openDocument, sealDocument } from './sealed-json';

/** docs/FORMAT.md §9–11. */
export type BlobType = 'segment' | 'chat' | 'contacts' | 'media';
export type Compression = 'gzip' | 'none';

export const COMPRESSION_OF: Record<BlobType, Compression> = {
  segment: 'gzip',
  chat: 'gzip',
  contacts: 'gzip',
  // Photos, video and voice notes are already compressed; gzip would only cost time.
  media: 'none',
};

export interface BlobEntry {
  id: string;
  type: BlobType;
  offset: number;
  length: number;
  rawLength: number;
  compression: Compression;
}

export interface PackEntry {
  id: string;
  size: number;
  sha256: string;
  blobs: BlobEntry[];
}

export interface IndexDocument {
  version: 1;
  packs: PackEntry[];
  supersedes: string[];
}

export interface BlobLocation {
  pack: PackEntry;
  blob: BlobEntry;
}

/** The repository's index in memory: the union of its index files (FORMAT §11). */
export class RepoIndex {
  readonly packs = new Map<string, PackEntry>();
  readonly blobs = new Map<string, BlobLocation>();
  /** Ids of the index files this was loaded from (prune supersedes them). */
  readonly files: string[] = [];
  /** Index files that could not be opened (damaged or forged), with why. */
  readonly damaged: { id: string; error: string }[] = [];

  addPack(pack: PackEntry): void {
    this.packs.set(pack.id, pack);
    for (const blob of pack.blobs) if (!this.blobs.has(blob.id)) this.blobs.set(blob.id, { pack, blob });
  }

  has(blobId: string): boolean {
    return this.blobs.has(blobId);
  }

  locate(blobId: string): BlobLocation | undefined {
    return this.blobs.get(blobId);
  }
}

export async function loadIndex(repository: Repository): Promise<RepoIndex> {
  const index = new RepoIndex();
  const documents = new Map<string, IndexDocument>();
  for await (const info of repository.storage.list(INDEX_PREFIX)) {
    const id = idFromName(info.name, INDEX_PREFIX);
    if (!id) continue;
    try {
      documents.set(id, await readIndexFile(repository, id));
    } catch (error) {
      // One bad index file must not make the whole backup unreadable: what it listed is
      // reported as missing where it is needed, and check names the file.
      if (!(error instanceof RepoError)) throw error;
      index.damaged.push({ id, error: error.message });
    }
  }
  const superseded = new Set([...documents.values()].flatMap((d) => d.supersedes));
  for (const [id, document] of documents) {
    if (superseded.has(id)) continue;
    index.files.push(id);
    for (const pack of document.packs) index.addPack(pack);
  }
  // Superseded files that still exist (prune was interrupted) are also owned by the index.
  for (const id of documents.keys()) if (superseded.has(id)) index.files.push(id);
  return index;
}

export async function readIndexFile(repository: Repository, id: string): Promise<IndexDocument> {
  const what = `Index file ${id.slice(0, 12)}`;
  const value = (await openDocument(repository, await repository.storage.get(indexName(id)), {
    compressed: true,
    what,
    id,
  })) as IndexDocument;
  if (value?.version !== 1 || !Array.isArray(value.packs) || !Array.isArray(value.supersedes)) {
    throw new RepoError('corrupt', `${what} has an unexpected structure.`);
  }
  for (const pack of value.packs) {
    if (!isFileId(pack?.id) || !Number.isInteger(pack.size) || !Array.isArray(pack.blobs)) {
      throw new RepoError('corrupt', `${what} lists an invalid pack.`);
    }
  }
  return value;
}

/** Stores an index file describing `packs`; returns its id (its keyed content id). */
export async function writeIndexFile(
  repository: RepositoryWriter,
  packs: PackEntry[],
  supersedes: string[] = [],
): Promise<string> {
  const document: IndexDocument = { version: 1, packs, supersedes };
  const { id, sealed } = await sealDocument(repository, document, { compress: true });
  await repository.storage.put(indexName(id), sealed);
  return id;
}
