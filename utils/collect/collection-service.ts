import {
  COLLECT_PORT,
  type CollectOptions,
  type CollectProgress,
  type CollectRun,
  type ControlAnswer,
  collectOptions,
  controlRequest,
  DEFAULT_COLLECT_OPTIONS,
  wakeRequest,
} from '@/utils/messages/collect-protocol';
import { COLLECT_MESSAGES, CollectError, type CollectErrorCode, isCollectError } from './collect-errors';
import type { CollectSink } from './collect-sink';
import type { PortLike } from './port-like';
import { type ReceiveResult, receiveRun } from './run-receiver';

/**
 * The background's collection: one run at a time, persisted in the catalog so that a service
 * worker Chrome stopped mid-run picks it up when it starts again (`resumeIfInterrupted`, also
 * triggered by the content script's wake-up Port). It finds the WhatsApp Web tab, opens a Port
 * to its content script and lets run-receiver.ts store what arrives. Tab access is injected by
 * entrypoints/background.ts: utils/ may not touch browser APIs.
 *
 * `collect(signal, report)` is the job runner's collect step (utils/backup/job-runner.ts); extension
 * pages drive the same service over COLLECT_CONTROL_PORT.
 */
export interface TabAccess {
  /** The WhatsApp Web tab to read, or undefined when none is open. */
  findWhatsAppTab(): Promise<number | undefined>;
  /** `tabs.connect(tabId, {name})` to the tab's top frame. */
  connect(tabId: number, name: string): PortLike;
}

export interface CollectionServiceDeps {
  sink: CollectSink;
  tabs: TabAccess;
  now?: () => number;
  newRunId?: () => string;
  /** A cheap extension API call: resets Chrome's 30 s idle timer of the service worker. */
  keepAlive?: () => void;
  /** Whether a control Port comes from one of the extension's own pages. */
  isExtensionPage?: (sender: PortLike['sender']) => boolean;
  log?: (text: string) => void;
  /** Persist progress at most this often. */
  saveEveryMs?: number;
}

export interface CollectionService {
  /** Runs (or joins) a collection and resolves when it is done; throws CollectError otherwise. */
  collect(
    signal: AbortSignal,
    report: (done: number, total: number) => void,
    options?: Partial<CollectOptions>,
  ): Promise<CollectRun>;
  /** Starts (or joins) a collection without waiting for it; resolves with its record. */
  start(options?: Partial<CollectOptions>): Promise<CollectRun>;
  cancel(): Promise<void>;
  status(): Promise<CollectRun | null>;
  /** Continues a run a stopped worker left `running` (call at worker start-up). */
  resumeIfInterrupted(): Promise<void>;
  /** A Port from an extension page (COLLECT_CONTROL_PORT). */
  attachControl(port: PortLike): void;
  /** A Port from a content script whose run lost its worker (COLLECT_WAKE_PORT). */
  attachWake(port: PortLike): void;
}

const KEEP_ALIVE_MS = 20_000;

interface Active {
  run: CollectRun;
  done: Promise<CollectRun>;
  controller: AbortController;
  reporters: Set<(done: number, total: number) => void>;
}

export function createCollectionService(deps: CollectionServiceDeps): CollectionService {
  const now = deps.now ?? Date.now;
  const newRunId = deps.newRunId ?? (() => crypto.randomUUID().replaceAll('-', ''));
  const log = deps.log ?? (() => {});
  const controls = new Set<PortLike>();
  let active: Active | undefined;
  let lastSaved = 0;

  const broadcast = (answer: ControlAnswer) => {
    for (const port of controls) {
      try {
        port.postMessage(answer);
      } catch {
        controls.delete(port);
      }
    }
  };
  const persist = async (run: CollectRun, force: boolean) => {
    broadcast({ type: 'status', run });
    if (!force && now() - lastSaved < (deps.saveEveryMs ?? 1000)) return;
    lastSaved = now();
    await deps.sink.saveRun(run);
  };

  const launch = (run: CollectRun): Active => {
    const controller = new AbortController();
    const entry: Active = { run, controller, reporters: new Set(), done: Promise.resolve(run) };
    entry.done = execute(entry).finally(() => {
      if (active === entry) active = undefined;
    });
    active = entry;
    return entry;
  };

  async function execute(entry: Active): Promise<CollectRun> {
    const update = async (changes: Partial<CollectRun>, force = false) => {
      entry.run = { ...entry.run, ...changes, updatedAt: now() };
      await persist(entry.run, force);
      return entry.run;
    };
    const keepAlive = setInterval(() => deps.keepAlive?.(), KEEP_ALIVE_MS);
    try {
      await update({ attempts: entry.run.attempts }, true);
      const tabId = await deps.tabs.findWhatsAppTab();
      if (tabId === undefined) throw new CollectError('no-tab', COLLECT_MESSAGES['no-tab']);
      entry.controller.signal.throwIfAborted();
      const hints = await deps.sink.startHints(entry.run.options.lookbackSeconds);
      let port: PortLike;
      try {
        port = deps.tabs.connect(tabId, COLLECT_PORT);
      } catch {
        throw new CollectError('no-content-script', COLLECT_MESSAGES['no-content-script']);
      }
      const reception = receiveRun({
        port,
        sink: deps.sink,
        start: { runId: entry.run.runId, options: entry.run.options, ...hints },
        now,
        onAttached: (resumed) =>
          log(`ChatVault: collection ${resumed ? 'resumed in' : 'started in'} tab ${tabId}`),
        onProgress: (progress: CollectProgress) => {
          for (const report of entry.reporters) report(progress.chatsDone, progress.chatsTotal);
          void update({ progress });
        },
        onRejected: (what) => log(`ChatVault: refused page data: ${what.slice(0, 500)}`),
      });
      const onAbort = () => reception.cancel();
      entry.controller.signal.addEventListener('abort', onAbort, { once: true });
      const result: ReceiveResult = await reception.done.finally(() =>
        entry.controller.signal.removeEventListener('abort', onAbort),
      );
      return await update(finalState(result, now()), true);
    } catch (error) {
      const failure = isCollectError(error)
        ? error
        : new CollectError(
            'storage',
            `${COLLECT_MESSAGES.storage} (${String((error as Error)?.message ?? error)})`,
          );
      const cancelled = entry.controller.signal.aborted || failure.code === 'cancelled';
      return await update(
        cancelled
          ? { state: 'cancelled', finishedAt: now() }
          : { state: 'failed', finishedAt: now(), error: { code: failure.code, message: describe(failure) } },
        true,
      );
    } finally {
      clearInterval(keepAlive);
    }
  }

  /**
   * One run per worker, even when a freshly started worker is asked twice at once (its start-up
   * resume and the content script's wake-up Port): the second caller joins the first.
   */
  let starting: Promise<Active> | undefined;
  const begin = (options: Partial<CollectOptions> = {}): Promise<Active> => {
    if (active) return Promise.resolve(active);
    starting ??= beginOnce(options).finally(() => {
      starting = undefined;
    });
    return starting;
  };
  const beginOnce = async (options: Partial<CollectOptions>): Promise<Active> => {
    const stored = await deps.sink.loadRun();
    if (stored?.state === 'running') return launch({ ...stored, attempts: stored.attempts + 1 });
    const merged = collectOptions.safeParse({ ...DEFAULT_COLLECT_OPTIONS, ...options });
    if (!merged.success)
      throw new CollectError(
        'invalid-argument',
        `Invalid collection options: ${merged.error.issues[0]?.message}`,
      );
    return launch({
      runId: newRunId(),
      state: 'running',
      startedAt: now(),
      updatedAt: now(),
      attempts: 1,
      options: merged.data,
    });
  };

  const service: CollectionService = {
    async collect(signal, report, options) {
      const entry = await begin(options);
      entry.reporters.add(report);
      const onAbort = () => entry.controller.abort(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        const run = await entry.done;
        if (run.state === 'done') return run;
        if (run.state === 'cancelled')
          throw signal.reason ?? new CollectError('cancelled', COLLECT_MESSAGES.cancelled);
        throw new CollectError(
          (run.error?.code ?? 'page-error') as CollectErrorCode,
          run.error?.message ?? 'failed',
        );
      } finally {
        signal.removeEventListener('abort', onAbort);
        entry.reporters.delete(report);
      }
    },
    async start(options) {
      return (await begin(options)).run;
    },
    async cancel() {
      if (!active) {
        const stored = await deps.sink.loadRun();
        // A run left `running` by a worker that is gone: nobody will finish it.
        if (stored?.state === 'running')
          await persist({ ...stored, state: 'cancelled', finishedAt: now() }, true);
        return;
      }
      active.controller.abort(new DOMException('The collection was cancelled.', 'AbortError'));
      await active.done;
    },
    async status() {
      return active?.run ?? (await deps.sink.loadRun()) ?? null;
    },
    async resumeIfInterrupted() {
      if (active) return;
      const stored = await deps.sink.loadRun();
      if (stored?.state === 'running') await begin();
    },
    attachControl(port) {
      if (deps.isExtensionPage && !deps.isExtensionPage(port.sender)) {
        port.disconnect();
        return;
      }
      controls.add(port);
      port.onDisconnect.addListener(() => controls.delete(port));
      port.onMessage.addListener((raw) => {
        const parsed = controlRequest.safeParse(raw);
        const answer = (message: ControlAnswer) => {
          try {
            port.postMessage(message);
          } catch {
            controls.delete(port);
          }
        };
        if (!parsed.success) return answer({ type: 'error', code: 'malformed', message: 'Unknown request.' });
        const request = parsed.data;
        const work = async () => {
          switch (request.type) {
            case 'start':
              return answer({ type: 'status', run: await service.start(request.options) });
            case 'cancel':
              await service.cancel();
              return answer({ type: 'status', run: await service.status() });
            case 'status':
              return answer({ type: 'status', run: await service.status() });
            case 'report':
              return answer({ type: 'report', chats: await deps.sink.report() });
          }
        };
        work().catch((error) =>
          answer({
            type: 'error',
            code: isCollectError(error) ? error.code : 'failed',
            message: String((error as Error)?.message ?? error),
          }),
        );
      });
    },
    attachWake(port) {
      port.onMessage.addListener((raw) => {
        if (!wakeRequest.safeParse(raw).success) return;
        void service
          .resumeIfInterrupted()
          .catch((error) => log(`ChatVault: resume failed: ${String(error)}`));
      });
    },
  };
  return service;
}

function finalState(result: ReceiveResult, at: number): Partial<CollectRun> {
  const mode = result.mode ? { mode: result.mode } : {};
  switch (result.outcome) {
    case 'done':
      return { state: 'done', finishedAt: at, ...mode };
    case 'cancelled':
      return { state: 'cancelled', finishedAt: at, ...mode };
    case 'needs-qr-scan':
      return {
        state: 'failed',
        finishedAt: at,
        error: { code: 'needs-qr-scan', message: COLLECT_MESSAGES['needs-qr-scan'] },
      };
    default: {
      const code =
        (['not-ready', 'no-modules'] as const).find((known) => known === result.code) ?? 'page-error';
      const message =
        code === 'page-error'
          ? `WhatsApp Web could not be read: ${result.message ?? 'unknown error'}. Everything collected so far is kept.`
          : COLLECT_MESSAGES[code];
      return { state: 'failed', finishedAt: at, error: { code, message }, ...mode };
    }
  }
}

/** The sentence a person reads: the fixed one for the code, or the detail where it matters. */
function describe(error: CollectError): string {
  if (error.code === 'storage' || error.code === 'protocol') return error.message;
  return (COLLECT_MESSAGES as Record<string, string>)[error.code] ?? error.message;
}
