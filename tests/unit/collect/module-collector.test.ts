import { describe, expect, it } from 'vitest';
import { collectWithModules, ModulesMissingError } from '@/utils/collect/module-collector';
import { createModuleFinder } from '@/utils/collect/module-finder';
import {
  type CollectProgress,
  type CollectStart,
  DEFAULT_COLLECT_OPTIONS,
  type PageCollectItem,
} from '@/utils/messages/collect-protocol';
import { parseChat, parseMessage } from '@/utils/schema/validate';
import { FakeCollection, FakeMsgKey, wid } from './fakes';

// The collector proper on a tiny client shaped like WhatsApp Web's modules: one chat, all its
// messages already loaded, one media file. What matters here is what goes out and in what order.

const ME = '4915100000001@c.us';
const ANA = '4915100000002@c.us';
const HASH = 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=';

function fakeClient() {
  const messages = [
    { id: new FakeMsgKey(false, ANA, 'A1'), t: 100, type: 'chat', body: 'old', from: wid(ANA) },
    { id: new FakeMsgKey(true, ANA, 'A2'), t: 200, type: 'chat', body: 'newer', from: wid(ME), ack: 2 },
    {
      id: new FakeMsgKey(false, ANA, 'A3'),
      t: 300,
      type: 'image',
      from: wid(ANA),
      mimetype: 'image/jpeg',
      filehash: HASH,
      directPath: '/v/x.enc',
      mediaKey: 'a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=',
    },
  ];
  const msgs = Object.assign(new FakeCollection(messages), { msgLoadState: { noEarlierMsgs: true } });
  const chat = { id: wid(ANA), formattedTitle: 'Ana', t: 300, endOfHistoryTransferType: 1, msgs };
  const page: Record<string, unknown> = {
    require: (name: string) => {
      const modules: Record<string, unknown> = {
        WAWebCollections: {
          Chat: new FakeCollection([chat]),
          Contact: new FakeCollection([{ id: wid(ANA), name: 'Ana' }]),
        },
        WAWebUserPrefsMeUser: { getMaybeMeUser: () => wid(ME), getMaybeMeDisplayName: () => 'Me' },
        WAWebChatLoadMessages: { loadEarlierMsgs: async () => [] },
      };
      if (!(name in modules)) throw new Error(`Requiring unknown module "${name}"`);
      return modules[name];
    },
  };
  return { page, messages };
}

const progress = (): CollectProgress => ({
  chatsDone: 0,
  chatsTotal: 0,
  messages: 0,
  mediaStored: 0,
  mediaKnown: 0,
  mediaExpired: 0,
  mediaFailed: 0,
  mediaSkipped: 0,
  mediaBytes: 0,
  historyLoads: 0,
});

async function run(start: Partial<CollectStart>, page = fakeClient().page) {
  const items: PageCollectItem[] = [];
  const state = progress();
  await collectWithModules(createModuleFinder(page), {
    start: {
      runId: 'r',
      options: { ...DEFAULT_COLLECT_OPTIONS, paceMs: 0 },
      cursors: {},
      knownMedia: [],
      ...start,
    },
    signal: new AbortController().signal,
    send: async (item) => {
      items.push(item);
    },
    progress: state,
    fetch: async () => new Response('gone', { status: 410 }),
  });
  return { items, state };
}

describe('collectWithModules', () => {
  it('sends the chats first, then each chat’s messages, then that the chat is done', async () => {
    const { items, state } = await run({});
    expect(items.map((item) => item.kind)).toEqual([
      'chats',
      'messages',
      'progress',
      'chat-done',
      'progress',
    ]);
    const chats = items[0] as Extract<PageCollectItem, { kind: 'chats' }>;
    expect(chats.account).toEqual({ id: ME, name: 'Me' });
    expect(chats.contacts).toEqual({ [ANA]: { name: 'Ana', phone: '+4915100000002' } });
    expect(parseChat(chats.chats[0], { unknownKeys: 'reject' }).ok).toBe(true);
    const batch = items[1] as Extract<PageCollectItem, { kind: 'messages' }>;
    // Newest first, every one valid; the expired file is recorded, not hung on.
    expect(batch.messages.map((m) => (m as { id: string }).id)).toEqual([
      `false_${ANA}_A3`,
      `true_${ANA}_A2`,
      `false_${ANA}_A1`,
    ]);
    for (const message of batch.messages)
      expect(parseMessage(message, { unknownKeys: 'reject' }).ok).toBe(true);
    expect(batch.messages[0]).toMatchObject({ media: { status: 'expired' } });
    expect(items[3]).toMatchObject({ kind: 'chat-done', chatId: ANA, reachedStart: true, messages: 3 });
    expect(state).toMatchObject({ chatsDone: 1, chatsTotal: 1, messages: 3, mediaExpired: 1 });
  });

  it('reads only from `since` on, and never fetches media the catalog already has', async () => {
    let fetched = 0;
    const items: PageCollectItem[] = [];
    const state = progress();
    await collectWithModules(createModuleFinder(fakeClient().page), {
      start: {
        runId: 'r',
        options: { ...DEFAULT_COLLECT_OPTIONS, paceMs: 0 },
        cursors: { [ANA]: { since: 200 } },
        knownMedia: [HASH],
      },
      signal: new AbortController().signal,
      send: async (item) => {
        items.push(item);
      },
      progress: state,
      fetch: async () => {
        fetched++;
        return new Response('', { status: 500 });
      },
    });
    const batch = items.find((item) => item.kind === 'messages') as Extract<
      PageCollectItem,
      { kind: 'messages' }
    >;
    expect(batch.messages.map((m) => (m as { id: string }).id)).toEqual([
      `false_${ANA}_A3`,
      `true_${ANA}_A2`,
    ]);
    expect(batch.messages[0]).toMatchObject({ media: { status: 'stored', filehash: HASH } });
    expect(fetched).toBe(0);
    expect(state.mediaKnown).toBe(1);
  });

  it('says so when the chat collection cannot be found (the DOM reader takes over)', async () => {
    await expect(run({}, { require: () => ({}) })).rejects.toBeInstanceOf(ModulesMissingError);
  });
});
