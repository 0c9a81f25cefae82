import { z } from '@/utils/schema/zod';

/**
 * Collection, end to end: what the background asks of the WhatsApp Web tab and what flows back.
 *
 *   background ──Port "chatvault/collect"──> isolated content script ──window messages──> MAIN world
 *              <── items (JSON), media as base64 chunks ──          <── items, media as ArrayBuffer ──
 *
 * Every item carries a sequence number and is acknowledged by the background once it is stored;
 * the isolated script keeps what is not yet acknowledged and sends it again to a new service
 * worker (Chrome stops and restarts workers at will), and the MAIN world waits for the isolated
 * script's acknowledgements, so a slow catalog slows the reading down instead of piling up
 * memory (backpressure). Page data is untrusted: the isolated script checks these envelopes,
 * the background validates every chat and message against the canonical schema.
 *
 * Chrome's runtime messaging is JSON only, so media bytes cross the Port as base64 chunks of
 * MEDIA_CHUNK_BYTES; window messages use structured clone and carry a Blob.
 */
export const COLLECT_PORT = 'chatvault/collect';
/** Extension pages (popup, settings, tests) start, watch and cancel collection over this Port. */
export const COLLECT_CONTROL_PORT = 'chatvault/collect-control';
/** A content script whose Port dropped mid-run wakes the background through this Port. */
export const COLLECT_WAKE_PORT = 'chatvault/collect-wake';

/**
 * Raw bytes per base64 chunk on the Port. Measured in Chromium 156 (extension page → service
 * worker, 48 MiB): 128 KiB chunks moved 42–52 MiB/s, 256 KiB 34–42, 512 KiB 19–27 and 1 MiB only
 * 6–7 (large messages take a slower path); packing two bytes per UTF-16 code unit instead of
 * base64 was slower at every size. See bench/entries/collect.ts.
 */
export const MEDIA_CHUNK_BYTES = 128 * 1024;

const runId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const seq = z.number().int().min(1);
const filehash = z.string().regex(/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/);
const jid = z.string().min(3).max(256);

export const collectOptions = z.object({
  /** Incremental runs re-read this much before each chat's newest collected message. */
  lookbackSeconds: z
    .number()
    .int()
    .min(0)
    .max(10 * 365 * 86_400),
  /** About this long between two history loads and two downloads (human pace). */
  paceMs: z.number().int().min(0).max(60_000),
  /** Media downloads at the same time; never more than 3 (whatsapp-web.md "Limits"). */
  mediaConcurrency: z.number().int().min(1).max(3),
  mediaTimeoutMs: z.number().int().min(100).max(600_000),
  downloadMedia: z.boolean(),
  askPhone: z.boolean(),
  phoneWaitMs: z.number().int().min(0).max(120_000),
  phoneRounds: z.number().int().min(0).max(1000),
  /** Messages per item sent to the background. */
  batchSize: z.number().int().min(1).max(2000),
  /** How long to wait for WhatsApp Web to load and sync. */
  readyTimeoutMs: z.number().int().min(100).max(600_000),
  /** Read the visible page when the modules cannot be found (partial; opens chats). */
  allowDomFallback: z.boolean(),
});
export type CollectOptions = z.infer<typeof collectOptions>;

export const DEFAULT_COLLECT_OPTIONS: CollectOptions = {
  lookbackSeconds: 14 * 86_400,
  paceMs: 250,
  mediaConcurrency: 3,
  mediaTimeoutMs: 120_000,
  downloadMedia: true,
  askPhone: true,
  phoneWaitMs: 3000,
  phoneRounds: 20,
  batchSize: 250,
  readyTimeoutMs: 120_000,
  allowDomFallback: true,
};

export const collectStart = z.object({
  runId,
  options: collectOptions,
  /** Per chat: collect only messages at or after `since` (unix seconds); absent = everything. */
  cursors: z.record(jid, z.object({ since: z.number().int().min(0) })),
  /** Filehashes whose bytes the catalog already has: never fetched again. */
  knownMedia: z.array(filehash).max(5_000_000),
});
export type CollectStart = z.infer<typeof collectStart>;

const progress = z.object({
  chatsDone: z.number().int().min(0),
  chatsTotal: z.number().int().min(0),
  messages: z.number().int().min(0),
  mediaStored: z.number().int().min(0),
  mediaKnown: z.number().int().min(0),
  mediaExpired: z.number().int().min(0),
  mediaFailed: z.number().int().min(0),
  mediaSkipped: z.number().int().min(0),
  mediaBytes: z.number().int().min(0),
  historyLoads: z.number().int().min(0),
});
export type CollectProgress = z.infer<typeof progress>;

export const END_OUTCOMES = ['done', 'failed', 'cancelled', 'needs-qr-scan'] as const;

/** Items that travel as JSON all the way (chats and messages are checked deeply by the background). */
export const jsonCollectItem = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('chats'),
    mode: z.enum(['modules', 'dom']),
    chats: z.array(z.unknown()).max(100_000),
    contacts: z.record(z.string(), z.unknown()),
    account: z.unknown().optional(),
  }),
  z.object({ kind: z.literal('messages'), chatId: jid, messages: z.array(z.unknown()).max(5000) }),
  z.object({
    kind: z.literal('chat-done'),
    chatId: jid,
    chat: z.unknown(),
    reachedStart: z.boolean(),
    messages: z.number().int().min(0),
  }),
  z.object({ kind: z.literal('progress'), progress }),
  z.object({
    kind: z.literal('end'),
    outcome: z.enum(END_OUTCOMES),
    code: z.string().max(64).optional(),
    message: z.string().max(2000).optional(),
  }),
]);
export type JsonCollectItem = z.infer<typeof jsonCollectItem>;

/**
 * Media cross from the MAIN world as a Blob: window messages structured-clone a Blob by
 * reference, while an ArrayBuffer is copied into every JavaScript world that reads the event
 * (the page's own listeners included) — measured as a third of the bridge's time.
 */
const blob = z.custom<Blob>(
  (value) => value instanceof Blob || Object.prototype.toString.call(value) === '[object Blob]',
  'must be a Blob',
);

export const mediaItem = z.object({
  kind: z.literal('media'),
  filehash,
  mimetype: z.string().max(255).optional(),
  bytes: blob,
});
export type MediaItem = z.infer<typeof mediaItem>;

/** What the MAIN world posts to the isolated script. */
export const pageCollectItem = z.union([jsonCollectItem, mediaItem]);
export type PageCollectItem = JsonCollectItem | MediaItem;

/** Background → content script. */
export const toContent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), start: collectStart }),
  z.object({ type: z.literal('ack'), runId, seq }),
  z.object({ type: z.literal('cancel'), runId }),
]);
export type ToContent = z.infer<typeof toContent>;

/** Content script → background. */
export const toBackground = z.discriminatedUnion('type', [
  z.object({ type: z.literal('attached'), runId, resumed: z.boolean() }),
  z.object({ type: z.literal('item'), runId, seq, item: jsonCollectItem }),
  z.object({
    type: z.literal('media-chunk'),
    runId,
    seq,
    filehash,
    mimetype: z.string().max(255).optional(),
    size: z
      .number()
      .int()
      .min(0)
      .max(4 * 1024 * 1024 * 1024),
    part: z.number().int().min(0),
    parts: z.number().int().min(1).max(1_000_000),
    data: z.string(),
  }),
]);
export type ToBackground = z.infer<typeof toBackground>;

/** A content script asking a (restarted) background to pick its run up again. */
export const wakeRequest = z.object({ type: z.literal('wake'), runId });

/** The state of the current or last collection, as extension pages see it. */
export const collectRun = z.object({
  runId,
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  startedAt: z.number(),
  updatedAt: z.number(),
  finishedAt: z.number().optional(),
  /** How many times a service worker (re)started this run. */
  attempts: z.number().int().min(1),
  mode: z.enum(['modules', 'dom']).optional(),
  progress: progress.optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  options: collectOptions,
});
export type CollectRun = z.infer<typeof collectRun>;

/** Extension page → background, over COLLECT_CONTROL_PORT. */
export const controlRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), options: collectOptions.partial().optional() }),
  z.object({ type: z.literal('cancel') }),
  z.object({ type: z.literal('status') }),
  z.object({ type: z.literal('report') }),
]);
export type ControlRequest = z.infer<typeof controlRequest>;

/** One chat's line in the completeness report (what could not be collected, for the UI). */
export const chatCompleteness = z.object({
  chatId: jid,
  name: z.string().optional(),
  kind: z.string(),
  source: z.enum(['modules', 'dom', 'mixed']),
  /** Older history exists only on the phone. */
  moreHistoryOnPhone: z.boolean(),
  /** Collected from the visible page only: ids, senders, reactions and media may be missing. */
  partial: z.boolean(),
  messages: z.number().int().min(0),
  expiredMedia: z.number().int().min(0),
  failedMedia: z.number().int().min(0),
  skippedMedia: z.number().int().min(0),
  oldestTimestamp: z.number().optional(),
  newestTimestamp: z.number().optional(),
  lastCollectedAt: z.number().optional(),
});
export type ChatCompleteness = z.infer<typeof chatCompleteness>;

/** Background → extension page. */
export const controlAnswer = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), run: collectRun.nullable() }),
  z.object({ type: z.literal('report'), chats: z.array(chatCompleteness) }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type ControlAnswer = z.infer<typeof controlAnswer>;
