import {
  type CollectStart,
  type JsonCollectItem,
  MEDIA_CHUNK_BYTES,
  type PageCollectItem,
  type ToBackground,
  toContent,
} from '@/utils/messages/collect-protocol';
import { isolatedToMain, mainToIsolated } from '@/utils/messages/page-protocol';
import { createWindowSender, listenOnWindow, type WindowLike } from '@/utils/messages/window-channel';
import { bytesToBase64 } from './base64-bytes';
import type { PortLike } from './port-like';

/**
 * The isolated content script's part of a collection run: it relays between the background's
 * Port and the MAIN world, and it is where the run survives a service-worker restart. Items the
 * background has not acknowledged stay in a bounded buffer; when the Port drops mid-run the
 * relay wakes the background (which resumes the run and connects again) and sends the buffer
 * again. While the buffer is full the MAIN world is not acknowledged, so it waits.
 */
export interface RelayOptions {
  page: WindowLike;
  /** Wakes the background after its Port dropped (a `runtime.connect`, which starts a worker). */
  wake: (runId: string) => void;
  log?: (text: string) => void;
  /** Buffer bounds; at least one item is always accepted. */
  maxItems?: number;
  maxBytes?: number;
  /** How long a run waits for a background to come back before it is given up. */
  orphanMs?: number;
  wakeEveryMs?: number;
}

export interface Relay {
  /** Takes a Port the background opened to this tab. */
  attach(port: PortLike): void;
  /** What the relay holds (for tests). */
  state(): { runId?: string; buffered: number; bufferedBytes: number; attached: boolean };
  stop(): void;
}

interface Buffered {
  seq: number;
  item: PageCollectItem;
  bytes: number;
}

interface RelayRun {
  start: CollectStart;
  buffer: Buffered[];
  bytes: number;
  port?: PortLike;
  /** MAIN-world sequence numbers received but not acknowledged (buffer full). */
  owed: number[];
  /** The chain of sends, so items leave in order. */
  sending: Promise<void>;
  /** The newest MAIN-world sequence number seen (forged or repeated ones are dropped). */
  lastSeq: number;
  ended: boolean;
  cancelled: boolean;
  orphanSince?: number;
  wakeTimer?: ReturnType<typeof setInterval>;
}

export function createRelay(options: RelayOptions): Relay {
  const log = options.log ?? (() => {});
  const maxItems = options.maxItems ?? 16;
  const maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  const orphanMs = options.orphanMs ?? 3 * 60_000;
  const wakeEveryMs = options.wakeEveryMs ?? 5000;
  const toMain = createWindowSender(options.page, 'isolated-to-main', isolatedToMain);
  let run: RelayRun | undefined;

  const hasRoom = (current: RelayRun) => current.buffer.length < maxItems && current.bytes < maxBytes;
  const payOwed = (current: RelayRun) => {
    while (current.owed.length > 0 && (hasRoom(current) || current.buffer.length === 0)) {
      toMain('isolated/collect-ack', { runId: current.start.runId, seq: current.owed.shift()! });
    }
  };
  const post = (port: PortLike, message: ToBackground) => {
    try {
      port.postMessage(message);
      return true;
    } catch (error) {
      log(`ChatVault: the extension's Port closed: ${String(error)}`);
      return false;
    }
  };
  /** Sends items in order: reading a Blob's bytes is asynchronous, so sends are chained. */
  const transmit = (current: RelayRun, entry: Buffered) => {
    current.sending = current.sending
      .then(() => send(current, entry))
      .catch((error) => {
        log(`ChatVault: could not send an item: ${String(error)}`);
      });
  };
  const send = async (current: RelayRun, entry: Buffered) => {
    const runId = current.start.runId;
    const { item, seq } = entry;
    if (item.kind !== 'media') {
      if (current.port) post(current.port, { type: 'item', runId, seq, item: item as JsonCollectItem });
      return;
    }
    const bytes = new Uint8Array(await item.bytes.arrayBuffer());
    const port = current.port;
    if (!port) return;
    const parts = Math.max(1, Math.ceil(bytes.length / MEDIA_CHUNK_BYTES));
    for (let part = 0; part < parts; part++) {
      const data = bytesToBase64(bytes.subarray(part * MEDIA_CHUNK_BYTES, (part + 1) * MEDIA_CHUNK_BYTES));
      const message: ToBackground = {
        type: 'media-chunk',
        runId,
        seq,
        filehash: item.filehash,
        size: bytes.length,
        part,
        parts,
        data,
        ...(item.mimetype === undefined ? {} : { mimetype: item.mimetype }),
      };
      if (!post(port, message)) return;
    }
  };
  const finish = (current: RelayRun) => {
    if (current.wakeTimer) clearInterval(current.wakeTimer);
    if (run === current) run = undefined;
  };
  const orphan = (current: RelayRun) => {
    current.port = undefined;
    if (current.cancelled || (current.ended && current.buffer.length === 0)) return finish(current);
    current.orphanSince = Date.now();
    const tryWake = () => {
      if (current.port || run !== current) return;
      if (Date.now() - (current.orphanSince ?? Date.now()) > orphanMs) {
        log('ChatVault: the extension did not come back; the collection stops.');
        toMain('isolated/collect-cancel', { runId: current.start.runId });
        return finish(current);
      }
      options.wake(current.start.runId);
    };
    current.wakeTimer = setInterval(tryWake, wakeEveryMs);
    setTimeout(tryWake, Math.min(500, wakeEveryMs));
  };

  const stopWindow = listenOnWindow(options.page, 'main-to-isolated', mainToIsolated, {
    'main/collect-item': ({ runId, seq, item }) => {
      const current = run;
      if (!current || current.start.runId !== runId || seq <= current.lastSeq) return;
      // After a cancel only the run's last word still goes out.
      if (current.cancelled && item.kind !== 'end') return;
      current.lastSeq = seq;
      const entry: Buffered = { seq, item, bytes: item.kind === 'media' ? item.bytes.size : 256 };
      current.buffer.push(entry);
      current.bytes += entry.bytes;
      if (item.kind === 'end') current.ended = true;
      transmit(current, entry);
      current.owed.push(seq);
      payOwed(current);
    },
  });

  const onPortMessage = (port: PortLike, raw: unknown) => {
    const parsed = toContent.safeParse(raw);
    if (!parsed.success) return log('ChatVault: ignored a malformed message from the extension');
    const message = parsed.data;
    if (message.type === 'start') {
      const start = message.start;
      if (run && run.start.runId === start.runId && !run.cancelled) {
        // A restarted service worker picks the run up: everything unacknowledged goes again.
        run.port = port;
        run.orphanSince = undefined;
        if (run.wakeTimer) clearInterval(run.wakeTimer);
        post(port, { type: 'attached', runId: start.runId, resumed: true });
        for (const entry of run.buffer) transmit(run, entry);
        return;
      }
      if (run) {
        toMain('isolated/collect-cancel', { runId: run.start.runId });
        finish(run);
      }
      run = {
        start,
        buffer: [],
        bytes: 0,
        port,
        owed: [],
        sending: Promise.resolve(),
        lastSeq: 0,
        ended: false,
        cancelled: false,
      };
      post(port, { type: 'attached', runId: start.runId, resumed: false });
      toMain('isolated/collect-start', start);
      return;
    }
    const current = run;
    if (!current || current.start.runId !== message.runId) return;
    if (message.type === 'cancel') {
      current.cancelled = true;
      toMain('isolated/collect-cancel', { runId: message.runId });
      return;
    }
    // 'ack': the background stored everything up to seq.
    const kept = current.buffer.filter((entry) => entry.seq > message.seq);
    for (const entry of current.buffer) if (entry.seq <= message.seq) current.bytes -= entry.bytes;
    current.buffer = kept;
    payOwed(current);
    if (current.ended && current.buffer.length === 0) finish(current);
  };

  return {
    attach(port) {
      port.onMessage.addListener((message) => onPortMessage(port, message));
      port.onDisconnect.addListener(() => {
        const current = run;
        if (current && current.port === port) orphan(current);
      });
    },
    state: () => ({
      ...(run ? { runId: run.start.runId } : {}),
      buffered: run?.buffer.length ?? 0,
      bufferedBytes: run?.bytes ?? 0,
      attached: run?.port !== undefined,
    }),
    stop() {
      stopWindow();
      if (run) finish(run);
    },
  };
}
