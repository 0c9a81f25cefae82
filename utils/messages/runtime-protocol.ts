import { z } from 'zod';
import { whatsAppStatus } from './whatsapp-status';

/**
 * Every message that travels over `runtime.sendMessage` to the background, declared once:
 * who may send it, what it carries and what it answers. The background validates both the
 * sender's kind and the request against this table and rejects anything else (runtime-router.ts).
 *
 * Chrome serialises these messages as JSON: no ArrayBuffer, Blob or Date may appear here.
 */
export type SenderKind = 'whatsapp-content-script' | 'extension-page';

interface MessageSpec<Req extends z.ZodType, Res extends z.ZodType> {
  from: readonly SenderKind[];
  request: Req;
  response: Res;
}

function message<Req extends z.ZodType, Res extends z.ZodType>(spec: MessageSpec<Req, Res>) {
  return spec;
}

export const argon2Params = z.object({
  memoryKiB: z
    .number()
    .int()
    .min(8)
    .max(2 * 1024 * 1024),
  iterations: z.number().int().min(1).max(64),
  parallelism: z.number().int().min(1).max(16),
});

export const runtimeProtocol = {
  /** The isolated content script reports what the MAIN-world script saw of WhatsApp Web. */
  'whatsapp/status': message({
    from: ['whatsapp-content-script'],
    request: whatsAppStatus,
    response: z.null(),
  }),
  /**
   * Runs Argon2id in the background with the given parameters and reports how long it took.
   * Used to calibrate the password KDF on this device, and by the benchmarks.
   */
  'kdf/measure': message({
    from: ['extension-page'],
    request: z.object({
      params: argon2Params,
      password: z.string().max(1024),
      saltHex: z.string().regex(/^([0-9a-f]{2}){8,64}$/),
    }),
    response: z.object({ elapsedMs: z.number().nonnegative(), tagHex: z.string() }),
  }),
} as const;

export type RuntimeProtocol = typeof runtimeProtocol;
export type RuntimeMessageType = keyof RuntimeProtocol;
export type RuntimeRequest<K extends RuntimeMessageType> = z.infer<RuntimeProtocol[K]['request']>;
export type RuntimeResponse<K extends RuntimeMessageType> = z.infer<RuntimeProtocol[K]['response']>;
