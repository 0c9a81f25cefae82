import { isolatedToMain, mainToIsolated } from '@/utils/messages/page-protocol';
import type { WhatsAppStatus } from '@/utils/messages/whatsapp-status';
import { createWindowSender, listenOnWindow, type WindowLike } from '@/utils/messages/window-channel';
import { readWhatsAppStatus, sameStatus } from './page-status';

/** How often the page is looked at; WhatsApp Web offers no event we could rely on before load. */
const POLL_MS = 1000;

/**
 * Starts the MAIN-world side: answers the handshake and reports WhatsApp Web's status whenever
 * it changes (and again to every isolated script that announces itself, so a late-loading or
 * reloaded content script learns the current state). Returns a stop function.
 */
export function startMainWorld(page: WindowLike & Record<string, unknown>): () => void {
  const send = createWindowSender(page, 'main-to-isolated', mainToIsolated);
  let last: WhatsAppStatus | undefined;

  const report = (force: boolean) => {
    const status = readWhatsAppStatus(page, Date.now());
    if (force || !sameStatus(last, status)) {
      last = status;
      send('main/status', status);
    }
  };

  const stopListening = listenOnWindow(page, 'isolated-to-main', isolatedToMain, {
    'isolated/ready': () => {
      send('main/hello', { protocol: 1 });
      report(true);
    },
  });
  send('main/hello', { protocol: 1 });
  report(true);
  const timer = setInterval(() => report(false), POLL_MS);
  return () => {
    clearInterval(timer);
    stopListening();
  };
}
