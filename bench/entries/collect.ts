import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';
import type { Page } from 'puppeteer';
import {
  collectAll,
  collectableOf,
  openCollectWorld,
  readCatalogCounts,
  startCollection,
  waitForRun,
} from '../../tests/e2e/collect-harness';
import { generateDataset } from '../../tests/fixtures/dataset/generate';
import type { CollectOptions } from '../../utils/messages/collect-protocol';
import { type BenchResult, round } from '../result';

const MiB = 1024 * 1024;

/**
 * tsx compiles this file with esbuild's keepNames, which wraps named functions in a `__name`
 * helper; functions handed to `page.evaluate` then reference it inside the browser. Define it there.
 */
async function withNameHelper<T extends { whatsApp: Page; control: Page }>(world: T): Promise<T> {
  for (const page of [world.whatsApp, world.control])
    await page.evaluate('globalThis.__name = (target) => target');
  return world;
}
/** Machine speed, not human pace: the product reads at `paceMs` 250 by default. */
const UNPACED: Partial<CollectOptions> = {
  paceMs: 0,
  phoneWaitMs: 0,
  askPhone: false,
  readyTimeoutMs: 120_000,
};

/**
 * Collection in the production build, in Chromium, from the WhatsApp Web simulator:
 * - `collect.messages_per_s`: 100 000 messages (chats, groups, every type) from the page's
 *   modules through the bridge into the catalog, media downloads off (measured next).
 * - `collect.media.ratio_vs_dexie`: media MB/s from the page (download, decrypt, verify, base64
 *   over the Port, verify again, store) divided by writing blobs of the same sizes into Dexie
 *   directly in an extension page, in the same run. Goal ≥ 0.5.
 */
export async function benchCollect(): Promise<BenchResult[]> {
  return [await messagesPerSecond(), await mediaRatio()];
}

async function messagesPerSecond(): Promise<BenchResult> {
  const dataset = await generateDataset({
    seed: 'bench-collect',
    messages: 100_000,
    individualChats: 20,
    groupChats: 10,
    mediaFraction: 0.05,
    mediaSizeScale: 0.002,
  });
  const world = await withNameHelper(await openCollectWorld({ dataset }));
  try {
    const started = performance.now();
    const run = await collectAll(world.control, { ...UNPACED, downloadMedia: false }, 1_800_000);
    const seconds = (performance.now() - started) / 1000;
    if (run.state !== 'done') throw new Error(`collection ${run.state}: ${run.error?.message}`);
    const counts = await readCatalogCounts(world.control);
    if (counts.messages !== dataset.messages.length)
      throw new Error(`collected ${counts.messages} of ${dataset.messages.length} messages`);
    const pages = world.world.whatsApp.stats().pageRequests;
    return {
      name: 'collect.messages_per_s',
      value: round(counts.messages / seconds, 0),
      unit: 'msg/s',
      note: `${counts.messages} messages, ${dataset.chats.length} chats, ${pages} history pages of 50, ${round(seconds, 1)} s, no human pace, media off`,
    };
  } finally {
    await world.close();
  }
}

async function mediaRatio(): Promise<BenchResult> {
  const dataset = await generateDataset({
    seed: 'bench-media',
    messages: 600,
    individualChats: 3,
    groupChats: 2,
    mediaFraction: 0.9,
    mediaSizeScale: 0.25,
    expiredMediaFraction: 0,
  });
  // Media of messages deleted before collection is gone from the web client: not counted.
  const sizes = [
    ...new Map(
      collectableOf(dataset).messages.flatMap((m) =>
        m.media?.status === 'stored' ? [[m.media.filehash!, m.media.size!] as const] : [],
      ),
    ).values(),
  ];
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const bridge = await bridgeSeconds(sizes);
  const endToEnd = await collectionSeconds(dataset, total);
  let dexie = Number.POSITIVE_INFINITY;
  {
    const world = await withNameHelper(await openCollectWorld({ bootMs: 3_600_000 }));
    try {
      dexie = await writeBlobsWithDexie(world.control, sizes);
    } finally {
      await world.close();
    }
  }
  const rate = (seconds: number) => total / MiB / seconds;
  return {
    name: 'collect.media.ratio_vs_dexie',
    value: round(rate(bridge) / rate(dexie)),
    unit: 'x',
    reference: round(rate(dexie), 1),
    ratio: round(rate(bridge) / rate(dexie)),
    note:
      `${sizes.length} files, ${round(total / MiB, 1)} MiB: page to catalog at ${round(rate(bridge), 1)} MiB/s ` +
      `(isolated script, Port, worker, Dexie), reference = Dexie MiB/s in an extension page; whole collection ` +
      `incl. the simulated mmg download and decryption ${round(rate(endToEnd), 1)} MiB/s; goal >= 0.5`,
  };
}

/**
 * The bridge alone: media already in the page's memory, posted to the isolated content script
 * exactly as the MAIN-world collector posts them (window messages, waiting for its
 * acknowledgements), through the Port into the catalog. The simulated client never finishes
 * loading, so the collector itself stays silent while the page plays its part.
 */
async function bridgeSeconds(sizes: readonly number[]): Promise<number> {
  const world = await withNameHelper(await openCollectWorld({ bootMs: 3_600_000 }));
  try {
    await world.whatsApp.evaluate(
      async (list) => {
        const w = window as unknown as { __bench: { items: { filehash: string; bytes: Blob }[] } };
        const items = [];
        for (const size of list) {
          const bytes = new Uint8Array(size);
          for (let at = 0; at < size; at += 65536)
            crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + 65536)));
          const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
          let binary = '';
          for (const byte of digest) binary += String.fromCharCode(byte);
          items.push({ filehash: btoa(binary), bytes: new Blob([bytes]) });
        }
        w.__bench = { items };
      },
      [...sizes],
    );
    const ready = world.whatsApp.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const listener = (event: MessageEvent) => {
            const data = event.data as { channel?: string; type?: string; payload?: { runId: string } };
            if (data?.channel === 'chatvault/v1' && data.type === 'isolated/collect-start') {
              window.removeEventListener('message', listener);
              resolve(data.payload!.runId);
            }
          };
          window.addEventListener('message', listener);
        }),
    );
    await startCollection(world.control, { ...UNPACED, readyTimeoutMs: 600_000 });
    const runId = await ready;
    const started = performance.now();
    await world.whatsApp.evaluate(async (id) => {
      const { items } = (window as unknown as { __bench: { items: { filehash: string; bytes: Blob }[] } })
        .__bench;
      let acked = 0;
      let wake: (() => void) | undefined;
      window.addEventListener('message', (event) => {
        const data = event.data as {
          channel?: string;
          type?: string;
          payload?: { runId: string; seq: number };
        };
        if (
          data?.channel !== 'chatvault/v1' ||
          data.type !== 'isolated/collect-ack' ||
          data.payload?.runId !== id
        )
          return;
        acked = Math.max(acked, data.payload.seq);
        wake?.();
      });
      const post = (seq: number, item: unknown) =>
        window.postMessage(
          {
            channel: 'chatvault/v1',
            direction: 'main-to-isolated',
            type: 'main/collect-item',
            payload: { runId: id, seq, item },
          },
          window.location.origin,
        );
      // The MAIN world's window: at most 4 items the isolated script has not taken yet.
      for (let i = 0; i < items.length; i++) {
        post(i + 1, {
          kind: 'media',
          filehash: items[i]!.filehash,
          mimetype: 'image/jpeg',
          bytes: items[i]!.bytes,
        });
        while (i + 1 - acked > 4) await new Promise<void>((resolve) => (wake = resolve));
      }
      post(items.length + 1, { kind: 'end', outcome: 'done' });
    }, runId);
    const run = await waitForRun(world.control, 600_000);
    const seconds = (performance.now() - started) / 1000;
    if (run.state !== 'done') throw new Error(`bridge run ${run.state}: ${run.error?.message}`);
    const counts = await readCatalogCounts(world.control);
    const total = sizes.reduce((sum, size) => sum + size, 0);
    if (counts.mediaBytes !== total)
      throw new Error(`the bridge stored ${counts.mediaBytes} of ${total} bytes`);
    return seconds;
  } finally {
    await world.close();
  }
}

/** The whole collection of the media dataset, downloads from the simulated mmg included. */
async function collectionSeconds(
  dataset: Awaited<ReturnType<typeof generateDataset>>,
  total: number,
): Promise<number> {
  // The one "timed out" file the generator always includes drops after 100 ms, not a minute.
  const world = await withNameHelper(await openCollectWorld({ dataset, media: { stallMs: 100 } }));
  try {
    const started = performance.now();
    const run = await collectAll(world.control, UNPACED, 600_000);
    const seconds = (performance.now() - started) / 1000;
    if (run.state !== 'done') throw new Error(`collection ${run.state}: ${run.error?.message}`);
    const counts = await readCatalogCounts(world.control);
    if (counts.mediaBytes !== total) throw new Error(`stored ${counts.mediaBytes} of ${total} media bytes`);
    return seconds;
  } finally {
    await world.close();
  }
}

/** Writes blobs of the given sizes into a fresh Dexie database in an extension page, one put each. */
async function writeBlobsWithDexie(page: Page, sizes: readonly number[]): Promise<number> {
  const bundle = await build({
    stdin: {
      contents: `import { Dexie } from 'dexie';
        globalThis.__benchDexieWrite = async (sizes) => {
          const db = new Dexie('bench-dexie-' + Date.now());
          db.version(1).stores({ media: '&filehash, status' });
          const blobs = sizes.map((size) => {
            const bytes = new Uint8Array(size);
            for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + 65536)));
            return new Blob([bytes]);
          });
          await db.open();
          const started = performance.now();
          for (let i = 0; i < blobs.length; i++) await db.table('media').put({ filehash: 'f' + i, status: 'stored', size: sizes[i], blob: blobs[i] });
          const ms = performance.now() - started;
          await db.delete();
          return ms;
        };`,
      resolveDir: process.cwd(),
      loader: 'js',
    },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    logLevel: 'silent',
  });
  // DevTools evaluation is not bound by the page's CSP, so the bundle can run in the extension page.
  await page.evaluate(bundle.outputFiles[0]!.text);
  const ms = (await page.evaluate(
    (list) =>
      (globalThis as unknown as { __benchDexieWrite(s: number[]): Promise<number> }).__benchDexieWrite(list),
    [...sizes],
  )) as number;
  return ms / 1000;
}
