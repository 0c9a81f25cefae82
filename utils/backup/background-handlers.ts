import type { Catalog } from '@/utils/catalog/catalog';
import { recordWhatsAppStatus } from '@/utils/catalog/whatsapp-tabs';
import type { RuntimeHandlers } from '@/utils/messages/runtime-router';
import { measureArgon2id } from './measure-kdf';

/** The background's answers to every runtime message (runtime-protocol.ts). */
export function createBackgroundHandlers(deps: { catalog: Catalog; now?: () => number }): RuntimeHandlers {
  const now = deps.now ?? Date.now;
  return {
    'whatsapp/status': async (status, { tabId }) => {
      if (tabId === undefined) throw new Error('status report without a tab');
      await recordWhatsAppStatus(deps.catalog, tabId, status, now());
      return null;
    },
    'kdf/measure': async ({ params, password, saltHex }) => {
      const salt = new Uint8Array(saltHex.length / 2);
      for (let i = 0; i < salt.length; i++) salt[i] = Number.parseInt(saltHex.slice(2 * i, 2 * i + 2), 16);
      return measureArgon2id(params, password, salt);
    },
  };
}
