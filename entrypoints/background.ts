import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { authConfigFromEnvironment } from '@/utils/auth/auth-config';
import { GoogleAuth } from '@/utils/auth/google-auth';
import type { AuthStore, IdentityApi } from '@/utils/auth/identity-api';
import { createBackgroundHandlers } from '@/utils/backup/background-handlers';
import { createCatalog } from '@/utils/catalog/catalog';
import { forgetWhatsAppTab } from '@/utils/catalog/whatsapp-tabs';
import { WHATSAPP_WEB_ORIGIN } from '@/utils/collect/whatsapp-names';
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
});

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
