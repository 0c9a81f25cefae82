import { afterEach, describe, expect, it } from 'vitest';
import { type Catalog, createCatalog } from '@/utils/catalog/catalog';
import { createCollectStore } from '@/utils/catalog/collect-store';
import { bytesToBase64 } from '@/utils/collect/base64-bytes';
import { type CollectionService, createCollectionService } from '@/utils/collect/collection-service';
import type { CollectStart, JsonCollectItem, ToContent } from '@/utils/messages/collect-protocol';
import { computeFilehash } from '@/utils/schema/filehash';
import type { Chat, Message } from '@/utils/schema/types';
import { type FakePort, portPair, settle } from './fakes';

// The background's side of collection, with the real catalog (fake-indexeddb) and a scripted
// content script at the other end of the Port.

const ANA = '4915100000002@c.us';
const ME = '4915100000001@c.us';
let counter = 0;
const catalogs: Catalog[] = [];
afterEach(async () => {
  for (const catalog of catalogs.splice(0)) await catalog.delete();
});

const chat: Chat = {
  id: ANA,
  kind: 'individual',
  name: 'Ana',
  completeness: {
    moreHistoryOnPhone: false,
    source: 'modules',
    expiredMedia: 0,
    failedMedia: 0,
    skippedMedia: 0,
  },
};
const text = (n: number, t = 1000 + n): Message => ({
  id: `false_${ANA}_T${n}`,
  chatId: ANA,
  timestamp: t,
  fromMe: false,
  senderId: ANA,
  type: 'chat',
  text: `hello ${n}`,
});
const image = (n: number, filehash: string, status: 'stored' | 'expired' = 'stored'): Message => ({
  id: `false_${ANA}_I${n}`,
  chatId: ANA,
  timestamp: 2000 + n,
  fromMe: false,
  type: 'image',
  media: { filehash, mimetype: 'image/jpeg', status, ...(status === 'stored' ? {} : { reason: 'gone' }) },
});

/** Plays the content script: answers `start` with `attached` and then runs `script`. */
function contentScript(
  port: FakePort,
  script: (send: (item: JsonCollectItem) => number, start: CollectStart) => void,
  resumed = false,
) {
  let seq = 0;
  const received: ToContent[] = [];
  const send = (item: JsonCollectItem) => {
    seq++;
    port.postMessage({
      type: 'item',
      runId: received[0]?.type === 'start' ? received[0].start.runId : 'x',
      seq,
      item,
    });
    return seq;
  };
  port.onMessage.addListener((message) => {
    received.push(message as ToContent);
    const m = message as ToContent;
    if (m.type === 'start') {
      port.postMessage({ type: 'attached', runId: m.start.runId, resumed });
      script(send, m.start);
    }
  });
  return {
    received,
    postMedia(runId: string, bytes: Uint8Array, filehash: string, parts = 2) {
      seq++;
      const size = Math.ceil(bytes.length / parts);
      for (let part = 0; part < parts; part++)
        port.postMessage({
          type: 'media-chunk',
          runId,
          seq,
          filehash,
          mimetype: 'image/jpeg',
          size: bytes.length,
          part,
          parts,
          data: bytesToBase64(bytes.subarray(part * size, (part + 1) * size)),
        });
      return seq;
    },
    setSeq(value: number) {
      seq = value;
    },
  };
}

function world(options: { noTab?: boolean } = {}) {
  const catalog = createCatalog(`collect-service-${counter++}`);
  catalogs.push(catalog);
  const sink = createCollectStore(catalog, () => 5_000);
  const connections: FakePort[] = [];
  let onConnect: (port: FakePort) => void = () => {};
  const make = () =>
    createCollectionService({
      sink,
      tabs: {
        findWhatsAppTab: async () => (options.noTab ? undefined : 7),
        connect: (tabId, name) => {
          expect(tabId).toBe(7);
          const [background, content] = portPair(name);
          connections.push(content);
          onConnect(content);
          return background;
        },
      },
      newRunId: () => `run${counter}`,
      now: () => 5_000,
      saveEveryMs: 0,
    });
  return {
    catalog,
    sink,
    connections,
    make,
    whenConnected(listener: (port: FakePort) => void) {
      onConnect = listener;
    },
  };
}

const bytes = new Uint8Array(3000).map((_, i) => (i * 31) % 251);

async function waitForState(service: CollectionService, state: string) {
  for (let i = 0; i < 200; i++) {
    if ((await service.status())?.state === state) return (await service.status())!;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`never reached ${state}: ${JSON.stringify(await service.status())}`);
}

describe('collection service', () => {
  it('stores what the page sends, validated and in order, and acknowledges only what is stored', async () => {
    const w = world();
    const filehash = await computeFilehash(bytes);
    let script!: ReturnType<typeof contentScript>;
    w.whenConnected((port) => {
      script = contentScript(port, (send, start) => {
        send({
          kind: 'chats',
          mode: 'modules',
          chats: [chat, { id: 'bad' }],
          contacts: { [ANA]: { name: 'Ana' } },
          account: { id: ME, name: 'Me' },
        });
        script.postMedia(start.runId, bytes, filehash);
        // A forged hash: the bytes are refused, and a message claiming them is not believed.
        script.postMedia(start.runId, bytes.slice(1), 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=');
        send({
          kind: 'messages',
          chatId: ANA,
          messages: [
            text(1),
            text(2),
            image(1, filehash),
            image(2, 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='),
            { ...text(3), fromMe: true },
            { ...text(4), chatId: ME },
          ],
        });
        send({ kind: 'chat-done', chatId: ANA, chat, reachedStart: true, messages: 4 });
        send({ kind: 'end', outcome: 'done' });
      });
    });
    const service = w.make();
    const reports: number[][] = [];
    const run = await service.collect(
      new AbortController().signal,
      (done, total) => reports.push([done, total]),
      { paceMs: 0 },
    );
    expect(run).toMatchObject({ state: 'done', mode: 'modules', attempts: 1 });
    const acks = script.received.filter((m) => m.type === 'ack').map((m) => (m as { seq: number }).seq);
    expect(acks).toEqual([1, 2, 3, 4, 5, 6]);

    const messages = await w.catalog.messages.toArray();
    expect(messages.map((r) => r.id).sort()).toEqual(
      [text(1).id, text(2).id, image(1, filehash).id, image(2, '').id].sort(),
    );
    expect((await w.catalog.messages.get(image(2, '').id))?.message.media).toMatchObject({
      status: 'failed',
    });
    expect((await w.catalog.media.get(filehash))?.size).toBe(bytes.length);
    expect(await w.catalog.media.count()).toBe(1);
    const stored = (await w.catalog.chats.get(ANA))!.chat;
    expect(stored.completeness.failedMedia).toBe(1);
    expect(await w.catalog.cursors.get(ANA)).toEqual({
      chatId: ANA,
      newestTimestamp: 2002,
      oldestTimestamp: 1001,
      updatedAt: 5000,
      historyComplete: true,
    });
    expect((await w.catalog.meta.get('account'))?.value).toEqual({ id: ME, name: 'Me' });
    expect((await w.catalog.meta.get('contacts'))?.value).toEqual({ [ANA]: { name: 'Ana' } });
  });

  it('gives the next run a cursor (newest minus look-back) and the media it already has', async () => {
    const w = world();
    const filehash = await computeFilehash(bytes);
    w.whenConnected((port) =>
      contentScript(port, (send) => {
        send({ kind: 'chats', mode: 'modules', chats: [chat], contacts: {} });
        send({ kind: 'messages', chatId: ANA, messages: [text(1, 100_000)] });
        send({ kind: 'chat-done', chatId: ANA, chat, reachedStart: true, messages: 1 });
        send({ kind: 'end', outcome: 'done' });
      }),
    );
    const service = w.make();
    await service.collect(new AbortController().signal, () => {}, { lookbackSeconds: 600 });
    await w.sink.storeMedia([{ filehash, blob: new Blob([bytes]) }]);
    let second: CollectStart | undefined;
    w.whenConnected((port) =>
      contentScript(port, (send, start) => {
        second = start;
        send({ kind: 'end', outcome: 'done' });
      }),
    );
    await service.collect(new AbortController().signal, () => {}, { lookbackSeconds: 600 });
    expect(second?.cursors).toEqual({ [ANA]: { since: 100_000 - 600 } });
    expect(second?.knownMedia).toEqual([filehash]);
  });

  it('fails clearly, keeping what was stored, when the tab goes away mid-run', async () => {
    const w = world();
    w.whenConnected((port) =>
      contentScript(port, (send) => {
        send({ kind: 'chats', mode: 'modules', chats: [chat], contacts: {} });
        send({ kind: 'messages', chatId: ANA, messages: [text(1)] });
        setTimeout(() => port.disconnect(), 10);
      }),
    );
    const service = w.make();
    await expect(service.collect(new AbortController().signal, () => {})).rejects.toMatchObject({
      code: 'tab-closed',
    });
    expect((await service.status())?.error?.message).toMatch(/collected so far is kept/);
    expect(await w.catalog.messages.count()).toBe(1);
  });

  it('says when there is no WhatsApp Web tab, or no content script in it', async () => {
    const none = world({ noTab: true });
    await expect(none.make().collect(new AbortController().signal, () => {})).rejects.toMatchObject({
      code: 'no-tab',
    });
    const mute = world();
    mute.whenConnected((port) => setTimeout(() => port.disconnect(), 5));
    await expect(mute.make().collect(new AbortController().signal, () => {})).rejects.toMatchObject({
      code: 'no-content-script',
    });
  });

  it('reports a page that needs the QR code scanned', async () => {
    const w = world();
    w.whenConnected((port) => contentScript(port, (send) => send({ kind: 'end', outcome: 'needs-qr-scan' })));
    await expect(w.make().collect(new AbortController().signal, () => {})).rejects.toMatchObject({
      code: 'needs-qr-scan',
    });
  });

  it('continues a run in a new worker after the old one stopped, with the same run id', async () => {
    const w = world();
    w.whenConnected((port) =>
      contentScript(port, (send) => {
        send({ kind: 'chats', mode: 'modules', chats: [chat], contacts: {} });
        send({ kind: 'messages', chatId: ANA, messages: [text(1)] });
        // The worker stops here: no end ever comes to this one.
      }),
    );
    const first = w.make();
    const started = await first.start({ paceMs: 0 });
    await settle(20);
    expect(await w.catalog.messages.count()).toBe(1);

    let resumedStart: CollectStart | undefined;
    w.whenConnected((port) => {
      const script = contentScript(
        port,
        (send, start) => {
          resumedStart = start;
          script.setSeq(2);
          // The content script sends what the old worker had not acknowledged, then goes on.
          send({ kind: 'messages', chatId: ANA, messages: [text(2)] });
          send({ kind: 'chat-done', chatId: ANA, chat, reachedStart: true, messages: 2 });
          send({ kind: 'end', outcome: 'done' });
        },
        true,
      );
    });
    const second = w.make();
    const before = w.connections.length;
    // A new worker is asked twice at once (its start-up and the content script's wake-up Port):
    // it must open one Port, not two runs of the same id.
    await Promise.all([second.resumeIfInterrupted(), second.resumeIfInterrupted()]);
    const run = await waitForState(second, 'done');
    expect(w.connections.length).toBe(before + 1);
    expect(resumedStart?.runId).toBe(started.runId);
    expect(run).toMatchObject({ runId: started.runId, attempts: 2 });
    expect(await w.catalog.messages.count()).toBe(2);
  });

  it('cancels: the page is told, the run ends cancelled and collect rejects', async () => {
    const w = world();
    let script!: ReturnType<typeof contentScript>;
    w.whenConnected((port) => {
      script = contentScript(port, (send) =>
        send({ kind: 'chats', mode: 'modules', chats: [chat], contacts: {} }),
      );
      port.onMessage.addListener((message) => {
        if ((message as ToContent).type === 'cancel') script.setSeq(1);
        if ((message as ToContent).type === 'cancel')
          port.postMessage({
            type: 'item',
            runId: (message as { runId: string }).runId,
            seq: 2,
            item: { kind: 'end', outcome: 'cancelled' },
          });
      });
    });
    const controller = new AbortController();
    const running = w.make().collect(controller.signal, () => {});
    await settle(10);
    controller.abort(new DOMException('stop', 'AbortError'));
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect(script.received.some((m) => m.type === 'cancel')).toBe(true);
  });

  it('answers extension pages on the control Port, and only them', async () => {
    const w = world();
    w.whenConnected((port) => contentScript(port, (send) => send({ kind: 'end', outcome: 'done' })));
    const service = createCollectionService({
      sink: w.sink,
      tabs: {
        findWhatsAppTab: async () => 7,
        connect: (_tab, name) => {
          const [background, content] = portPair(name);
          contentScript(content, (send) => send({ kind: 'end', outcome: 'done' }));
          return background;
        },
      },
      isExtensionPage: (sender) => sender?.url?.startsWith('chrome-extension://me/') === true,
    });
    const [page, background] = portPair('chatvault/collect-control', {
      id: 'me',
      url: 'chrome-extension://me/popup.html',
    });
    service.attachControl(background);
    page.postMessage({ type: 'start', options: { paceMs: 0 } });
    await settle(30);
    const answers = page.peer!.sent as { type: string; run?: { state: string } }[];
    expect(answers.some((a) => a.type === 'status' && a.run?.state === 'running')).toBe(true);
    expect(answers.some((a) => a.type === 'status' && a.run?.state === 'done')).toBe(true);
    page.postMessage({ type: 'report' });
    page.postMessage({ type: 'nonsense' });
    await settle(10);
    expect(answers.some((a) => a.type === 'report')).toBe(true);
    expect(answers.some((a) => a.type === 'error')).toBe(true);

    const [stranger, strangerEnd] = portPair('chatvault/collect-control', {
      url: 'https://web.whatsapp.com/',
    });
    service.attachControl(strangerEnd);
    await settle();
    expect(stranger.connected).toBe(false);
  });
});
