import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { authConfigFromEnvironment } from '@/utils/auth/auth-config';
import { GoogleAuth } from '@/utils/auth/google-auth';
import type { AuthStore, IdentityApi } from '@/utils/auth/identity-api';
import { createBackgroundHandlers } from '@/utils/backup/background-handlers';
import { createCatalog } from '@/utils/catalog/catalog';
import { createCollectStore } from '@/utils/catalog/collect-store';
import { forgetWhatsAppTab, latestWhatsAppTab } from '@/utils/catalog/whatsapp-tabs';
import { type CollectionServiceDeps, createCollectionService } from '@/utils/collect/collection-service';
import type { PortLike } from '@/utils/collect/port-like';
import { WHATSAPP_WEB_ORIGIN } from '@/utils/collect/whatsapp-names';
import { COLLECT_CONTROL_PORT, COLLECT_WAKE_PORT } from '@/utils/messages/collect-protocol';
import { createRuntimeRouter } from '@/utils/messages/runtime-router';
import { DriveStorage } from '@/utils/storage/drive/drive-storage';

// Wiring only. Listeners are registered synchronously at start-up, as MV3 requires for a
// service worker that Chrome may stop and restart at any moment.
export default defineBackground(() => {
  const catalog = createCatalog();
  const local = storageArea(browser.storage.local);
  // Tokens live in session storage (memory, never on disk) where the browser has it.
  const session = storageArea(browser.storage.session) ?? local;
  const fetchFromWorker = (input: string, init?: RequestInit) => fetch(input, init);
  // OAuth client ids are build-time configuration (README "Google Drive and sign-in").
  const env = import.meta.env as Record<string, unknown>;
  const auth = new GoogleAuth({
    config: authConfigFromEnvironment({
      WXT_GOOGLE_CLIENT_ID: env.WXT_GOOGLE_CLIENT_ID,
      WXT_GOOGLE_WEB_CLIENT_ID: env.WXT_GOOGLE_WEB_CLIENT_ID,
    }),
    identity: identityApi(),
    tokenStore: session,
    accountStore: local,
    fetch: fetchFromWorker,
  });
  let drive: DriveStorage | undefined;
  const storage = () =>
    (drive ??= new DriveStorage({ tokens: auth, fetch: fetchFromWorker, sessionStore: local }));

  const extensionOrigin = browser.runtime.getURL('/').replace(/\/$/, '');
  const forgetStorage = () => {
    drive = undefined;
  };
  const route = createRuntimeRouter(
    createBackgroundHandlers({ catalog, drive: { auth, storage, forgetStorage } }),
    {
      extensionId: browser.runtime.id,
      extensionOrigin,
      whatsAppOrigin: WHATSAPP_WEB_ORIGIN,
      onFailure: (type, code, message) =>
        console.warn(`ChatVault: ${String(type)} refused (${code}): ${message}`),
    },
  );
  browser.runtime.onMessage.addListener((message, sender) => route(message, sender));
  browser.tabs.onRemoved.addListener((tabId) => void forgetWhatsAppTab(catalog, tabId));

  // Collection from WhatsApp Web (utils/collect/collection-service.ts); a run a stopped worker
  // left behind continues here, and a content script whose Port dropped wakes us through a Port.
  const collection = createCollectionService(collectionDeps(catalog, extensionOrigin));
  browser.runtime.onConnect.addListener((port) => {
    if (port.name === COLLECT_CONTROL_PORT) collection.attachControl(port as unknown as PortLike);
    else if (port.name === COLLECT_WAKE_PORT) collection.attachWake(port as unknown as PortLike);
  });
  void collection.resumeIfInterrupted();
});

/** Browser access for the collector: which tab shows WhatsApp Web, and Ports to it. */
function collectionDeps(
  catalog: ReturnType<typeof createCatalog>,
  extensionOrigin: string,
): CollectionServiceDeps {
  return {
    sink: createCollectStore(catalog),
    tabs: {
      async findWhatsAppTab() {
        const tabs = await browser.tabs.query({ url: `${WHATSAPP_WEB_ORIGIN}/*` });
        const reported = await latestWhatsAppTab(catalog);
        const preferred = tabs.find((tab) => tab.id === reported?.tabId) ?? tabs[0];
        return preferred?.id;
      },
      connect: (tabId, name) => browser.tabs.connect(tabId, { name, frameId: 0 }) as unknown as PortLike,
    },
    // Any extension API call resets Chrome's idle timer of the worker (Chrome 110+).
    keepAlive: () => void browser.runtime.getPlatformInfo(),
    isExtensionPage: (sender) =>
      sender?.id === browser.runtime.id &&
      typeof sender.url === 'string' &&
      sender.url.startsWith(`${extensionOrigin}/`),
    log: (text) => console.warn(text),
  };
}

interface StorageAreaLike {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

function storageArea(area: unknown): AuthStore | undefined {
  const store = area as StorageAreaLike | undefined;
  if (typeof store?.get !== 'function') return undefined;
  return {
    get: async (key) => (await store.get(key))[key],
    set: (key, value) => store.set({ [key]: value }),
    remove: (key) => store.remove(key),
  };
}

/** The identity API as utils/auth wants it; getAuthToken only where the browser has one. */
function identityApi(): IdentityApi | undefined {
  const identity = browser.identity as unknown as Partial<Record<keyof IdentityApi, unknown>> | undefined;
  if (typeof identity?.launchWebAuthFlow !== 'function' || typeof identity.getRedirectURL !== 'function') {
    return undefined;
  }
  const call = <K extends keyof IdentityApi>(name: K) =>
    typeof identity[name] === 'function'
      ? ((identity[name] as (...args: unknown[]) => unknown).bind(identity) as IdentityApi[K])
      : undefined;
  return {
    getRedirectURL: call('getRedirectURL') as IdentityApi['getRedirectURL'],
    launchWebAuthFlow: call('launchWebAuthFlow') as IdentityApi['launchWebAuthFlow'],
    getAuthToken: call('getAuthToken'),
    removeCachedAuthToken: call('removeCachedAuthToken'),
    clearAllCachedAuthTokens: call('clearAllCachedAuthTokens'),
  };
}
