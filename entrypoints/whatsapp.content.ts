import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { startIsolatedBridge } from '@/utils/collect/isolated-bridge';
import { WHATSAPP_WEB_ORIGIN } from '@/utils/collect/whatsapp-names';

// The isolated-world bridge between the MAIN-world reader and the extension's background.
export default defineContentScript({
  matches: [`${WHATSAPP_WEB_ORIGIN}/*`],
  runAt: 'document_start',
  main() {
    startIsolatedBridge(window, (message) => browser.runtime.sendMessage(message), console.warn);
  },
});
