import { Dexie, type EntityTable } from 'dexie';
import { LATEST_CATALOG_VERSION, migrations } from './migrations';
import type {
  ChatRecord,
  CursorRecord,
  JobRecord,
  MediaRecord,
  MessageRecord,
  MetaRecord,
  StoredBlobRecord,
  WhatsAppTabRecord,
} from './records';

export const CATALOG_DB_NAME = 'chatvault-catalog';

export type Catalog = Dexie & {
  whatsappTabs: EntityTable<WhatsAppTabRecord, 'tabId'>;
  chats: EntityTable<ChatRecord, 'id'>;
  messages: EntityTable<MessageRecord, 'id'>;
  media: EntityTable<MediaRecord, 'filehash'>;
  cursors: EntityTable<CursorRecord, 'chatId'>;
  jobs: EntityTable<JobRecord, 'id'>;
  storedBlobs: EntityTable<StoredBlobRecord, 'id'>;
  meta: EntityTable<MetaRecord, 'key'>;
};

/**
 * Opens (lazily) the catalog at `upTo` (default: the latest version). Only the migration test
 * asks for an older version; everything else uses the default.
 */
export function createCatalog(name = CATALOG_DB_NAME, upTo = LATEST_CATALOG_VERSION): Catalog {
  const db = new Dexie(name) as Catalog;
  for (const migration of migrations) {
    if (migration.version > upTo) break;
    const version = db.version(migration.version).stores(migration.stores);
    if (migration.upgrade) version.upgrade(migration.upgrade);
  }
  return db;
}
