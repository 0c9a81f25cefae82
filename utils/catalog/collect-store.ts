import type { ChatCompleteness, CollectRun } from '@/utils/messages/collect-protocol';
import { chatKindOfJid } from '@/utils/schema/jid';
import type { Account, Chat, Completeness, Contact, Filehash, Jid, Message } from '@/utils/schema/types';
import type { Catalog } from './catalog';
import { mergeMessage } from './merge-message';
import { type ChatRecord, type CursorRecord, monthOf } from './records';

/**
 * The catalog as the collector's sink (utils/collect/collect-sink.ts describes the contract).
 * Chats keep their media counts equal to their stored messages (SCHEMA invariant 17) by
 * adjusting them in the same transaction that writes each batch; cursors remember how far each
 * chat was read so later runs read only what is new plus the look-back window.
 */
export const RUN_KEY = 'collection-run';
export const CONTACTS_KEY = 'contacts';
export const ACCOUNT_KEY = 'account';

type Counts = Pick<Completeness, 'expiredMedia' | 'failedMedia' | 'skippedMedia'>;

export function createCollectStore(catalog: Catalog, now: () => number = Date.now) {
  return {
    async loadRun(): Promise<CollectRun | undefined> {
      return (await catalog.meta.get(RUN_KEY))?.value as CollectRun | undefined;
    },

    async saveRun(run: CollectRun): Promise<void> {
      await catalog.meta.put({ key: RUN_KEY, value: run });
    },

    async startHints(lookbackSeconds: number) {
      if (!Number.isInteger(lookbackSeconds) || lookbackSeconds < 0)
        throw new RangeError('lookbackSeconds must be a non-negative integer');
      const [cursors, knownMedia] = await Promise.all([
        catalog.cursors.toArray(),
        catalog.media.where('status').equals('stored').primaryKeys(),
      ]);
      const hints: Record<Jid, { since: number }> = {};
      for (const cursor of cursors) {
        if (cursor.historyComplete)
          hints[cursor.chatId] = { since: Math.max(0, cursor.newestTimestamp - lookbackSeconds) };
      }
      return { cursors: hints, knownMedia: knownMedia as Filehash[] };
    },

    async storeChats(
      chats: readonly Chat[],
      contacts: Record<Jid, Contact>,
      account?: Account,
    ): Promise<void> {
      await catalog.transaction('rw', catalog.chats, catalog.meta, async () => {
        const existing = await catalog.chats.bulkGet(chats.map((chat) => chat.id));
        await catalog.chats.bulkPut(
          chats.map((chat, index) => ({
            id: chat.id,
            chat: withStoredCounts(chat, existing[index]),
            updatedAt: now(),
          })),
        );
        if (Object.keys(contacts).length > 0) {
          const known = ((await catalog.meta.get(CONTACTS_KEY))?.value ?? {}) as Record<Jid, Contact>;
          await catalog.meta.put({ key: CONTACTS_KEY, value: { ...known, ...contacts } });
        }
        if (account) await catalog.meta.put({ key: ACCOUNT_KEY, value: account });
      });
    },

    async storeMessages(chatId: Jid, messages: readonly Message[]): Promise<void> {
      if (messages.length === 0) return;
      await catalog.transaction('rw', catalog.messages, catalog.chats, catalog.media, async () => {
        const existing = await catalog.messages.bulkGet(messages.map((message) => message.id));
        const mergedAll = messages.map((incoming, index) => mergeMessage(existing[index]?.message, incoming));
        const hashes = [
          ...new Set(
            mergedAll.flatMap((m) =>
              m.media?.status === 'stored' && m.media.filehash ? [m.media.filehash] : [],
            ),
          ),
        ];
        const media = await catalog.media.bulkGet(hashes);
        const stored = new Set(hashes.filter((_, index) => media[index]?.status === 'stored'));
        const delta: Counts = { expiredMedia: 0, failedMedia: 0, skippedMedia: 0 };
        const rows = mergedAll.map((candidate, index) => {
          const before = existing[index]?.message;
          const merged = ensureBytes(candidate, stored);
          count(delta, before, -1);
          count(delta, merged, 1);
          return {
            id: merged.id,
            chatId: merged.chatId,
            timestamp: merged.timestamp,
            month: monthOf(merged.timestamp),
            message: merged,
          };
        });
        await catalog.messages.bulkPut(rows);
        const record = await catalog.chats.get(chatId);
        const chat = record?.chat ?? placeholderChat(chatId);
        const completeness = { ...chat.completeness };
        for (const key of Object.keys(delta) as (keyof Counts)[])
          completeness[key] = Math.max(0, completeness[key] + delta[key]);
        await catalog.chats.put({ id: chatId, chat: { ...chat, completeness }, updatedAt: now() });
      });
    },

    async storeMedia(files: readonly { filehash: Filehash; blob: Blob; mimetype?: string }[]): Promise<void> {
      // One transaction for several files: each commit costs far more than the bytes do.
      await catalog.media.bulkPut(
        files.map(({ filehash, blob, mimetype }) => ({
          filehash,
          status: 'stored' as const,
          size: blob.size,
          blob,
          ...(mimetype ? { mimetype } : {}),
        })),
      );
    },

    async finishChat(chat: Chat, summary: { reachedStart: boolean; at: number }): Promise<void> {
      await catalog.transaction('rw', catalog.chats, catalog.cursors, catalog.messages, async () => {
        const record = await catalog.chats.get(chat.id);
        const merged = withStoredCounts(chat, record);
        await catalog.chats.put({ id: chat.id, chat: merged, updatedAt: now() });
        const range = catalog.messages
          .where('[chatId+timestamp]')
          .between([chat.id, -Infinity], [chat.id, Infinity]);
        const [oldest, newest] = await Promise.all([range.first(), range.last()]);
        const before = await catalog.cursors.get(chat.id);
        if (!oldest || !newest) {
          if (summary.reachedStart)
            await catalog.cursors.put({
              chatId: chat.id,
              newestTimestamp: 0,
              oldestTimestamp: 0,
              updatedAt: summary.at,
              historyComplete: true,
            });
          return;
        }
        const cursor: CursorRecord = {
          chatId: chat.id,
          newestTimestamp: newest.timestamp,
          oldestTimestamp: oldest.timestamp,
          updatedAt: summary.at,
          historyComplete: summary.reachedStart || before?.historyComplete === true,
        };
        await catalog.cursors.put(cursor);
      });
    },

    report: () => completenessReport(catalog),
  };
}

/** The per-chat completeness report (history left on the phone, expired media, DOM-only chats). */
export async function completenessReport(catalog: Catalog): Promise<ChatCompleteness[]> {
  const [chats, cursors] = await Promise.all([catalog.chats.toArray(), catalog.cursors.toArray()]);
  const cursorOf = new Map(cursors.map((cursor) => [cursor.chatId, cursor]));
  const lines = await Promise.all(
    chats.map(async ({ chat }): Promise<ChatCompleteness> => {
      const cursor = cursorOf.get(chat.id);
      const messages = await catalog.messages.where('chatId').equals(chat.id).count();
      const { completeness } = chat;
      return {
        chatId: chat.id,
        ...(chat.name === undefined ? {} : { name: chat.name }),
        kind: chat.kind,
        source: completeness.source,
        moreHistoryOnPhone: completeness.moreHistoryOnPhone,
        partial: completeness.source !== 'modules',
        messages,
        expiredMedia: completeness.expiredMedia,
        failedMedia: completeness.failedMedia,
        skippedMedia: completeness.skippedMedia,
        ...(cursor && messages > 0
          ? { oldestTimestamp: cursor.oldestTimestamp, newestTimestamp: cursor.newestTimestamp }
          : {}),
        ...(cursor ? { lastCollectedAt: cursor.updatedAt } : {}),
      };
    }),
  );
  return lines.sort(
    (a, b) => Number(b.partial) - Number(a.partial) || (a.name ?? a.chatId).localeCompare(b.name ?? b.chatId),
  );
}

/** The incoming chat with the media counts the catalog keeps, and `mixed` when the source changed. */
function withStoredCounts(chat: Chat, record: ChatRecord | undefined): Chat {
  const stored = record?.chat.completeness;
  const source = stored && stored.source !== chat.completeness.source ? 'mixed' : chat.completeness.source;
  return {
    ...chat,
    completeness: {
      ...chat.completeness,
      source,
      expiredMedia: stored?.expiredMedia ?? 0,
      failedMedia: stored?.failedMedia ?? 0,
      skippedMedia: stored?.skippedMedia ?? 0,
    },
  };
}

/** A message may only say `stored` when the catalog has the bytes (they arrive first). */
function ensureBytes(message: Message, stored: ReadonlySet<string>): Message {
  const media = message.media;
  if (media?.status !== 'stored' || (media.filehash !== undefined && stored.has(media.filehash)))
    return message;
  return {
    ...message,
    media: { ...media, status: 'failed', reason: 'the media bytes never reached the catalog' },
  };
}

function count(counts: Counts, message: Message | undefined, by: number): void {
  switch (message?.media?.status) {
    case 'expired':
      counts.expiredMedia += by;
      break;
    case 'failed':
      counts.failedMedia += by;
      break;
    case 'skipped':
      counts.skippedMedia += by;
      break;
  }
}

function placeholderChat(chatId: Jid): Chat {
  return {
    id: chatId,
    kind: chatKindOfJid(chatId),
    completeness: {
      moreHistoryOnPhone: false,
      source: 'modules',
      expiredMedia: 0,
      failedMedia: 0,
      skippedMedia: 0,
    },
  };
}
