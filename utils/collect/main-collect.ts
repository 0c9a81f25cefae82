import type { CollectProgress, CollectStart, PageCollectItem } from '@/utils/messages/collect-protocol';
import { isolatedToMain, mainToIsolated } from '@/utils/messages/page-protocol';
import { createWindowSender, listenOnWindow, type WindowLike } from '@/utils/messages/window-channel';
import { collectFromDom } from './dom-collector';
import { type CollectRunContext, collectWithModules, ModulesMissingError } from './module-collector';
import { createModuleFinder } from './module-finder';
import { NotReadyError, waitUntilReady } from './readiness';

/**
 * The MAIN world's side of a collection run: started, acknowledged and cancelled by the
 * isolated script through window messages. Items are numbered; at most WINDOW of them may be
 * unacknowledged, so when the extension falls behind the reading simply waits. One run at a
 * time: a start with another run id cancels the current run first.
 */
const WINDOW = 4;
/** Without any acknowledgement for this long the isolated script is gone: stop. */
const STALL_MS = 10 * 60_000;
/** A long download still tells the extension (and keeps its service worker awake) this often. */
const HEARTBEAT_MS = 10_000;

export interface MainCollectorDeps {
  document?: Document;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

interface Run {
  runId: string;
  controller: AbortController;
  seq: number;
  acked: number;
  lastAckAt: number;
  lastSentAt: number;
  wake: (() => void)[];
}

export function startMainCollector(
  page: WindowLike & Record<string, unknown>,
  deps: MainCollectorDeps = {},
): () => void {
  const post = createWindowSender(page, 'main-to-isolated', mainToIsolated);
  let current: Run | undefined;

  const start = (request: CollectStart) => {
    if (current?.runId === request.runId) return;
    current?.controller.abort(new DOMException('replaced by a new run', 'AbortError'));
    const run: Run = {
      runId: request.runId,
      controller: new AbortController(),
      seq: 0,
      acked: 0,
      lastAckAt: Date.now(),
      lastSentAt: Date.now(),
      wake: [],
    };
    current = run;
    void execute(run, request).finally(() => {
      if (current === run) current = undefined;
    });
  };

  const postItem = (run: Run, item: PageCollectItem) => {
    run.seq++;
    run.lastSentAt = Date.now();
    post('main/collect-item', { runId: run.runId, seq: run.seq, item });
  };

  const sendItem = async (run: Run, item: PageCollectItem) => {
    run.controller.signal.throwIfAborted();
    postItem(run, item);
    while (run.seq - run.acked > WINDOW) {
      if (Date.now() - run.lastAckAt > STALL_MS) {
        run.controller.abort(new DOMException('the extension stopped answering', 'TimeoutError'));
      }
      run.controller.signal.throwIfAborted();
      await new Promise<void>((resolve) => {
        run.wake.push(resolve);
        setTimeout(resolve, 1000);
      });
    }
  };

  async function execute(run: Run, request: CollectStart): Promise<void> {
    const signal = run.controller.signal;
    const progress: CollectProgress = {
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
    };
    const heartbeat = setInterval(() => {
      if (Date.now() - run.lastSentAt >= HEARTBEAT_MS && !signal.aborted)
        postItem(run, { kind: 'progress', progress: { ...progress } });
    }, HEARTBEAT_MS);
    const context: CollectRunContext = {
      start: request,
      signal,
      send: (item) => sendItem(run, item),
      progress,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    };
    const doc = deps.document ?? (page.document as Document | undefined);
    try {
      const finder = createModuleFinder(page);
      const ready = await waitUntilReady(page, finder, doc, {
        timeoutMs: request.options.readyTimeoutMs,
        signal,
      });
      if (ready.state === 'needs-qr-scan') {
        postItem(run, {
          kind: 'end',
          outcome: 'needs-qr-scan',
          message: 'WhatsApp Web is not linked to a phone: scan the QR code first.',
        });
        return;
      }
      let usedDom = ready.state === 'no-modules';
      if (!usedDom) {
        await finder.settle(signal);
        try {
          await collectWithModules(finder, context);
        } catch (error) {
          if (!(error instanceof ModulesMissingError) || !request.options.allowDomFallback) throw error;
          usedDom = true;
        }
      }
      if (usedDom) {
        if (!request.options.allowDomFallback || !doc)
          throw new ModulesMissingError(
            'WhatsApp Web’s modules were not found and reading the page is turned off',
          );
        await collectFromDom(doc, context);
      }
      postItem(run, { kind: 'end', outcome: 'done' });
    } catch (error) {
      if (signal.aborted) {
        postItem(run, {
          kind: 'end',
          outcome: 'cancelled',
          message: String((signal.reason as Error)?.message ?? ''),
        });
      } else {
        const code =
          error instanceof NotReadyError
            ? 'not-ready'
            : error instanceof ModulesMissingError
              ? 'no-modules'
              : 'page-error';
        const message = error instanceof Error ? error.message : String(error);
        postItem(run, { kind: 'end', outcome: 'failed', code, message: message.slice(0, 2000) });
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  return listenOnWindow(page, 'isolated-to-main', isolatedToMain, {
    'isolated/collect-start': start,
    'isolated/collect-cancel': ({ runId }) => {
      if (current?.runId === runId) current.controller.abort(new DOMException('cancelled', 'AbortError'));
    },
    'isolated/collect-ack': ({ runId, seq }) => {
      const run = current;
      if (!run || run.runId !== runId || seq <= run.acked) return;
      run.acked = Math.min(seq, run.seq);
      run.lastAckAt = Date.now();
      for (const wake of run.wake.splice(0)) wake();
    },
  });
}
