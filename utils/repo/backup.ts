import { createObjectIdHasher, objectId } from '@/utils/crypto';
import { canonicalJsonBytes } from '@/utils/schema/canonical-json';
import type { Dataset, Filehash, Message } from '@/utils/schema/types';
import { type BlobType, loadIndex, type PackEntry, writeIndexFile } from './index-file';
import { PackWriter } from './pack-writer';
import type { Repository, RepositoryWriter } from './repository';
import { encodeSegment, segmentChat } from './segments';
import {
  listSnapshots,
  type Snapshot,
  type SnapshotChat,
  type SnapshotMedia,
  writeSnapshot,
} from './snapshot';

/** Where a backup reads from: a dataset (the CLI) or the extension's catalog, same shape. */
export interface BackupSource {
  dataset: Dataset;
  /** Size of a media file, or undefined when the source does not have its bytes. */
  mediaSize(filehash: Filehash): Promise<number | undefined>;
  openMedia(filehash: Filehash): Promise<ReadableStream<Uint8Array>>;
}

export interface BackupProgress {
  phase: 'index' | 'messages' | 'media' | 'commit';
  done: number;
  total: number;
  uploadedBytes: number;
}

/**
 * What a writer remembers between backups. A writer with only the writer keys cannot open the
 * index or old snapshots (FORMAT §9), so it keeps this itself (the extension in its catalog);
 * with the full keys it is derived from the repository (`backupDataset`).
 */
export interface WriterState {
  /** Whether a blob is already stored in an indexed pack. */
  has(blobId: string): boolean;
  /** Told after every index checkpoint which packs (and blobs) are now durably indexed. */
  indexed(packs: PackEntry[], indexId: string): Promise<void> | void;
  /** The previous snapshot: the new one names it as parent and reuses its media by filehash. */
  parent?: { id: string; media: readonly SnapshotMedia[] };
}

export interface BackupOptions {
  host?: string;
  now?: () => number;
  random?: (length: number) => Uint8Array;
  /** An index file is checkpointed after this many packs (FORMAT §11). */
  packsPerIndex?: number;
  onProgress?: (progress: BackupProgress) => void;
  /** Media the source lacks (they are left out of the snapshot; restore marks them failed). */
  onWarning?: (message: string) => void;
  /** Stops the backup between two objects; nothing partial is committed (no snapshot). */
  signal?: AbortSignal;
}

export interface BackupResult {
  snapshotId: string;
  snapshot: Snapshot;
}

/** Media up to this size are read into memory once; larger ones are streamed twice. */
const IN_MEMORY_MEDIA_LIMIT = 4 * 1024 * 1024;

/**
 * Backs up a dataset as a new snapshot (FORMAT §9–13): unchanged chat-months and media already
 * stored are referenced, not uploaded again. Write order packs → index → snapshot, with index
 * checkpoints, so an interruption never leaves a snapshot pointing at missing data and keeps
 * what was uploaded for the next run.
 */
export async function writeBackup(
  repository: RepositoryWriter,
  source: BackupSource,
  state: WriterState,
  options: BackupOptions = {},
): Promise<BackupResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const progress = options.onProgress ?? (() => {});
  const indexedNow = new Set<string>();
  const isIndexed = (id: string) => indexedNow.has(id) || state.has(id);

  let uploadedBytes = 0;
  let newBlobs = 0;
  let unindexed: PackEntry[] = [];
  const packsPerIndex = options.packsPerIndex ?? 4;
  const checkpoint = async () => {
    if (unindexed.length === 0) return;
    const packs = unindexed;
    unindexed = [];
    const indexId = await writeIndexFile(repository, packs);
    for (const pack of packs) for (const blob of pack.blobs) indexedNow.add(blob.id);
    await state.indexed(packs, indexId);
  };
  const writer = new PackWriter(
    repository,
    async (pack) => {
      uploadedBytes += pack.size;
      newBlobs += pack.blobs.length;
      unindexed.push(pack);
      if (unindexed.length >= packsPerIndex) await checkpoint();
    },
    options.random,
  );
  const isStored = (id: string) => isIndexed(id) || writer.holds(id);
  const addBlob = async (type: BlobType, plaintext: Uint8Array): Promise<string> => {
    options.signal?.throwIfAborted();
    const id = await objectId(repository.keys.idKey, plaintext);
    if (!isStored(id)) await writer.add(id, type, plaintext);
    return id;
  };

  const { dataset } = source;
  const messagesByChat = groupByChat(dataset.messages);
  const contacts = await addBlob('contacts', canonicalJsonBytes(dataset.contacts));
  const chats: SnapshotChat[] = [];
  let messageCount = 0;
  for (const [i, chat] of dataset.chats.entries()) {
    const chatBlob = await addBlob('chat', canonicalJsonBytes(chat));
    const segments: SnapshotChat['segments'] = [];
    for (const segment of segmentChat(chat.id, messagesByChat.get(chat.id) ?? [])) {
      segments.push({
        month: segment.month,
        blob: await addBlob('segment', encodeSegment(segment)),
        messages: segment.messages.length,
      });
      messageCount += segment.messages.length;
    }
    chats.push({ id: chat.id, chat: chatBlob, segments });
    progress({ phase: 'messages', done: i + 1, total: dataset.chats.length, uploadedBytes });
  }

  // Media the previous snapshot already holds are known by WhatsApp's filehash (a SHA-256 of
  // the content), so they are not read again: this is what keeps a daily backup cheap.
  const previous = new Map<Filehash, SnapshotMedia>();
  for (const m of state.parent?.media ?? []) if (isIndexed(m.blob)) previous.set(m.filehash, m);
  const wanted = storedMedia(dataset.messages);
  const media: SnapshotMedia[] = [];
  let mediaBytes = 0;
  for (const [i, filehash] of wanted.entries()) {
    options.signal?.throwIfAborted();
    const known = previous.get(filehash);
    if (known) {
      media.push(known);
      mediaBytes += known.size;
    } else {
      const size = await source.mediaSize(filehash);
      if (size === undefined) {
        options.onWarning?.(`Media ${filehash} is referenced but its bytes are missing; it is left out.`);
      } else {
        const blob = await addMedia(repository, source, writer, isStored, filehash, size);
        media.push({ filehash, blob, size });
        mediaBytes += size;
      }
    }
    progress({ phase: 'media', done: i + 1, total: wanted.length, uploadedBytes });
  }

  options.signal?.throwIfAborted();
  progress({ phase: 'commit', done: 0, total: 1, uploadedBytes });
  await writer.flush();
  await checkpoint();
  media.sort((a, b) => (a.filehash < b.filehash ? -1 : a.filehash > b.filehash ? 1 : 0));
  const snapshot: Snapshot = {
    version: 1,
    time: new Date(now()).toISOString(),
    parent: state.parent?.id ?? null,
    host: options.host ?? 'chatvault',
    dataset: {
      format: dataset.format,
      version: dataset.version,
      exportedAt: dataset.exportedAt,
      ...(dataset.account ? { account: dataset.account } : {}),
    },
    contacts,
    chats,
    media,
    stats: {
      chats: chats.length,
      messages: messageCount,
      media: media.length,
      mediaBytes,
      newBlobs,
      addedBytes: uploadedBytes,
      durationMs: Math.round(now() - started),
    },
  };
  const snapshotId = await writeSnapshot(repository, snapshot);
  progress({ phase: 'commit', done: 1, total: 1, uploadedBytes });
  return { snapshotId, snapshot };
}

/**
 * Backs up with the full keys (the CLI): what the writer would have remembered is read from the
 * repository itself — the index and the newest snapshot.
 */
export async function backupDataset(
  repository: Repository,
  source: BackupSource,
  options: BackupOptions = {},
): Promise<BackupResult> {
  options.onProgress?.({ phase: 'index', done: 0, total: 1, uploadedBytes: 0 });
  const index = await loadIndex(repository);
  const latest = (await listSnapshots(repository)).at(-1);
  return writeBackup(
    repository,
    source,
    {
      has: (id) => index.has(id),
      indexed: (packs) => {
        for (const pack of packs) index.addPack(pack);
      },
      parent: latest && { id: latest.id, media: latest.snapshot.media },
    },
    options,
  );
}

async function addMedia(
  repository: RepositoryWriter,
  source: BackupSource,
  writer: PackWriter,
  isStored: (id: string) => boolean,
  filehash: Filehash,
  size: number,
): Promise<string> {
  if (size <= IN_MEMORY_MEDIA_LIMIT) {
    const bytes = await readAll(await source.openMedia(filehash), size);
    const id = await objectId(repository.keys.idKey, bytes);
    if (!isStored(id)) await writer.add(id, 'media', bytes);
    return id;
  }
  const hasher = await createObjectIdHasher(repository.keys.idKey);
  const reader = (await source.openMedia(filehash)).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hasher.update(value);
  }
  const id = await hasher.digest();
  if (!isStored(id)) await writer.addStream(id, size, () => source.openMedia(filehash));
  return id;
}

async function readAll(stream: ReadableStream<Uint8Array>, size: number): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  let offset = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (offset + value.length > size) throw new Error('media file is larger than its recorded size');
    out.set(value, offset);
    offset += value.length;
  }
  if (offset !== size) throw new Error('media file is shorter than its recorded size');
  return out;
}

function groupByChat(messages: readonly Message[]): Map<string, Message[]> {
  const byChat = new Map<string, Message[]>();
  for (const message of messages) {
    const list = byChat.get(message.chatId);
    if (list) list.push(message);
    else byChat.set(message.chatId, [message]);
  }
  return byChat;
}

/** Distinct filehashes of media whose bytes the dataset says it holds, in first-seen order. */
function storedMedia(messages: readonly Message[]): Filehash[] {
  const seen = new Set<Filehash>();
  for (const message of messages) {
    if (message.media?.status === 'stored' && message.media.filehash) seen.add(message.media.filehash);
  }
  return [...seen];
}
