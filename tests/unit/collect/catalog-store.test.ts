import { afterEach, describe, expect, it } from 'vitest';
import { catalogSource } from '@/utils/backup/catalog-source';
import { type Catalog, createCatalog } from '@/utils/catalog/catalog';
import { completenessReport, createCollectStore } from '@/utils/catalog/collect-store';
import { mergeMessage } from '@/utils/catalog/merge-message';
import type { Chat, Message } from '@/utils/schema/types';
import { parseDataset } from '@/utils/schema/validate';

// How collected data lands in the catalog: merged with what is there (edits, later deletions,
// stored media), with every chat's media counts equal to its messages (SCHEMA invariant 17).

const ANA = '4915100000002@c.us';
const HASH = 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=';
let counter = 0;
const catalogs: Catalog[] = [];
afterEach(async () => {
  for (const catalog of catalogs.splice(0)) await catalog.delete();
});
const fresh = () => {
  const catalog = createCatalog(`collect-store-${counter++}`);
  catalogs.push(catalog);
  return { catalog, store: createCollectStore(catalog, () => 42) };
};

const chat = (source: Chat['completeness']['source'] = 'modules'): Chat => ({
  id: ANA,
  kind: 'individual',
  name: 'Ana',
  completeness: { moreHistoryOnPhone: false, source, expiredMedia: 0, failedMedia: 0, skippedMedia: 0 },
});
const message = (extra: Partial<Message> = {}): Message => ({
  id: `false_${ANA}_M1`,
  chatId: ANA,
  timestamp: 1000,
  fromMe: false,
  senderId: ANA,
  type: 'chat',
  text: 'first',
  ...extra,
});
const photo = (status: 'stored' | 'expired' | 'failed', id = 'P1'): Message => ({
  id: `false_${ANA}_${id}`,
  chatId: ANA,
  timestamp: 1100,
  fromMe: false,
  type: 'image',
  media: {
    filehash: HASH,
    mimetype: 'image/jpeg',
    status,
    ...(status === 'stored' ? {} : { reason: 'why' }),
  },
});

describe('mergeMessage', () => {
  it('keeps content deleted since it was stored, with the deletion beside it', () => {
    const revoked: Message = {
      ...message({ text: undefined }),
      type: 'revoked',
      rawType: 'revoked',
      deletion: { kind: 'everyone', deletedAt: 9 },
    };
    delete revoked.text;
    expect(mergeMessage(message(), revoked)).toEqual({
      ...message(),
      deletion: { kind: 'everyone', deletedAt: 9 },
    });
    // A message first seen deleted stays revoked.
    expect(mergeMessage(undefined, revoked)).toBe(revoked);
  });

  it('turns the stored text into the newest previous version when the text was edited since', () => {
    const once = mergeMessage(message(), message({ text: 'second', edit: { editedAtMs: 2_000_000 } }));
    expect(once.edit).toEqual({ editedAtMs: 2_000_000, previousVersions: [{ text: 'first' }] });
    const twice = mergeMessage(once, message({ text: 'third', edit: { editedAtMs: 3_000_000 } }));
    expect(twice.text).toBe('third');
    expect(twice.edit).toEqual({
      editedAtMs: 3_000_000,
      previousVersions: [{ text: 'first' }, { text: 'second', editedAtMs: 2_000_000 }],
    });
    // Reading the same version again keeps the history.
    expect(mergeMessage(twice, message({ text: 'third', edit: { editedAtMs: 3_000_000 } }))).toEqual(twice);
  });

  it('keeps media stored when the server has expired it since', () => {
    expect(mergeMessage(photo('stored'), photo('expired')).media).toEqual(photo('stored').media);
  });

  it('takes reactions and the rest as the page shows them now', () => {
    const reacted = message({ reactions: [{ emoji: '❤️', senderId: ANA, timestampMs: 1 }] });
    expect(mergeMessage(reacted, message())).toEqual(message());
    expect(mergeMessage(message(), reacted)).toEqual(reacted);
  });
});

describe('collect store', () => {
  it('keeps media counts equal to the stored messages through re-reads and changes', async () => {
    const { catalog, store } = fresh();
    await store.storeChats([chat()], {});
    await store.storeMessages(ANA, [photo('expired'), photo('failed', 'P2'), message()]);
    expect((await catalog.chats.get(ANA))?.chat.completeness).toMatchObject({
      expiredMedia: 1,
      failedMedia: 1,
    });
    // The same batch again (a resumed run) changes nothing.
    await store.storeMessages(ANA, [photo('expired'), photo('failed', 'P2'), message()]);
    await store.storeChats([chat()], {});
    expect((await catalog.chats.get(ANA))?.chat.completeness).toMatchObject({
      expiredMedia: 1,
      failedMedia: 1,
    });
    // The failed one downloads this time.
    await store.storeMedia([{ filehash: HASH, blob: new Blob(['x']), mimetype: 'image/jpeg' }]);
    await store.storeMessages(ANA, [photo('stored', 'P2')]);
    expect((await catalog.chats.get(ANA))?.chat.completeness).toMatchObject({
      expiredMedia: 1,
      failedMedia: 0,
    });
    // What the backup reads is a valid dataset (invariant 17 included).
    const source = await catalogSource(catalog, () => 1_700_000_000_000);
    const parsed = parseDataset(source.dataset);
    expect(parsed.ok ? 'valid' : parsed.error.issues).toBe('valid');
  });

  it('does not believe a stored status whose bytes never arrived', async () => {
    const { catalog, store } = fresh();
    await store.storeChats([chat()], {});
    await store.storeMessages(ANA, [photo('stored')]);
    const stored = (await catalog.messages.get(photo('stored').id))?.message;
    expect(stored?.media).toMatchObject({
      status: 'failed',
      reason: 'the media bytes never reached the catalog',
    });
    expect((await catalog.chats.get(ANA))?.chat.completeness.failedMedia).toBe(1);
  });

  it('marks a chat read both from the page and from the modules as mixed', async () => {
    const { catalog, store } = fresh();
    await store.storeChats([chat('dom')], {});
    await store.storeChats([chat('modules')], {});
    expect((await catalog.chats.get(ANA))?.chat.completeness.source).toBe('mixed');
  });

  it('remembers how far a chat was read, and reports every chat for the UI', async () => {
    const { catalog, store } = fresh();
    await store.storeChats([chat('dom'), { ...chat(), id: '4915100000009@c.us', name: 'Bo' }], {
      [ANA]: { name: 'Ana' },
    });
    await store.storeChats([], { '4915100000009@c.us': { pushname: 'bo' } });
    expect((await catalog.meta.get('contacts'))?.value).toEqual({
      [ANA]: { name: 'Ana' },
      '4915100000009@c.us': { pushname: 'bo' },
    });
    await store.storeMessages(ANA, [message(), photo('expired')]);
    await store.finishChat(
      { ...chat('dom'), completeness: { ...chat('dom').completeness, moreHistoryOnPhone: true } },
      { reachedStart: false, at: 7 },
    );
    expect(await catalog.cursors.get(ANA)).toEqual({
      chatId: ANA,
      newestTimestamp: 1100,
      oldestTimestamp: 1000,
      updatedAt: 7,
      historyComplete: false,
    });
    expect(await store.startHints(100)).toEqual({ cursors: {}, knownMedia: [] });
    await store.finishChat(chat('dom'), { reachedStart: true, at: 8 });
    expect((await store.startHints(100)).cursors).toEqual({ [ANA]: { since: 1000 } });
    const report = await completenessReport(catalog);
    expect(report[0]).toEqual({
      chatId: ANA,
      name: 'Ana',
      kind: 'individual',
      source: 'dom',
      moreHistoryOnPhone: false,
      partial: true,
      messages: 2,
      expiredMedia: 1,
      failedMedia: 0,
      skippedMedia: 0,
      oldestTimestamp: 1000,
      newestTimestamp: 1100,
      lastCollectedAt: 8,
    });
    expect(report[1]).toMatchObject({ chatId: '4915100000009@c.us', partial: false, messages: 0 });
  });

  it('refuses a negative look-back', async () => {
    const { store } = fresh();
    await expect(store.startHints(-1)).rejects.toThrow(RangeError);
  });
});
