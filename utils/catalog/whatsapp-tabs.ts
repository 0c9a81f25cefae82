import type { WhatsAppStatus } from '@/utils/messages/whatsapp-status';
import type { Catalog } from './catalog';

/** Stores the latest status a WhatsApp Web tab reported; the popup observes this table. */
export async function recordWhatsAppStatus(
  catalog: Catalog,
  tabId: number,
  status: WhatsAppStatus,
  receivedAt: number,
): Promise<void> {
  await catalog.whatsappTabs.put({ ...status, tabId, receivedAt });
}

/** A closed tab no longer counts as "WhatsApp Web is open". */
export async function forgetWhatsAppTab(catalog: Catalog, tabId: number): Promise<void> {
  await catalog.whatsappTabs.delete(tabId);
}

/** The most recently heard-from tab, or undefined when no WhatsApp Web tab is open. */
export async function latestWhatsAppTab(catalog: Catalog) {
  return catalog.whatsappTabs.orderBy('receivedAt').last();
}
