import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createBackgroundHandlers } from '@/utils/backup/background-handlers';
import { createCatalog } from '@/utils/catalog/catalog';
import { forgetWhatsAppTab } from '@/utils/catalog/whatsapp-tabs';
import { WHATSAPP_WEB_ORIGIN } from '@/utils/collect/whatsapp-names';
import { createRuntimeRouter } from '@/utils/messages/runtime-router';

// Wiring only. Listeners are registered synchronously at start-up, as MV3 requires for a
// service worker that Chrome may stop and restart at any moment.
export default defineBackground(() => {
  const catalog = createCatalog();
  const extensionOrigin = browser.runtime.getURL('/').replace(/\/$/, '');
  const route = createRuntimeRouter(createBackgroundHandlers({ catalog }), {
    extensionId: browser.runtime.id,
    extensionOrigin,
    whatsAppOrigin: WHATSAPP_WEB_ORIGIN,
    onFailure: (type, code, message) =>
      console.warn(`ChatVault: ${String(type)} refused (${code}): ${message}`),
  });
  browser.runtime.onMessage.addListener((message, sender) => route(message, sender));
  browser.tabs.onRemoved.addListener((tabId) => void forgetWhatsAppTab(catalog, tabId));
});
