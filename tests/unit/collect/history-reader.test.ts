import { describe, expect, it } from 'vitest';
import { type HistoryOptions, readChatHistory } from '@/utils/collect/history-reader';

/**
 * A chat whose history the client pages in like WhatsApp Web: `chat.msgs` holds the newest
 * `initial` messages, `loadEarlierMsgs` prepends `pageSize` older ones and sets
 * `msgLoadState.noEarlierMsgs` with the last page; `onPhone` more are only on the phone.
 */
function fakeChat(total: number, options: { initial?: number; pageSize?: number; onPhone?: number } = {}) {
  const pageSize = options.pageSize ?? 10;
  let onPhone = options.onPhone ?? 0;
  const all = Array.from({ length: total }, (_, i) => ({ id: `false_1@c.us_M${i}`, t: 1000 + i }));
  const msgs = {
    models: all.slice(total - (options.initial ?? 5)),
    msgLoadState: { noEarlierMsgs: false },
    getModelsArray() {
      return this.models.slice();
    },
  };
  const chat = { id: '1@c.us', msgs, endOfHistoryTransferType: onPhone > 0 ? 0 : 1 };
  const calls = { load: 0, phone: 0, find: 0 };
  const firstOnWeb = () => onPhone;
  const loadEarlierMsgs = async (_chat: unknown, loaded: unknown) => {
    const target = loaded as typeof msgs;
    calls.load++;
    if (target.msgLoadState.noEarlierMsgs) return [];
    const oldest = all.indexOf(target.models[0]!);
    const page = all.slice(Math.max(firstOnWeb(), oldest - pageSize), oldest);
    target.models = [...page, ...target.models];
    if (oldest - pageSize <= firstOnWeb()) target.msgLoadState.noEarlierMsgs = true;
    return page;
  };
  const sendPeerDataOperationRequest = async (type: number) => {
    calls.phone++;
    expect(type).toBe(3);
    setTimeout(() => {
      onPhone = 0;
      chat.endOfHistoryTransferType = 1;
      msgs.msgLoadState.noEarlierMsgs = false;
    }, 20);
  };
  const msgFindByDirection = async (query: { anchor: unknown; count: number }) => {
    calls.find++;
    const at = all.findIndex((m) => m.id === String(query.anchor));
    return {
      messages: at <= 0 ? [] : all.slice(Math.max(0, at - query.count), at).map((m) => ({ ...m })),
      status: 200,
    };
  };
  return { chat, all, calls, tools: { loadEarlierMsgs, sendPeerDataOperationRequest, msgFindByDirection } };
}

const options = (extra: Partial<HistoryOptions> = {}): HistoryOptions => ({
  findCount: 25,
  askPhone: false,
  phoneWaitMs: 1000,
  phoneRounds: 3,
  pause: async () => {},
  signal: new AbortController().signal,
  ...extra,
});

async function read(
  fake: ReturnType<typeof fakeChat>,
  tools: Parameters<typeof readChatHistory>[1],
  opts: HistoryOptions,
) {
  const batches: string[][] = [];
  const result = await readChatHistory(fake.chat, tools, opts, async (models) => {
    batches.push(models.map((m) => (m as { id: string }).id));
  });
  return { result, batches, ids: batches.flat() };
}

describe('readChatHistory', () => {
  it('pages back to the start and emits every message once, newest first', async () => {
    const fake = fakeChat(47);
    const { result, ids } = await read(fake, { loadEarlierMsgs: fake.tools.loadEarlierMsgs }, options());
    expect(ids).toEqual(fake.all.map((m) => m.id).reverse());
    expect(result).toMatchObject({ reachedStart: true, moreOnPhone: false, fellBack: false });
    expect(fake.calls.load).toBe(5);
  });

  it('holds the newest page back until the next older one is loaded (quotes point back)', async () => {
    const fake = fakeChat(30, { initial: 10, pageSize: 10 });
    const seenWhenEmitted: number[] = [];
    await readChatHistory(
      fake.chat,
      { loadEarlierMsgs: fake.tools.loadEarlierMsgs },
      options(),
      async (models) => {
        const oldestEmitted = Math.min(...models.map((m) => (m as { t: number }).t));
        const oldestLoaded = fake.chat.msgs.models[0]!.t;
        seenWhenEmitted.push(oldestEmitted - oldestLoaded);
      },
    );
    // Every batch but the last was emitted with a whole page of older messages already loaded.
    expect(seenWhenEmitted.slice(0, -1).every((gap) => gap >= 10)).toBe(true);
  });

  it('stops at `since` and emits only messages from then on', async () => {
    const fake = fakeChat(100, { initial: 5, pageSize: 10 });
    const since = 1000 + 80;
    const { result, ids } = await read(
      fake,
      { loadEarlierMsgs: fake.tools.loadEarlierMsgs },
      options({ since }),
    );
    expect(ids).toEqual(
      fake.all
        .filter((m) => m.t >= since)
        .map((m) => m.id)
        .reverse(),
    );
    expect(result.reachedStart).toBe(true);
    expect(fake.calls.load).toBe(2);
  });

  it('asks the phone for the history it still holds, and pages on when it arrives', async () => {
    const fake = fakeChat(40, { onPhone: 15 });
    const tools = {
      loadEarlierMsgs: fake.tools.loadEarlierMsgs,
      sendPeerDataOperationRequest: fake.tools.sendPeerDataOperationRequest,
    };
    const { result, ids } = await read(fake, tools, options({ askPhone: true }));
    expect(fake.calls.phone).toBe(1);
    expect(ids).toHaveLength(40);
    expect(result.moreOnPhone).toBe(false);
  });

  it('records history left on the phone when the phone does not answer', async () => {
    const fake = fakeChat(40, { onPhone: 15 });
    const silent = async () => {};
    const { result, ids } = await read(
      fake,
      { loadEarlierMsgs: fake.tools.loadEarlierMsgs, sendPeerDataOperationRequest: silent },
      options({ askPhone: true, phoneWaitMs: 50, phoneRounds: 2 }),
    );
    expect(ids).toHaveLength(25);
    expect(result).toMatchObject({ reachedStart: true, moreOnPhone: true });
  });

  it('falls back to msgFindByDirection when the paging loop throws', async () => {
    const fake = fakeChat(60, { initial: 5 });
    const broken = async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'waitForChatLoading')");
    };
    const { result, ids } = await read(
      fake,
      { loadEarlierMsgs: broken, msgFindByDirection: fake.tools.msgFindByDirection },
      options(),
    );
    expect(new Set(ids).size).toBe(60);
    expect(result).toMatchObject({ fellBack: true, reachedStart: true });
    expect(fake.calls.find).toBe(3);
  });

  it('ends after repeated empty pages even when the client never sets noEarlierMsgs', async () => {
    const fake = fakeChat(5, { initial: 5 });
    const empty = async () => [];
    const { result, ids } = await read(fake, { loadEarlierMsgs: empty }, options());
    expect(ids).toHaveLength(5);
    expect(result.reachedStart).toBe(true);
  });

  it('stops when cancelled', async () => {
    const fake = fakeChat(100);
    const controller = new AbortController();
    const reading = read(
      fake,
      { loadEarlierMsgs: fake.tools.loadEarlierMsgs },
      options({
        signal: controller.signal,
        pause: async () => controller.abort(new DOMException('stop', 'AbortError')),
      }),
    );
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
  });
});
