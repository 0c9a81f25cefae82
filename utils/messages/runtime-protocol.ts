import { z } from '@/utils/schema/zod';
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

/** Google Drive sign-in as the settings page shows it (utils/auth `AuthStatus`). */
export const driveSignInStatus = z.object({
  configured: z.boolean(),
  /** When not configured: which build-time variables to set. */
  help: z.string().optional(),
  signedIn: z.boolean(),
  method: z.enum(['chrome-identity', 'web-auth-flow']).optional(),
  expiresAt: z.number().optional(),
});

/** A Drive action that did not work, with a stable code (e.g. `cancelled`, `quota-exceeded`). */
const driveFailure = z.object({ outcome: z.literal('failed'), code: z.string(), message: z.string() });

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
  /** Whether Google Drive sign-in is configured in this build and the user is signed in. */
  'drive/status': message({
    from: ['extension-page'],
    request: z.object({}),
    response: driveSignInStatus,
  }),
  /** "Connect Google Drive": the interactive Google sign-in. */
  'drive/sign-in': message({
    from: ['extension-page'],
    request: z.object({}),
    response: z.discriminatedUnion('outcome', [
      z.object({ outcome: z.literal('signed-in'), status: driveSignInStatus }),
      driveFailure,
    ]),
  }),
  /** "Disconnect": revoke ChatVault's access at Google and forget the token. */
  'drive/sign-out': message({
    from: ['extension-page'],
    request: z.object({}),
    response: z.object({ revoked: z.boolean(), status: driveSignInStatus }),
  }),
  /**
   * "Test connection": writes, lists, reads back and deletes a probe object in the backup folder
   * and reports the quota. A larger probe measures the upload speed.
   */
  'drive/check': message({
    from: ['extension-page'],
    request: z.object({
      probeBytes: z
        .number()
        .int()
        .min(1)
        .max(64 * 1024 * 1024)
        .optional(),
    }),
    response: z.discriminatedUnion('outcome', [
      z.object({
        outcome: z.literal('passed'),
        folder: z.string(),
        email: z.string().optional(),
        limitBytes: z.number().optional(),
        usageBytes: z.number(),
        probeBytes: z.number(),
        uploadMs: z.number(),
        downloadMs: z.number(),
      }),
      driveFailure,
    ]),
  }),
  /**
   * An access token for an extension page that talks to Drive itself (the restore page decrypts
   * in the page so the password never reaches the background). `refused`: Drive rejected that
   * token (401); the answer is a fresh one obtained without the user, or a failure.
   */
  'drive/access-token': message({
    from: ['extension-page'],
    request: z.object({ refused: z.string().min(1).max(4096).optional() }),
    response: z.discriminatedUnion('outcome', [
      z.object({ outcome: z.literal('token'), token: z.string().min(1) }),
      driveFailure,
    ]),
  }),
} as const;

export type RuntimeProtocol = typeof runtimeProtocol;
export type RuntimeMessageType = keyof RuntimeProtocol;
export type RuntimeRequest<K extends RuntimeMessageType> = z.infer<RuntimeProtocol[K]['request']>;
export type RuntimeResponse<K extends RuntimeMessageType> = z.infer<RuntimeProtocol[K]['response']>;
