import { defineContentScript } from 'wxt/utils/define-content-script';
import { startMainWorld } from '@/utils/collect/main-world';
import { WHATSAPP_WEB_ORIGIN } from '@/utils/collect/whatsapp-names';

// Runs in the page's own JavaScript world so it can read WhatsApp Web's modules. It holds no
// keys or tokens and can only talk to the isolated script (WhatsApp's CSP blocks injected
// inline scripts; a MAIN-world content script is allowed).
export default defineContentScript({
  matches: [`${WHATSAPP_WEB_ORIGIN}/*`],
  world: 'MAIN',
  runAt: 'document_start',
  main() {
    startMainWorld(window as unknown as Parameters<typeof startMainWorld>[0]);
  },
});
