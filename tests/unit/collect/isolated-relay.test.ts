import { describe, expect, it } from 'vitest';
import { base64ToBytes } from '@/utils/collect/base64-bytes';
import { createRelay } from '@/utils/collect/isolated-relay';
import {
  type CollectStart,
  DEFAULT_COLLECT_OPTIONS,
  MEDIA_CHUNK_BYTES,
} from '@/utils/messages/collect-protocol';
import { isolatedToMain, mainToIsolated, PAGE_CHANNEL } from '@/utils/messages/page-protocol';
import { createWindowSender, listenOnWindow, type WindowLike } from '@/utils/messages/window-channel';
import { type FakePort, portPair, settle } from './fakes';

/** A window whose postMessage reaches its listeners at once (structured clone is not needed here). */
function fakeWindow(): WindowLike {
  const listeners = new Set<(event: MessageEvent) => void>();
  const self: WindowLike = {
    location: { origin: 'https://web.whatsapp.com' },
    addEventListener: (_: 'message', listener: (event: MessageEvent) => void) => void listeners.add(listener),
    removeEventListener: (_: 'message', listener: (event: MessageEvent) => void) =>
      void listeners.delete(listener),
    postMessage: (data: unknown) => {
      for (const listener of [...listeners]) listener({ data, source: self } as MessageEvent);
    },
  };
  return self;
}

const start = (runId = 'run1'): CollectStart => ({
  runId,
  options: DEFAULT_COLLECT_OPTIONS,
  cursors: {},
  knownMedia: [],
});

function setup(options: { maxItems?: number; orphanMs?: number } = {}) {
  const page = fakeWindow();
  const toMain: { type: string; payload: unknown }[] = [];
  // The MAIN world's view: what the relay tells it.
  const handlers = Object.fromEntries(
    Object.keys(isolatedToMain).map((type) => [type, (payload: unknown) => toMain.push({ type, payload })]),
  );
  listenOnWindow(page, 'isolated-to-main', isolatedToMain, handlers);
  const main = createWindowSender(page, 'main-to-isolated', mainToIsolated);
  const wakes: string[] = [];
  const relay = createRelay({
    page,
    wake: (runId) => wakes.push(runId),
    wakeEveryMs: 10,
    orphanMs: options.orphanMs ?? 60_000,
    ...(options.maxItems ? { maxItems: options.maxItems } : {}),
  });
  const connect = () => {
    const [background, content] = portPair('chatvault/collect');
    relay.attach(content);
    return background;
  };
  const acksToMain = () =>
    toMain.filter((m) => m.type === 'isolated/collect-ack').map((m) => (m.payload as { seq: number }).seq);
  const item = (seq: number, runId = 'run1') =>
    main('main/collect-item', { runId, seq, item: { kind: 'progress', progress: progress(seq) } });
  return { page, relay, toMain, wakes, connect, main, item, acksToMain };
}

const progress = (messages: number) => ({
  chatsDone: 0,
  chatsTotal: 1,
  messages,
  mediaStored: 0,
  mediaKnown: 0,
  mediaExpired: 0,
  mediaFailed: 0,
  mediaSkipped: 0,
  mediaBytes: 0,
  historyLoads: 0,
});

const sentOf = (port: FakePort) =>
  (port.peer as FakePort).sent as { type: string; seq?: number; resumed?: boolean }[];

describe('isolated relay', () => {
  it('starts the MAIN world, forwards its items and acknowledges them while there is room', async () => {
    const t = setup();
    const background = t.connect();
    background.postMessage({ type: 'start', start: start() });
    await settle();
    expect(sentOf(background)[0]).toEqual({ type: 'attached', runId: 'run1', resumed: false });
    expect(t.toMain[0]).toMatchObject({ type: 'isolated/collect-start', payload: { runId: 'run1' } });
    t.item(1);
    t.item(2);
    await settle();
    expect(
      sentOf(background)
        .filter((m) => m.type === 'item')
        .map((m) => m.seq),
    ).toEqual([1, 2]);
    expect(t.acksToMain()).toEqual([1, 2]);
    // Items of another run (or forged ones) are ignored.
    t.item(3, 'other');
    t.item(2);
    await settle();
    expect(sentOf(background).filter((m) => m.type === 'item')).toHaveLength(2);
  });

  it('sends media as base64 chunks that join back to the same bytes', async () => {
    const t = setup();
    const background = t.connect();
    background.postMessage({ type: 'start', start: start() });
    await settle();
    const bytes = new Uint8Array(MEDIA_CHUNK_BYTES * 2 + 123).map((_, i) => (i * 7) % 256);
    const filehash = 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=';
    t.main('main/collect-item', {
      runId: 'run1',
      seq: 1,
      item: { kind: 'media', filehash, mimetype: 'image/jpeg', bytes: new Blob([bytes]) },
    });
    // A later item leaves after the media, though reading the Blob takes a moment.
    t.item(2);
    await settle();
    const order = sentOf(background).flatMap((m) =>
      m.type === 'item' || m.type === 'media-chunk' ? [m.type] : [],
    );
    expect(order).toEqual(['media-chunk', 'media-chunk', 'media-chunk', 'item']);
    const chunks = (background.peer as FakePort).sent.filter(
      (m) => (m as { type: string }).type === 'media-chunk',
    ) as {
      part: number;
      parts: number;
      data: string;
      size: number;
    }[];
    expect(chunks.map((c) => [c.part, c.parts])).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
    ]);
    const joined = new Uint8Array(chunks.flatMap((c) => [...base64ToBytes(c.data)]));
    expect(joined).toEqual(bytes);
    expect(chunks[0]!.size).toBe(bytes.length);
  });

  it('holds the MAIN world back while the background has not stored enough (backpressure)', async () => {
    const t = setup({ maxItems: 2 });
    const background = t.connect();
    background.postMessage({ type: 'start', start: start() });
    await settle();
    for (let seq = 1; seq <= 4; seq++) t.item(seq);
    expect(t.acksToMain()).toEqual([1]);
    // Items 3 and 4 still fill the buffer: the MAIN world keeps waiting.
    background.postMessage({ type: 'ack', runId: 'run1', seq: 2 });
    await settle();
    expect(t.acksToMain()).toEqual([1]);
    background.postMessage({ type: 'ack', runId: 'run1', seq: 3 });
    await settle();
    expect(t.acksToMain()).toEqual([1, 2, 3, 4]);
    background.postMessage({ type: 'ack', runId: 'run1', seq: 4 });
    await settle();
    expect(t.relay.state()).toMatchObject({ buffered: 0 });
  });

  it('wakes a background that went away and sends it everything it had not stored', async () => {
    const t = setup();
    const first = t.connect();
    first.postMessage({ type: 'start', start: start() });
    await settle();
    for (let seq = 1; seq <= 3; seq++) t.item(seq);
    first.postMessage({ type: 'ack', runId: 'run1', seq: 1 });
    await settle();
    first.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(t.wakes.length).toBeGreaterThan(0);
    expect(t.wakes.every((runId) => runId === 'run1')).toBe(true);
    // The MAIN world keeps going meanwhile; its items wait in the buffer.
    t.item(4);
    const second = t.connect();
    second.postMessage({ type: 'start', start: start() });
    await settle();
    const sent = sentOf(second);
    expect(sent[0]).toEqual({ type: 'attached', runId: 'run1', resumed: true });
    expect(sent.filter((m) => m.type === 'item').map((m) => m.seq)).toEqual([2, 3, 4]);
    // Only one MAIN-world run: the same run id did not start another.
    expect(t.toMain.filter((m) => m.type === 'isolated/collect-start')).toHaveLength(1);
    const wakesBefore = t.wakes.length;
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(t.wakes.length).toBe(wakesBefore);
  });

  it('passes a cancel on, still lets the run end, and then does not wake anyone', async () => {
    const t = setup();
    const background = t.connect();
    background.postMessage({ type: 'start', start: start() });
    await settle();
    background.postMessage({ type: 'cancel', runId: 'run1' });
    await settle();
    expect(t.toMain.some((m) => m.type === 'isolated/collect-cancel')).toBe(true);
    t.item(1);
    t.main('main/collect-item', { runId: 'run1', seq: 2, item: { kind: 'end', outcome: 'cancelled' } });
    await settle();
    expect(
      sentOf(background)
        .filter((m) => m.type === 'item')
        .map((m) => m.seq),
    ).toEqual([2]);
    background.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(t.wakes).toEqual([]);
  });

  it('gives a run up when no background comes back in time', async () => {
    const t = setup({ orphanMs: 30 });
    const background = t.connect();
    background.postMessage({ type: 'start', start: start() });
    await settle();
    t.item(1);
    background.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(t.toMain.some((m) => m.type === 'isolated/collect-cancel')).toBe(true);
    expect(t.relay.state().runId).toBeUndefined();
  });

  it('ignores malformed messages from the Port', async () => {
    const t = setup();
    const background = t.connect();
    background.postMessage({ type: 'start', start: { runId: 'bad id with spaces' } });
    background.postMessage({ nonsense: true });
    await settle();
    expect(sentOf(background)).toEqual([]);
    expect(PAGE_CHANNEL).toBe('chatvault/v1');
  });
});
