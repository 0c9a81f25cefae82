import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { startIsolatedBridge } from '@/utils/collect/isolated-bridge';
import type { PortLike } from '@/utils/collect/port-like';
import { WHATSAPP_WEB_ORIGIN } from '@/utils/collect/whatsapp-names';
import { COLLECT_WAKE_PORT } from '@/utils/messages/collect-protocol';

// The isolated-world bridge between the MAIN-world reader and the extension's background.
export default defineContentScript({
  matches: [`${WHATSAPP_WEB_ORIGIN}/*`],
  runAt: 'document_start',
  main() {
    startIsolatedBridge(window, (message) => browser.runtime.sendMessage(message), console.warn, {
      onConnect: (listener) => browser.runtime.onConnect.addListener((port) => listener(port as PortLike)),
      // Connecting starts a stopped service worker, which then resumes the run.
      wake: (runId) => {
        try {
          const port = browser.runtime.connect({ name: COLLECT_WAKE_PORT });
          port.postMessage({ type: 'wake', runId });
          setTimeout(() => port.disconnect(), 2000);
        } catch (error) {
          console.warn('ChatVault: could not wake the extension', error);
        }
      },
    });
  },
});
