import type { ModuleFinder } from './module-finder';
import { abortableSleep } from './pace';
import { attr } from './wa-values';
import {
  DEBUG_GLOBAL,
  DOM,
  MODULE_POLL_MS,
  SOCKET_HAS_SYNCED,
  SOCKET_STATE,
  UNPAIRED_SOCKET_STATES,
} from './whatsapp-names';

/**
 * Waits until WhatsApp Web can be read (whatsapp-web.md "Readiness"): the main bundle ran
 * (`Debug.VERSION`), and the socket has synced (`Socket.hasSynced`). An unlinked device
 * (`UNPAIRED`, or the QR code on screen) is answered at once: waiting would be pointless until
 * the person scans the code. A page without a module system is told apart after a grace
 * period, so the DOM reader can take over.
 */
export type Readiness =
  | { state: 'ready'; version?: string }
  | { state: 'needs-qr-scan' }
  /** No module system (or no socket module) appeared: only the DOM can be read. */
  | { state: 'no-modules'; domReady: boolean };

/** A page that renders chats but exposes no `require` is given this long before the DOM takes over. */
const NO_REQUIRE_GRACE_MS = 2000;

export class NotReadyError extends Error {
  override readonly name = 'NotReadyError';
}

export async function waitUntilReady(
  page: Record<string, unknown>,
  finder: ModuleFinder,
  document: Pick<Document, 'querySelector'> | undefined,
  options: { timeoutMs: number; signal: AbortSignal; noModulesGraceMs?: number },
): Promise<Readiness> {
  const started = Date.now();
  const grace = options.noModulesGraceMs ?? Math.min(10_000, options.timeoutMs);
  for (;;) {
    options.signal.throwIfAborted();
    const qrShown = document?.querySelector(DOM.qrCode) != null;
    const socket = finder.available() ? finder.find('socket') : undefined;
    if (socket !== undefined) {
      const state = String(attr(socket, SOCKET_STATE));
      if (UNPAIRED_SOCKET_STATES.includes(state)) return { state: 'needs-qr-scan' };
      if (attr(socket, SOCKET_HAS_SYNCED) === true) {
        const version = (page[DEBUG_GLOBAL] as { VERSION?: unknown } | undefined)?.VERSION;
        return { state: 'ready', ...(typeof version === 'string' ? { version: version.slice(0, 64) } : {}) };
      }
    } else if (qrShown) {
      return { state: 'needs-qr-scan' };
    } else {
      const elapsed = Date.now() - started;
      const domReady = document?.querySelector(DOM.chatListItem) != null;
      // Modules may simply be slow: give up on them only once the page itself shows its chats
      // without a module system in sight, or after the grace period.
      if (!finder.available() && domReady && elapsed >= Math.min(grace, NO_REQUIRE_GRACE_MS))
        return { state: 'no-modules', domReady };
      if (elapsed >= grace && (!finder.available() || domReady)) return { state: 'no-modules', domReady };
    }
    if (Date.now() - started >= options.timeoutMs) {
      throw new NotReadyError(
        `WhatsApp Web did not finish loading within ${Math.round(options.timeoutMs / 1000)} s`,
      );
    }
    await abortableSleep(MODULE_POLL_MS, options.signal);
  }
}
