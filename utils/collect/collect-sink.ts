import type { ChatCompleteness, CollectRun } from '@/utils/messages/collect-protocol';
import type { Account, Chat, Contact, Filehash, Jid, Message } from '@/utils/schema/types';

export interface MediaFile {
  filehash: Filehash;
  blob: Blob;
  mimetype?: string;
}

/**
 * Where collected data goes, as the background's collector needs it. utils/collect may not import
 * the catalog (architecture.md §2), so the catalog implements this shape
 * (utils/catalog/collect-store.ts) and the background wires the two together. Every write is
 * idempotent: after a service-worker restart the content script sends unacknowledged items again.
 */
export interface CollectSink {
  loadRun(): Promise<CollectRun | undefined>;
  saveRun(run: CollectRun): Promise<void>;
  /**
   * What the page needs to read only what is new: per chat whose history was read to the start,
   * `since` = its newest collected message minus the look-back window; and the filehashes whose
   * bytes are already stored (never fetched again).
   */
  startHints(
    lookbackSeconds: number,
  ): Promise<{ cursors: Record<Jid, { since: number }>; knownMedia: Filehash[] }>;
  /** Chats (their media counts are the catalog's business), contacts merged in, the account. */
  storeChats(chats: readonly Chat[], contacts: Record<Jid, Contact>, account?: Account): Promise<void>;
  /** Messages of one chat, merged with what is stored (edits, later deletions, stored media). */
  storeMessages(chatId: Jid, messages: readonly Message[]): Promise<void>;
  /** Verified media files under their filehashes, in one transaction (a few at a time). */
  storeMedia(files: readonly MediaFile[]): Promise<void>;
  /** The chat's reading ended: remember how far (the cursor of the next run). */
  finishChat(chat: Chat, summary: { reachedStart: boolean; at: number }): Promise<void>;
  /** The per-chat completeness report for the UI. */
  report(): Promise<ChatCompleteness[]>;
}
