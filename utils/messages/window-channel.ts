import type { z } from '@/utils/schema/zod';
import { PAGE_CHANNEL } from './page-protocol';

/**
 * A typed, validated `window.postMessage` channel for one direction of page-protocol.ts.
 * `send` stamps the channel name and direction; `listen` ignores foreign traffic (other
 * scripts on WhatsApp's page post messages too), drops anything malformed, and hands only
 * schema-valid payloads to the handler.
 */
type Schemas = Record<string, z.ZodType>;

interface Envelope {
  channel: typeof PAGE_CHANNEL;
  direction: string;
  type: string;
  payload: unknown;
}

export interface WindowLike {
  postMessage(message: unknown, targetOrigin: string): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  location: { origin: string };
}

export function createWindowSender<S extends Schemas>(target: WindowLike, direction: string, _schemas: S) {
  return function send<K extends keyof S & string>(type: K, payload: z.infer<S[K]>): void {
    const envelope: Envelope = { channel: PAGE_CHANNEL, direction, type, payload };
    // Same-origin only: the message must not leak to frames of other origins.
    target.postMessage(envelope, target.location.origin);
  };
}

export type WindowHandlers<S extends Schemas> = {
  [K in keyof S]?: (payload: z.infer<S[K]>) => void;
};

/**
 * Listens for one direction. Returns a function that stops listening. `onRejected` is told
 * about messages on our channel that failed validation (useful for diagnostics; never thrown).
 */
export function listenOnWindow<S extends Schemas>(
  source: WindowLike,
  direction: string,
  schemas: S,
  handlers: WindowHandlers<S>,
  onRejected?: (reason: string) => void,
): () => void {
  const listener = (event: MessageEvent) => {
    // Only messages posted by this same window (not by frames or other windows).
    if (event.source !== (source as unknown)) return;
    const data = event.data as Partial<Envelope> | null;
    if (typeof data !== 'object' || data === null || data.channel !== PAGE_CHANNEL) return;
    if (data.direction !== direction) return;
    const type = data.type;
    if (typeof type !== 'string' || !Object.hasOwn(schemas, type)) {
      onRejected?.(`unknown message type ${JSON.stringify(type)}`);
      return;
    }
    const parsed = (schemas[type] as z.ZodType).safeParse(data.payload);
    if (!parsed.success) {
      onRejected?.(`malformed ${type}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
      return;
    }
    handlers[type]?.(parsed.data as never);
  };
  source.addEventListener('message', listener);
  return () => source.removeEventListener('message', listener);
}
