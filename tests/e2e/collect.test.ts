import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../utils/schema/types';
import { type DatasetTools, datasetTools } from '../fixtures/whatsapp-web/dataset-tools';
import {
  byId,
  type CollectWorld,
  collectAll,
  collectableOf,
  completenessReport,
  openCollectWorld,
  readCatalog,
  watchMediaDownloads,
  withoutReasons,
} from './collect-harness';

// The collector end to end in real Chromium: the production build's content scripts read the
// WhatsApp Web simulator (tests/fixtures/whatsapp-web) and the background stores into the
// catalog, which must then equal the dataset field by field, media byte for byte.

let tools: DatasetTools;
let dataset: Dataset;
let cw: CollectWorld | undefined;

beforeAll(async () => {
  tools = await datasetTools();
  dataset = await tools.generateDataset({
    seed: 'collect-e2e',
    messages: 700,
    individualChats: 5,
    groupChats: 3,
  });
});
afterEach(async () => {
  await cw?.close();
  cw = undefined;
});

async function expectCatalogEqualsDataset(world: CollectWorld, expected: Dataset) {
  const catalog = await readCatalog(world.control);
  expect(catalog.account).toEqual(expected.account);
  expect(catalog.contacts).toEqual(expected.contacts);
  const chats = byId(catalog.chats);
  expect([...chats.keys()].sort()).toEqual(expected.chats.map((c) => c.id).sort());
  for (const chat of expected.chats) expect(chats.get(chat.id), chat.id).toEqual(chat);
  const messages = byId(catalog.messages);
  expect(messages.size).toBe(expected.messages.length);
  for (const message of expected.messages)
    expect.soft(withoutReasons(messages.get(message.id)!), message.id).toEqual(withoutReasons(message));
  const stored = new Map<string, number>();
  for (const m of expected.messages)
    if (m.media?.status === 'stored') stored.set(m.media.filehash!, m.media.size ?? -1);
  expect(catalog.media.map((m) => m.filehash).sort()).toEqual([...stored.keys()].sort());
  for (const file of catalog.media) {
    // SHA-256 of the stored blob is its filehash: the bytes are the dataset's bytes.
    expect(file.sha256).toBe(file.filehash);
    expect(file.size).toBe(stored.get(file.filehash));
  }
  return catalog;
}

describe('collecting WhatsApp Web into the catalog', () => {
  it('collects every chat, group and message type field by field, media byte-identical (2025 names)', async () => {
    cw = await openCollectWorld({ dataset, generation: '2025' });
    const media = await watchMediaDownloads(cw.whatsApp);
    const run = await collectAll(cw.control);
    expect(run.state, JSON.stringify(run.error)).toBe('done');
    expect(run.mode).toBe('modules');
    await expectCatalogEqualsDataset(cw, collectableOf(dataset));
    const stats = cw.world.whatsApp.stats();
    // Media already fetched once is never fetched again (forwarded copies share a filehash).
    expect(Object.values(stats.mediaRequestsByFilehash).every((n) => n <= 2)).toBe(true);
    // At most 3 downloads at a time.
    const concurrent = await media.maxConcurrent();
    expect(concurrent).toBeGreaterThan(1);
    expect(concurrent).toBeLessThanOrEqual(3);
    const report = await completenessReport(cw.control);
    expect(report.map((line) => line.chatId).sort()).toEqual(dataset.chats.map((c) => c.id).sort());
    expect(report.every((line) => line.source === 'modules' && !line.partial)).toBe(true);
    // Expired media is reported, not hung on (the client's own downloadMedia would hang on it).
    const expired = collectableOf(dataset).messages.filter((m) => m.media?.status === 'expired').length;
    expect(expired).toBeGreaterThan(0);
    expect(report.reduce((sum, line) => sum + line.expiredMedia, 0)).toBe(expired);
    expect(
      report
        .filter((line) => line.moreHistoryOnPhone)
        .map((line) => line.chatId)
        .sort(),
    ).toEqual(
      dataset.chats
        .filter((chat) => chat.completeness.moreHistoryOnPhone)
        .map((chat) => chat.id)
        .sort(),
    );
    const page = await cw.whatsApp.evaluate(() =>
      (window as unknown as { __simulator: { stats(): Record<string, number> } }).__simulator.stats(),
    );
    expect(page.downloadAndMaybeDecryptCalls).toBeGreaterThan(0);
    expect(page.chatsOpened).toBe(0);
  });

  it('works with the newer module names, without MsgKey._serialized, decrypting media itself (2026 names)', async () => {
    cw = await openCollectWorld({ dataset, generation: '2026' });
    const run = await collectAll(cw.control);
    expect(run.state, JSON.stringify(run.error)).toBe('done');
    await expectCatalogEqualsDataset(cw, collectableOf(dataset));
    const page = await cw.whatsApp.evaluate(
      () =>
        (
          window as unknown as {
            __simulator: { stats(): Record<string, number>; config: { msgKeySerialized: boolean } };
          }
        ).__simulator,
    );
    expect(page.config.msgKeySerialized).toBe(false);
    // The renamed download manager sits in a lazy bundle nobody could name: our own decryption
    // of WhatsApp's media files took over.
    expect(
      await cw.whatsApp.evaluate(
        () =>
          (window as unknown as { __simulator: { stats(): Record<string, number> } }).__simulator.stats()
            .downloadAndMaybeDecryptCalls,
      ),
    ).toBe(0);
  });

  it('says the QR code must be scanned when WhatsApp Web is not linked', async () => {
    cw = await openCollectWorld({ dataset, paired: false });
    const run = await collectAll(cw.control);
    expect(run.state).toBe('failed');
    expect(run.error?.code).toBe('needs-qr-scan');
    expect(run.error?.message).toMatch(/scan the QR code/);
    expect((await readCatalog(cw.control)).messages).toEqual([]);
  });

  it('fails with a clear error when no WhatsApp Web tab is open', async () => {
    cw = await openCollectWorld({ dataset });
    await cw.whatsApp.close();
    const run = await collectAll(cw.control);
    expect(run.state).toBe('failed');
    expect(run.error?.code).toBe('no-tab');
    expect(run.error?.message).toMatch(/Open WhatsApp Web/);
  });
});
