import type { WhatsAppStatus } from '@/utils/messages/whatsapp-status';
import type { Chat, Message } from '@/utils/schema/types';

/**
 * Rows of the local catalog: the extension's mirror of everything collected so far. Chats and
 * messages hold canonical-schema objects (docs/SCHEMA.md) plus the few fields the catalog
 * indexes on; those index fields are derived, never edited by hand.
 */

/** The latest state of each open WhatsApp Web tab, as its content script reported it. */
export interface WhatsAppTabRecord extends WhatsAppStatus {
  tabId: number;
  /** Extension clock when the background received the report (ms since epoch). */
  receivedAt: number;
}

export interface ChatRecord {
  /** WhatsApp JID of the chat. */
  id: string;
  /** Canonical chat object (docs/SCHEMA.md). */
  chat: Chat;
  updatedAt: number;
}

export interface MessageRecord {
  /** MsgKey string of the message. */
  id: string;
  chatId: string;
  /** Unix seconds, as in the canonical schema. */
  timestamp: number;
  /** `YYYY-MM` in UTC of `timestamp`: the backup segments messages by chat × month. */
  month: string;
  /** Canonical message object (docs/SCHEMA.md). */
  message: Message;
}

export interface MediaRecord {
  /** WhatsApp's filehash (base64 SHA-256 of the plaintext): the media's identity. */
  filehash: string;
  status: 'stored' | 'expired' | 'failed' | 'skipped';
  size: number;
  mimetype?: string;
  blob?: Blob;
  reason?: string;
}

/** How far collection of one chat got, so the next run reads only what is new. */
export interface CursorRecord {
  chatId: string;
  newestTimestamp: number;
  oldestTimestamp: number;
  updatedAt: number;
}

export interface JobRecord {
  id: string;
  state: string;
  updatedAt: number;
  data: Record<string, unknown>;
}

/** A blob this device stored in an indexed pack: its memory of the repository (FORMAT §9). */
export interface StoredBlobRecord {
  id: string;
}

/** Small named values: contacts, account, the last snapshot this device wrote, … */
export interface MetaRecord {
  key: string;
  value: unknown;
}

/** Keys of `catalog.meta` that more than one module reads or writes. */
export const META_KEYS = {
  contacts: 'contacts',
  account: 'account',
} as const;
