import type { WhatsAppStatus } from '@/utils/messages/whatsapp-status';
import {
  CONNECTING_SOCKET_STATES,
  DEBUG_GLOBAL,
  REQUIRE_GLOBAL,
  SOCKET_MODULES,
  UNPAIRED_SOCKET_STATES,
} from './whatsapp-names';

/**
 * Reads, without changing anything, whether WhatsApp Web's client has loaded, its version and
 * whether the user is linked. Runs in the page's MAIN world. Every lookup is guarded: the page
 * is hostile territory for assumptions (modules register progressively and get renamed).
 */
export function readWhatsAppStatus(page: Record<string, unknown>, now: number): WhatsAppStatus {
  const debug = page[DEBUG_GLOBAL] as { VERSION?: unknown } | undefined;
  const version = typeof debug?.VERSION === 'string' ? debug.VERSION.slice(0, 64) : undefined;
  const socket = findSocket(page);
  if (!socket) return { state: 'loading', version, observedAt: now };
  const raw = typeof socket.state === 'string' ? socket.state : String(socket.state);
  const detail = raw.slice(0, 200);
  if (UNPAIRED_SOCKET_STATES.includes(raw))
    return { state: 'needs-qr-scan', version, detail, observedAt: now };
  if (socket.hasSynced === true) return { state: 'ready', version, detail, observedAt: now };
  if (CONNECTING_SOCKET_STATES.includes(raw))
    return { state: 'connecting', version, detail, observedAt: now };
  return { state: 'unknown', version, detail, observedAt: now };
}

interface SocketLike {
  state?: unknown;
  hasSynced?: unknown;
}

function findSocket(page: Record<string, unknown>): SocketLike | undefined {
  const requireFn = page[REQUIRE_GLOBAL];
  if (typeof requireFn !== 'function') return undefined;
  for (const name of SOCKET_MODULES) {
    try {
      const module = (requireFn as (name: string) => unknown)(name) as { Socket?: SocketLike } | undefined;
      if (module?.Socket && typeof module.Socket === 'object') return module.Socket;
    } catch {
      // Not registered yet (modules arrive progressively) or renamed: try the next name.
    }
  }
  return undefined;
}

/** True when two statuses say the same thing (ignoring when they were observed). */
export function sameStatus(a: WhatsAppStatus | undefined, b: WhatsAppStatus): boolean {
  return a !== undefined && a.state === b.state && a.version === b.version && a.detail === b.detail;
}
