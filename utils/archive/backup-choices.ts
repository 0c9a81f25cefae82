import type { Repository } from '@/utils/repo/repository';
import { listSnapshots } from '@/utils/repo/snapshot';
import type { Dataset, Jid } from '@/utils/schema/types';
import { ArchiveError } from './errors';
import { createNameBook } from './names';

/** One backup (snapshot) as the restore page lists it. */
export interface BackupSummary {
  id: string;
  /** ISO time the backup was made. */
  time: string;
  chats: number;
  messages: number;
  mediaFiles: number;
  mediaBytes: number;
}

export interface BackupList {
  /** Readable backups, newest first: the one people usually want is on top. */
  backups: BackupSummary[];
  /** Backups that could not be opened, listed so nobody wonders where one went. */
  damaged: { id: string; error: string }[];
}

export async function listBackupSummaries(repository: Repository): Promise<BackupList> {
  if (repository === null || typeof repository !== 'object' || !repository.storage) {
    throw new ArchiveError('invalid-argument', 'repository must be an open Repository');
  }
  const all = await listSnapshots(repository);
  const backups = all
    .map(({ id, snapshot }) => ({
      id,
      time: snapshot.time,
      chats: snapshot.stats.chats,
      messages: snapshot.stats.messages,
      mediaFiles: snapshot.stats.media,
      mediaBytes: snapshot.stats.mediaBytes,
    }))
    .reverse();
  return { backups, damaged: [...all.damaged] };
}

/** A chat the user can tick for the restore. */
export interface ChatChoice {
  id: Jid;
  /** The same title the archive's folder gets (before making it file-system safe). */
  title: string;
  messages: number;
  /** Unix seconds of its first and last message, when it has any. */
  first?: number;
  last?: number;
}

/** The chats of a restored dataset, by title, with what each holds. */
export function chatChoices(dataset: Dataset): ChatChoice[] {
  if (
    dataset === null ||
    typeof dataset !== 'object' ||
    !Array.isArray(dataset.chats) ||
    !Array.isArray(dataset.messages)
  ) {
    throw new ArchiveError('invalid-argument', 'chatChoices needs a dataset with chats and messages');
  }
  const names = createNameBook(dataset);
  const stats = new Map<Jid, { messages: number; first: number; last: number }>();
  for (const message of dataset.messages) {
    const entry = stats.get(message.chatId);
    if (!entry) stats.set(message.chatId, { messages: 1, first: message.timestamp, last: message.timestamp });
    else {
      entry.messages += 1;
      entry.first = Math.min(entry.first, message.timestamp);
      entry.last = Math.max(entry.last, message.timestamp);
    }
  }
  return dataset.chats
    .map((chat) => {
      const entry = stats.get(chat.id);
      return entry
        ? { id: chat.id, title: names.chatTitle(chat), ...entry }
        : { id: chat.id, title: names.chatTitle(chat), messages: 0 };
    })
    .sort((a, b) => a.title.localeCompare(b.title) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
