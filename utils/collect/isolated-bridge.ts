import { COLLECT_PORT } from '@/utils/messages/collect-protocol';
import { isolatedToMain, mainToIsolated } from '@/utils/messages/page-protocol';
import type { RuntimeTransport } from '@/utils/messages/runtime-client';
import { createWindowSender, listenOnWindow, type WindowLike } from '@/utils/messages/window-channel';
import { createRelay } from './isolated-relay';
import type { PortLike } from './port-like';
import { createStatusForwarder } from './status-forwarder';

/** Collection over Ports, injected by the entrypoint (utils/ may not touch browser APIs). */
export interface CollectPorts {
  /** Registers for Ports the background opens to this tab (`runtime.onConnect`). */
  onConnect(listener: (port: PortLike) => void): void;
  /** Wakes a background whose Port dropped mid-run (`runtime.connect`). */
  wake(runId: string): void;
}

/**
 * The isolated content script's side of the page: takes validated reports from the MAIN world
 * and forwards them to the background. It announces itself on start so that a MAIN-world
 * script that loaded earlier repeats its latest status. With `ports`, it also relays collection
 * runs between the background and the MAIN world (isolated-relay.ts).
 */
export function startIsolatedBridge(
  page: WindowLike,
  toBackground: RuntimeTransport,
  log: (text: string) => void = () => {},
  ports?: CollectPorts,
): () => void {
  const forwardStatus = createStatusForwarder(toBackground, log);
  const stop = listenOnWindow(
    page,
    'main-to-isolated',
    mainToIsolated,
    {
      'main/status': forwardStatus,
    },
    (reason) => log(`ChatVault: ignored a page message (${reason})`),
  );
  const relay = ports ? createRelay({ page, wake: (runId) => ports.wake(runId), log }) : undefined;
  ports?.onConnect((port) => {
    if (port.name === COLLECT_PORT) relay?.attach(port);
  });
  createWindowSender(page, 'isolated-to-main', isolatedToMain)('isolated/ready', { protocol: 1 });
  return () => {
    stop();
    relay?.stop();
  };
}
