import type { RuntimeTransport } from '@/utils/messages/runtime-client';
import { sendRuntimeMessage } from '@/utils/messages/runtime-client';
import type { WhatsAppStatus } from '@/utils/messages/whatsapp-status';

/** Waits between attempts when the background cannot be reached (about 8 s in all). */
export const STATUS_RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000] as const;

/**
 * Forwards WhatsApp Web's status to the background, again and again until it arrives. A
 * message sent while Chrome is stopping or starting the service worker can fail to connect
 * ("Receiving end does not exist"), and the page reports a status only when it changes: without
 * retries the popup would never learn it. A newer status replaces one still being retried; a
 * status the background refused is not retried (it would be refused again).
 */
export function createStatusForwarder(
  toBackground: RuntimeTransport,
  log: (text: string) => void,
  delays: readonly number[] = STATUS_RETRY_DELAYS_MS,
  schedule: (run: () => void, ms: number) => unknown = (run, ms) => setTimeout(run, ms),
): (status: WhatsAppStatus) => void {
  let latest: WhatsAppStatus | undefined;
  let generation = 0;
  const attempt = async (status: WhatsAppStatus, mine: number, tries: number) => {
    if (mine !== generation) return;
    const result = await sendRuntimeMessage(toBackground, 'whatsapp/status', status);
    if (result.ok || mine !== generation) return;
    const unreachable = result.error.code === 'transport' || result.error.code === 'no-answer';
    if (!unreachable || tries >= delays.length) {
      log(`ChatVault: status not delivered: ${result.error.message}`);
      return;
    }
    schedule(() => void attempt(status, mine, tries + 1), delays[tries]!);
  };
  return (status) => {
    latest = status;
    generation++;
    void attempt(latest, generation, 0);
  };
}
