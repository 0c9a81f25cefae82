import { z } from '@/utils/schema/zod';

/**
 * What the MAIN-world script can tell about the WhatsApp Web page it runs in, before any
 * collection: whether the web client loaded, which version, and whether the user is signed in
 * (paired) or still has to scan the QR code. The popup shows it as the first step.
 */
export const whatsAppPageState = z.enum([
  /** The page loaded but WhatsApp Web's bundle has not run yet. */
  'loading',
  /** The socket is connecting or the client is syncing history. */
  'connecting',
  /** Not linked: the user must scan the QR code with their phone. */
  'needs-qr-scan',
  /** Linked and synced: chats can be read. */
  'ready',
  /** Something we do not recognise; `detail` says what. */
  'unknown',
]);
export type WhatsAppPageState = z.infer<typeof whatsAppPageState>;

export const whatsAppStatus = z.object({
  state: whatsAppPageState,
  /** `Debug.VERSION` of the web client, when it exposes one. */
  version: z.string().max(64).optional(),
  /** Raw socket state, for diagnostics. */
  detail: z.string().max(200).optional(),
  /** Page clock when observed (ms since epoch). */
  observedAt: z.number().int().nonnegative(),
});
export type WhatsAppStatus = z.infer<typeof whatsAppStatus>;
