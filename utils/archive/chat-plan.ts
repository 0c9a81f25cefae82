import { compareStrings } from '@/utils/schema/order';
import type { Chat, Dataset, Filehash, Jid, Message } from '@/utils/schema/types';
import { createAttachmentNamer } from './attachment-names';
import type { ArchiveClock } from './clock';
import { ArchiveError } from './errors';
import { safeFileName, UniqueNames } from './file-names';
import type { NameBook } from './names';

/**
 * Where everything of one chat goes in the archive, decided before any byte is written: a
 * streaming zip cannot rename or revisit an entry, so names are fixed up front.
 *
 *   chats/<chat title>/WhatsApp Chat with <chat title>.txt
 *   chats/<chat title>/messages.json
 *   chats/<chat title>/IMG-20210428-WA0001.jpg, …, <contact>.vcf
 */
export const CHATS_DIR = 'chats';
export const MESSAGES_JSON = 'messages.json';

export interface MediaPlacement {
  filehash: Filehash;
  /** File name inside the chat folder. */
  name: string;
  /** Path from the archive root. */
  path: string;
  /** Expected size in bytes, when the dataset says. */
  size?: number;
  /** Time of the first message that uses it (seconds): the file's modification time. */
  timestamp: number;
}

export interface ChatPlan {
  chat: Chat;
  /** 1-based position in the archive (the viewer's data file number). */
  number: number;
  title: string;
  /** Path of the chat folder from the archive root. */
  folder: string;
  textFile: string;
  /** This chat's messages in canonical order (after any selection). */
  messages: Message[];
  /** Distinct stored media in order of first use; forwarded copies share one file. */
  media: MediaPlacement[];
  mediaByHash: Map<Filehash, MediaPlacement>;
  /** Message id → one .vcf file name per contact card. */
  contactCards: Map<string, string[]>;
}

export interface Selection {
  /** Only these chats (all when absent). */
  chatIds?: readonly Jid[];
  /** Only messages at or after this time (unix seconds). */
  from?: number;
  /** Only messages before this time (unix seconds). */
  until?: number;
}

/** Plans every selected chat of a dataset, in the dataset's (canonical) chat order. */
export function planChats(
  dataset: Dataset,
  clock: ArchiveClock,
  names: NameBook,
  selection: Selection = {},
  sizeOf: (filehash: Filehash) => number | undefined = () => undefined,
): ChatPlan[] {
  checkSelection(selection);
  const wanted = selection.chatIds ? new Set(selection.chatIds) : undefined;
  const byChat = new Map<Jid, Message[]>();
  for (const message of dataset.messages) {
    if (wanted && !wanted.has(message.chatId)) continue;
    if (selection.from !== undefined && message.timestamp < selection.from) continue;
    if (selection.until !== undefined && message.timestamp >= selection.until) continue;
    const list = byChat.get(message.chatId);
    if (list) list.push(message);
    else byChat.set(message.chatId, [message]);
  }
  const folders = new UniqueNames();
  const chats = dataset.chats.filter((chat) => !wanted || wanted.has(chat.id));
  return [...chats]
    .sort((a, b) => compareStrings(a.id, b.id))
    .map((chat, index) =>
      planChat(chat, index + 1, byChat.get(chat.id) ?? [], { clock, names, folders, sizeOf }),
    );
}

interface PlanContext {
  clock: ArchiveClock;
  names: NameBook;
  folders: UniqueNames;
  sizeOf: (filehash: Filehash) => number | undefined;
}

function planChat(chat: Chat, number: number, messages: Message[], context: PlanContext): ChatPlan {
  const { clock, names, folders } = context;
  const title = names.chatTitle(chat);
  const fallback = chat.id.slice(0, chat.id.indexOf('@')) || 'chat';
  const folderName = folders.claim(safeFileName(title, { fallback, maxLength: 60 }));
  const textFile = `WhatsApp Chat with ${safeFileName(title, { fallback, maxLength: 60 })}.txt`;
  const files = new UniqueNames([textFile, MESSAGES_JSON]);
  const namer = createAttachmentNamer(clock, files);
  const folder = `${CHATS_DIR}/${folderName}`;
  const media: MediaPlacement[] = [];
  const mediaByHash = new Map<Filehash, MediaPlacement>();
  const contactCards = new Map<string, string[]>();
  for (const message of messages) {
    const ref = message.media;
    if (ref?.status === 'stored' && ref.filehash && !mediaByHash.has(ref.filehash)) {
      const name = namer.nameFor(message);
      const size = context.sizeOf(ref.filehash) ?? ref.size;
      const placement: MediaPlacement = {
        filehash: ref.filehash,
        name,
        path: `${folder}/${name}`,
        timestamp: message.timestamp,
        ...(size === undefined ? {} : { size }),
      };
      media.push(placement);
      mediaByHash.set(ref.filehash, placement);
    }
    if (message.contactCards && message.contactCards.length > 0) {
      contactCards.set(
        message.id,
        message.contactCards.map((card) =>
          files.claim(`${safeFileName(card.displayName, { fallback: 'contact', maxLength: 60 })}.vcf`, {
            keepExtension: true,
          }),
        ),
      );
    }
  }
  return { chat, number, title, folder, textFile, messages, media, mediaByHash, contactCards };
}

function checkSelection(selection: Selection): void {
  if (selection === null || typeof selection !== 'object') {
    throw new ArchiveError('invalid-argument', 'the selection must be an object');
  }
  if (selection.chatIds !== undefined && !Array.isArray(selection.chatIds)) {
    throw new ArchiveError('invalid-argument', 'selection.chatIds must be an array of chat JIDs');
  }
  for (const key of ['from', 'until'] as const) {
    const value = selection[key];
    if (value !== undefined && !Number.isFinite(value)) {
      throw new ArchiveError(
        'invalid-argument',
        `selection.${key} must be unix seconds, got ${String(value)}`,
      );
    }
  }
  if (selection.from !== undefined && selection.until !== undefined && selection.from >= selection.until) {
    throw new ArchiveError('invalid-argument', 'selection.from must be before selection.until');
  }
}
