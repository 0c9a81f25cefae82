import { fail, ok, type Result } from './result';
import {
  type RuntimeMessageType,
  type RuntimeRequest,
  type RuntimeResponse,
  runtimeProtocol,
  type SenderKind,
} from './runtime-protocol';

/**
 * The background's single entry point for runtime messages. It answers every message with a
 * Result: unknown types, senders of the wrong kind, malformed requests and handler failures all
 * become failures with a code, never exceptions thrown at the sender's will.
 */
export type RuntimeHandlers = {
  [K in RuntimeMessageType]: (
    request: RuntimeRequest<K>,
    context: { tabId?: number },
  ) => Promise<RuntimeResponse<K>> | RuntimeResponse<K>;
};

export interface SenderInfo {
  id?: string;
  url?: string;
  tab?: { id?: number };
}

export interface RouterOptions {
  /** This extension's id: messages from anyone else are refused. */
  extensionId: string;
  /** Origin of the extension's own pages, e.g. `chrome-extension://<id>`. */
  extensionOrigin: string;
  /** Origin whose content scripts may report page data. */
  whatsAppOrigin: string;
  /** Called with every refused or failed message, for diagnostics. */
  onFailure?: (type: unknown, code: string, message: string) => void;
}

export function classifySender(sender: SenderInfo, options: RouterOptions): SenderKind | undefined {
  if (sender.id !== options.extensionId || typeof sender.url !== 'string') return undefined;
  const origin = safeOrigin(sender.url);
  if (sender.tab && origin === options.whatsAppOrigin) return 'whatsapp-content-script';
  if (origin === options.extensionOrigin || sender.url.startsWith(`${options.extensionOrigin}/`)) {
    return 'extension-page';
  }
  return undefined;
}

function safeOrigin(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    // Extension URLs have an opaque origin ("null") in some engines: rebuild it.
    return parsed.origin === 'null' ? `${parsed.protocol}//${parsed.host}` : parsed.origin;
  } catch {
    return undefined;
  }
}

export function createRuntimeRouter(handlers: RuntimeHandlers, options: RouterOptions) {
  return async function route(message: unknown, sender: SenderInfo): Promise<Result<unknown>> {
    const type = (message as { type?: unknown } | null)?.type;
    const refuse = (code: string, text: string) => {
      options.onFailure?.(type, code, text);
      return fail(code, text);
    };
    if (typeof type !== 'string' || !Object.hasOwn(runtimeProtocol, type)) {
      return refuse('unknown-message', `Unknown message type ${JSON.stringify(type)}.`);
    }
    const spec = runtimeProtocol[type as RuntimeMessageType];
    const kind = classifySender(sender, options);
    if (!kind || !(spec.from as readonly SenderKind[]).includes(kind)) {
      return refuse('forbidden-sender', `${type} may not be sent from ${sender.url ?? 'an unknown sender'}.`);
    }
    const parsed = spec.request.safeParse((message as { request?: unknown }).request);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
      return refuse('malformed-request', `Malformed ${type}: ${detail.join('; ')}`);
    }
    try {
      const handler = handlers[type as RuntimeMessageType] as (
        request: unknown,
        context: { tabId?: number },
      ) => Promise<unknown>;
      const response = await handler(parsed.data, { tabId: sender.tab?.id });
      return ok(spec.response.parse(response));
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      return refuse('handler-failed', `${type} failed: ${text}`);
    }
  };
}
