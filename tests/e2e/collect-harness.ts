import type { Page } from 'puppeteer';
import type { ChatCompleteness, CollectOptions, CollectRun } from '../../utils/messages/collect-protocol';
import type { Chat, Contact, Dataset, Message } from '../../utils/schema/types';
import type { WhatsAppWebOptions } from '../fixtures/whatsapp-web/server';
import { waitUntil } from './support/launch';
import { startWorld, type World } from './support/stand-ins';

/**
 * What the collection e2e tests share: a world with WhatsApp Web open, the extension's collection
 * driven over its control Port from an extension page (as the popup would), and the catalog read
 * straight out of IndexedDB in that page, so the tests see exactly what the backup would read.
 */
export interface CollectWorld {
  world: World;
  whatsApp: Page;
  control: Page;
  close(): Promise<void>;
}

/** Options that make runs fast on a shared 2-core machine (no human pace in tests). */
export const FAST: Partial<CollectOptions> = {
  paceMs: 0,
  phoneWaitMs: 600,
  mediaTimeoutMs: 4000,
  readyTimeoutMs: 30_000,
};

export async function openCollectWorld(
  options: WhatsAppWebOptions,
  userDataDir?: string,
): Promise<CollectWorld> {
  const world = await startWorld({ whatsApp: options, ...(userDataDir ? { userDataDir } : {}) });
  const whatsApp = await openWhatsApp(world);
  const control = await world.session.openPage('popup.html');
  return {
    world,
    whatsApp,
    control,
    close: () => world.close(),
  };
}

export async function openWhatsApp(world: World): Promise<Page> {
  const page = await world.session.browser.newPage();
  await page.goto('https://web.whatsapp.com/');
  return page;
}

type ControlRequest =
  | { type: 'start'; options?: Partial<CollectOptions> }
  | { type: 'status' }
  | { type: 'cancel' }
  | { type: 'report' };

/** One request over the control Port; resolves with the first answer of the wanted type. */
export async function control<T>(
  page: Page,
  request: ControlRequest,
  answerType: 'status' | 'report',
): Promise<T> {
  return (await page.evaluate(
    (req, wanted) =>
      new Promise((resolve, reject) => {
        // The extension page's own chrome.runtime (declared narrowly for tests in support/).
        const runtime = chrome.runtime as unknown as {
          connect(info: { name: string }): {
            postMessage(message: unknown): void;
            disconnect(): void;
            onMessage: { addListener(listener: (message: { type: string }) => void): void };
          };
        };
        const port = runtime.connect({ name: 'chatvault/collect-control' });
        const timer = setTimeout(() => reject(new Error(`no ${wanted} answer`)), 20_000);
        port.onMessage.addListener((message: { type: string }) => {
          if (message.type !== wanted && message.type !== 'error') return;
          clearTimeout(timer);
          port.disconnect();
          if (message.type === 'error') reject(new Error(JSON.stringify(message)));
          else resolve(message);
        });
        port.postMessage(req);
      }),
    request,
    answerType,
  )) as T;
}

export async function startCollection(
  page: Page,
  options: Partial<CollectOptions> = FAST,
): Promise<CollectRun> {
  return (await control<{ run: CollectRun }>(page, { type: 'start', options }, 'status')).run;
}

export async function runStatus(page: Page): Promise<CollectRun | null> {
  return (await control<{ run: CollectRun | null }>(page, { type: 'status' }, 'status')).run;
}

export async function completenessReport(page: Page): Promise<ChatCompleteness[]> {
  return (await control<{ chats: ChatCompleteness[] }>(page, { type: 'report' }, 'report')).chats;
}

/** Polls the run until it leaves `running` (or `condition` holds); returns the last record. */
export async function waitForRun(
  page: Page,
  timeoutMs = 120_000,
  condition: (run: CollectRun | null) => boolean = (run) => run !== null && run.state !== 'running',
): Promise<CollectRun> {
  let last: CollectRun | null = null;
  await waitUntil(
    async () => {
      last = await runStatus(page).catch(() => last);
      return condition(last);
    },
    timeoutMs,
    'the collection run',
  );
  return last!;
}

export async function collectAll(
  page: Page,
  options: Partial<CollectOptions> = FAST,
  timeoutMs = 120_000,
): Promise<CollectRun> {
  const started = await startCollection(page, options);
  const run = await waitForRun(page, timeoutMs);
  if (run.runId !== started.runId) throw new Error('another run finished');
  return run;
}

export interface CatalogSnapshot {
  chats: Chat[];
  messages: Message[];
  contacts: Record<string, Contact>;
  account?: { id: string; name?: string };
  cursors: { chatId: string; newestTimestamp: number; oldestTimestamp: number; historyComplete?: boolean }[];
  /** Stored media: filehash, size, mimetype and the SHA-256 (base64) of the stored blob. */
  media: { filehash: string; size: number; mimetype?: string; sha256: string }[];
}

/** Reads the whole catalog from an extension page (raw IndexedDB: no code of ours involved). */
export async function readCatalog(page: Page): Promise<CatalogSnapshot> {
  return (await page.evaluate(async () => {
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const request = indexedDB.open('chatvault-catalog');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const all = (store: string): Promise<unknown[]> =>
      new Promise((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const [chats, messages, meta, cursors, media] = await Promise.all([
      all('chats'),
      all('messages'),
      all('meta'),
      all('cursors'),
      all('media'),
    ]);
    db.close();
    const metaValue = (key: string) =>
      (meta as { key: string; value: unknown }[]).find((m) => m.key === key)?.value;
    const hashes = await Promise.all(
      (media as { filehash: string; status: string; size: number; mimetype?: string; blob: Blob }[])
        .filter((m) => m.status === 'stored')
        .map(async (m) => {
          const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await m.blob.arrayBuffer()));
          let binary = '';
          for (const byte of digest) binary += String.fromCharCode(byte);
          return { filehash: m.filehash, size: m.blob.size, mimetype: m.mimetype, sha256: btoa(binary) };
        }),
    );
    return {
      chats: (chats as { chat: unknown }[]).map((r) => r.chat),
      messages: (messages as { message: unknown }[]).map((r) => r.message),
      contacts: metaValue('contacts') ?? {},
      account: metaValue('account'),
      cursors,
      media: hashes,
    };
  })) as CatalogSnapshot;
}

/**
 * What collecting `dataset` can give, by the public record: a message deleted before it was first
 * collected shows as `revoked` (its content is gone from the web client), and edit histories are
 * unknown (the client keeps only the latest text). With `before` (the state an earlier run
 * collected), changes made since are visible as such: a deletion keeps the content collected
 * earlier, and an edit's previous version is the text collected earlier. Media counts follow.
 */
export function collectableOf(dataset: Dataset, before?: Dataset): Dataset {
  const earlier = before ? byId(before.messages) : undefined;
  const messages = dataset.messages.map((message): Message => {
    const seen = earlier?.get(message.id);
    let copy: Message = { ...message };
    const deletedSinceSeen = seen !== undefined && !seen.deletion;
    if (copy.deletion && copy.type !== 'revoked' && !deletedSinceSeen) copy = revokedForm(copy);
    const editedSinceSeen = seen !== undefined && !seen.edit;
    if (copy.edit?.previousVersions && !editedSinceSeen) copy.edit = { editedAtMs: copy.edit.editedAtMs };
    return copy;
  });
  const counts = new Map<string, Chat['completeness']>();
  for (const chat of dataset.chats)
    counts.set(chat.id, { ...chat.completeness, expiredMedia: 0, failedMedia: 0, skippedMedia: 0 });
  for (const message of messages) {
    const c = counts.get(message.chatId)!;
    if (message.media?.status === 'expired') c.expiredMedia++;
    if (message.media?.status === 'failed') c.failedMedia++;
    if (message.media?.status === 'skipped') c.skippedMedia++;
  }
  return {
    ...dataset,
    messages,
    chats: dataset.chats.map((chat) => ({ ...chat, completeness: counts.get(chat.id)! })),
  };
}

/** A message as the web client shows it once it was deleted for everyone. */
export function revokedForm(message: Message): Message {
  return {
    id: message.id,
    chatId: message.chatId,
    timestamp: message.timestamp,
    fromMe: message.fromMe,
    ...(message.senderId === undefined ? {} : { senderId: message.senderId }),
    ...(message.senderName === undefined ? {} : { senderName: message.senderName }),
    type: 'revoked',
    rawType: 'revoked',
    ...(message.deliveryStatus === undefined ? {} : { deliveryStatus: message.deliveryStatus }),
    ...(message.ephemeral ? { ephemeral: true } : {}),
    deletion: message.deletion!,
  };
}

/** Media reasons are words for people; compare statuses, and that a reason is there. */
export function withoutReasons<T extends { media?: { reason?: string } }>(message: T): T {
  if (!message.media) return message;
  const { reason, ...media } = message.media;
  return { ...message, media: { ...media, ...(reason === undefined ? {} : { reason: 'present' }) } };
}

export function byId<T extends { id: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [item.id, item]));
}

/**
 * Counts the media downloads (mmg.whatsapp.net) the page has in flight, from the fetch call until
 * its body is read. Measured in the page itself: Chromium reports a request's end to DevTools a
 * little after the page has its bytes, so counting network events overstates overlap by one.
 */
export async function watchMediaDownloads(page: Page): Promise<{ maxConcurrent(): Promise<number> }> {
  await page.evaluate(() => {
    const w = window as unknown as {
      fetch: typeof fetch;
      __chatvaultTestMedia?: { active: number; max: number };
    };
    const counter = { active: 0, max: 0 };
    w.__chatvaultTestMedia = counter;
    const original = w.fetch.bind(window);
    w.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      if (!String(input).startsWith('https://mmg.whatsapp.net/')) return original(input, init);
      counter.active++;
      counter.max = Math.max(counter.max, counter.active);
      try {
        const response = await original(input, init);
        const body = await response.arrayBuffer();
        return new Response(body, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
      } finally {
        counter.active--;
      }
    };
  });
  return {
    maxConcurrent: () =>
      page.evaluate(
        () => (window as unknown as { __chatvaultTestMedia: { max: number } }).__chatvaultTestMedia.max,
      ),
  };
}

/** How many messages and stored media bytes the catalog holds (cheap: for large catalogs). */
export async function readCatalogCounts(
  page: Page,
): Promise<{ messages: number; mediaFiles: number; mediaBytes: number }> {
  return (await page.evaluate(async () => {
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const request = indexedDB.open('chatvault-catalog');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const messages: number = await new Promise((resolve, reject) => {
      const request = db.transaction('messages').objectStore('messages').count();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const sizes: number[] = await new Promise((resolve, reject) => {
      const request = db.transaction('media').objectStore('media').getAll();
      request.onsuccess = () => resolve((request.result as { size: number }[]).map((m) => m.size));
      request.onerror = () => reject(request.error);
    });
    db.close();
    return { messages, mediaFiles: sizes.length, mediaBytes: sizes.reduce((sum, size) => sum + size, 0) };
  })) as { messages: number; mediaFiles: number; mediaBytes: number };
}
