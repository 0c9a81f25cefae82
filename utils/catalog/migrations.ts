import type { Transaction } from 'dexie';
import { monthOf } from '@/utils/schema/month';
import type { MessageRecord } from './records';

/**
 * The catalog's schema history. Entries are append-only: a released version is never edited,
 * a change is a new entry (Dexie upgrades a user's database through every step it missed).
 * tests/unit/catalog/migrations.test.ts opens a database at every past version, fills it, and
 * checks the upgrade to the latest keeps and converts the data.
 */
export interface Migration {
  version: number;
  stores: Record<string, string | null>;
  upgrade?: (tx: Transaction) => Promise<void>;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    stores: {
      whatsappTabs: '&tabId, receivedAt',
      chats: '&id, updatedAt',
      messages: '&id, chatId',
      media: '&filehash, status',
      cursors: '&chatId',
      jobs: '&id, state, updatedAt',
    },
  },
  {
    // Backups are cut into chat × month segments and incremental collection reads by time,
    // so messages need both as compound indexes; `month` is derived from `timestamp`.
    version: 2,
    stores: {
      messages: '&id, chatId, [chatId+month], [chatId+timestamp]',
    },
    upgrade: async (tx) => {
      await tx
        .table<MessageRecord>('messages')
        .toCollection()
        .modify((record) => {
          record.month = monthOf(record.timestamp);
        });
    },
  },
  {
    // The backup device cannot read the repository's index (it holds only the writer keys), so
    // it remembers which blobs it stored, and a few named values such as its last snapshot.
    version: 3,
    stores: {
      storedBlobs: '&id',
      meta: '&key',
    },
  },
];

export const LATEST_CATALOG_VERSION = migrations.at(-1)!.version;
