import { sortDataset } from '@/utils/schema/order';
import type { Chat, Contact, Dataset, Filehash, Jid, Message } from '@/utils/schema/types';
import { parseChat, parseContacts, parseMessage } from '@/utils/schema/validate';
import { readBlob, streamBlob } from './blob-reader';
import { loadIndex, type RepoIndex } from './index-file';
import type { Repository } from './repository';
import type { Segment } from './segments';
import { readSnapshot, type Snapshot } from './snapshot';

/** Something the restore could not bring back, named precisely enough for the user. */
export interface RestoreProblem {
  kind: 'contacts' | 'chat' | 'segment' | 'media';
  chatId?: Jid;
  month?: string;
  /** Messages lost with a damaged segment. */
  messages?: number;
  filehash?: Filehash;
  error: string;
}

export interface RestoreResult {
  dataset: Dataset;
  snapshot: Snapshot;
  problems: RestoreProblem[];
  mediaFiles: number;
  mediaBytes: number;
}

export interface RestoreOptions {
  index?: RepoIndex;
  /**
   * Receives each media file as it is restored: `write` streams verified bytes into a sink.
   * It must discard what it received if `write` rejects (the bytes were not all verified).
   */
  onMedia?: (
    filehash: Filehash,
    write: (sink: (piece: Uint8Array) => Promise<void> | void) => Promise<number>,
  ) => Promise<void>;
  /**
   * Restore chats and messages only; the caller reads media itself later (streamBlob), as the
   * archive writer does so that each file is decrypted once, straight into the archive.
   * Messages then keep their media status as backed up.
   */
  skipMedia?: boolean;
}

/**
 * Restores a snapshot into a dataset (docs/SCHEMA.md) and its media. A damaged or missing blob
 * does not stop the restore: everything else is restored, the loss is listed in `problems`,
 * and messages whose media could not be restored say so in their media status.
 */
export async function restoreSnapshot(
  repository: Repository,
  snapshotId: string,
  options: RestoreOptions = {},
): Promise<RestoreResult> {
  const snapshot = await readSnapshot(repository, snapshotId);
  const index = options.index ?? (await loadIndex(repository));
  const problems: RestoreProblem[] = [];
  const readJson = async (blob: string) =>
    JSON.parse(new TextDecoder().decode(await readBlob(repository, index, blob)));

  let contacts: Record<Jid, Contact> = {};
  try {
    const parsed = parseContacts(await readJson(snapshot.contacts));
    if (!parsed.ok) throw parsed.error;
    contacts = parsed.value;
  } catch (error) {
    problems.push({ kind: 'contacts', error: describe(error) });
  }

  const chats: Chat[] = [];
  const messages: Message[] = [];
  for (const entry of snapshot.chats) {
    try {
      const parsed = parseChat(await readJson(entry.chat));
      if (!parsed.ok) throw parsed.error;
      chats.push(parsed.value);
    } catch (error) {
      problems.push({ kind: 'chat', chatId: entry.id, error: describe(error) });
      chats.push(placeholderChat(entry.id));
    }
    for (const segment of entry.segments) {
      try {
        const value = (await readJson(segment.blob)) as Segment;
        for (const raw of value.messages) {
          const parsed = parseMessage(raw);
          if (!parsed.ok) throw parsed.error;
          messages.push(parsed.value);
        }
      } catch (error) {
        problems.push({
          kind: 'segment',
          chatId: entry.id,
          month: segment.month,
          messages: segment.messages,
          error: describe(error),
        });
      }
    }
  }

  const restoredMedia = new Set<Filehash>();
  let mediaBytes = 0;
  for (const media of options.skipMedia ? [] : snapshot.media) {
    try {
      let size = 0;
      const write = async (sink: (piece: Uint8Array) => Promise<void> | void) => {
        size = await streamBlob(repository, index, media.blob, sink);
        return size;
      };
      if (options.onMedia) await options.onMedia(media.filehash, write);
      else await write(() => {});
      restoredMedia.add(media.filehash);
      mediaBytes += size;
    } catch (error) {
      problems.push({ kind: 'media', filehash: media.filehash, error: describe(error) });
    }
  }

  // Messages keep their media reference; only its status says whether the bytes came back.
  const restoredMessages = messages.map((message) => {
    const ref = message.media;
    if (options.skipMedia || ref?.status !== 'stored' || !ref.filehash || restoredMedia.has(ref.filehash))
      return message;
    return {
      ...message,
      media: { ...ref, status: 'failed' as const, reason: 'not restorable from this backup' },
    };
  });

  // Canonical order (docs/SCHEMA.md): the same dataset always restores to the same bytes.
  const dataset: Dataset = sortDataset({
    format: snapshot.dataset.format,
    version: snapshot.dataset.version,
    exportedAt: snapshot.dataset.exportedAt,
    ...(snapshot.dataset.account ? { account: snapshot.dataset.account } : {}),
    contacts,
    chats,
    messages: restoredMessages,
  });
  return { dataset, snapshot, problems, mediaFiles: restoredMedia.size, mediaBytes };
}

function placeholderChat(id: Jid): Chat {
  const kind = id.endsWith('@g.us') ? 'group' : id.endsWith('@newsletter') ? 'newsletter' : 'individual';
  return {
    id,
    kind,
    completeness: {
      moreHistoryOnPhone: false,
      source: 'modules',
      expiredMedia: 0,
      failedMedia: 0,
      skippedMedia: 0,
    },
  } as Chat;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
