import { isolatedToMain, mainToIsolated } from '@/utils/messages/page-protocol';
import type { RuntimeTransport } from '@/utils/messages/runtime-client';
import { createWindowSender, listenOnWindow, type WindowLike } from '@/utils/messages/window-channel';
import { createStatusForwarder } from './status-forwarder';

/**
 * The isolated content script's side of the page: takes validated reports from the MAIN world
 * and forwards them to the background. It announces itself on start so that a MAIN-world
 * script that loaded earlier repeats its latest status.
 */
export function startIsolatedBridge(
  page: WindowLike,
  toBackground: RuntimeTransport,
  log: (text: string) => void = () => {},
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
  createWindowSender(page, 'isolated-to-main', isolatedToMain)('isolated/ready', { protocol: 1 });
  return stop;
}
