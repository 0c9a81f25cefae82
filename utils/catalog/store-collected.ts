import { monthOf } from '@/utils/schema/month';
import type { Chat, Contact, Filehash, Jid, Message } from '@/utils/schema/types';
import type { Catalog } from './catalog';
import { META_KEYS } from './records';

/**
 * Writes what the collector gathered into the catalog, replacing earlier versions of the same
 * chats and messages (a message edited, reacted to or deleted since comes back changed).
 */
export async function storeCollected(
  catalog: Catalog,
  collected: {
    chats?: readonly Chat[];
    messages?: readonly Message[];
    contacts?: Record<Jid, Contact>;
    now?: number;
  },
): Promise<void> {
  const updatedAt = collected.now ?? Date.now();
  await catalog.transaction('rw', catalog.chats, catalog.messages, catalog.meta, async () => {
    if (collected.chats?.length)
      await catalog.chats.bulkPut(collected.chats.map((chat) => ({ id: chat.id, chat, updatedAt })));
    if (collected.messages?.length) {
      await catalog.messages.bulkPut(
        collected.messages.map((message) => ({
          id: message.id,
          chatId: message.chatId,
          timestamp: message.timestamp,
          month: monthOf(message.timestamp),
          message,
        })),
      );
    }
    if (collected.contacts) {
      const existing = ((await catalog.meta.get(META_KEYS.contacts))?.value ?? {}) as Record<Jid, Contact>;
      await catalog.meta.put({ key: META_KEYS.contacts, value: { ...existing, ...collected.contacts } });
    }
  });
}

/** Stores one media file's bytes under its filehash (already verified by the collector). */
export async function storeMediaBytes(
  catalog: Catalog,
  filehash: Filehash,
  blob: Blob,
  mimetype?: string,
): Promise<void> {
  await catalog.media.put({
    filehash,
    status: 'stored',
    size: blob.size,
    blob,
    ...(mimetype ? { mimetype } : {}),
  });
}

export async function hasMedia(catalog: Catalog, filehash: Filehash): Promise<boolean> {
  return (await catalog.media.get(filehash))?.status === 'stored';
}
