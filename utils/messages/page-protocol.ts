import { z } from '@/utils/schema/zod';
import { whatsAppStatus } from './whatsapp-status';

/**
 * Messages between the MAIN-world script (which shares the page's JavaScript world and so can
 * reach WhatsApp Web's modules) and the isolated content script (which can reach the extension).
 * They travel through `window.postMessage`, which every script on the page can read and forge:
 * the isolated side validates every message and treats it as untrusted page data, and nothing
 * secret is ever posted towards the page. See docs/THREAT-MODEL.md.
 *
 * Handshake: either script may load first. The MAIN script announces `main/hello` when it
 * starts; the isolated script announces `isolated/ready` when it starts and the MAIN script
 * answers every `isolated/ready` with a fresh `main/hello`. Whoever arrives second therefore
 * always triggers the exchange.
 */
export const PAGE_CHANNEL = 'chatvault/v1';

export const mainToIsolated = {
  'main/hello': z.object({ protocol: z.literal(1) }),
  'main/status': whatsAppStatus,
} as const;

export const isolatedToMain = {
  'isolated/ready': z.object({ protocol: z.literal(1) }),
} as const;

export type MainToIsolated = typeof mainToIsolated;
export type IsolatedToMain = typeof isolatedToMain;
