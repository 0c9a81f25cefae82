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
  withoutReasons,
} from './collect-harness';

// When the web client does not give what the record says: the paging loop is broken (the local
// database query takes over), the history is on the phone (ask it), or the modules cannot be
// found at all (read the page, and say the result is partial).

let tools: DatasetTools;
let dataset: Dataset;
let cw: CollectWorld | undefined;

beforeAll(async () => {
  tools = await datasetTools();
  dataset = await tools.generateDataset({
    seed: 'collect-fallbacks',
    messages: 300,
    individualChats: 3,
    groupChats: 2,
  });
});
afterEach(async () => {
  await cw?.close();
  cw = undefined;
});

type PageStats = Record<string, number>;
const pageStats = (world: CollectWorld) =>
  world.whatsApp.evaluate(() =>
    (window as unknown as { __simulator: { stats(): PageStats } }).__simulator.stats(),
  );

describe('collection fallbacks', () => {
  it('reads history through msgFindByDirection when loadEarlierMsgs is broken', async () => {
    cw = await openCollectWorld({ dataset, broken: { loadEarlierMsgs: true } });
    const run = await collectAll(cw.control);
    expect(run.state, JSON.stringify(run.error)).toBe('done');
    const expected = collectableOf(dataset);
    const catalog = await readCatalog(cw.control);
    const messages = byId(catalog.messages);
    expect(messages.size).toBe(expected.messages.length);
    for (const message of expected.messages) {
      // Database rows are not models: the client cannot say what a quoted message was beyond
      // its snapshot, so compare everything else.
      const { quoted: _q, ...want } = withoutReasons(message);
      const { quoted: _r, ...got } = withoutReasons(messages.get(message.id)!);
      expect.soft(got, message.id).toEqual(want);
    }
    expect(cw.world.whatsApp.stats().pageRequestsByReason.msgFindByDirection).toBeGreaterThan(0);
  });

  it('asks the phone for history the web client does not have', async () => {
    const busiest = [...byId(dataset.chats).keys()].reduce((a, b) =>
      dataset.messages.filter((m) => m.chatId === a).length >=
      dataset.messages.filter((m) => m.chatId === b).length
        ? a
        : b,
    );
    const total = dataset.messages.filter((m) => m.chatId === busiest).length;
    cw = await openCollectWorld({
      dataset,
      history: { webLimitByChat: { [busiest]: 30 }, phoneLatencyMs: 100, phoneBatch: 40 },
    });
    const run = await collectAll(cw.control);
    expect(run.state, JSON.stringify(run.error)).toBe('done');
    const catalog = await readCatalog(cw.control);
    expect(catalog.messages.filter((m) => m.chatId === busiest).length).toBe(total);
    expect(cw.world.whatsApp.stats().phoneRequests).toBeGreaterThanOrEqual(Math.ceil((total - 30) / 40));
  });

  it('reads the rendered page when the modules are hidden, and marks the chats partial', async () => {
    cw = await openCollectWorld({ dataset, modules: 'hidden' });
    // The timeline renders only while the tab is visible, as a person would have it.
    await cw.whatsApp.bringToFront();
    const run = await collectAll(cw.control);
    expect(run.state, JSON.stringify(run.error)).toBe('done');
    expect(run.mode).toBe('dom');
    const catalog = await readCatalog(cw.control);
    expect(catalog.chats.length).toBe(dataset.chats.length);
    expect(catalog.chats.every((chat) => chat.completeness.source === 'dom')).toBe(true);
    const truth = byId(dataset.messages);
    // The 2025 DOM still carries packed message ids: every row maps to a real message, and
    // every message of every chat was scrolled past and saved.
    expect(catalog.messages.length).toBe(dataset.messages.length);
    for (const message of catalog.messages) {
      const original = truth.get(message.id);
      expect(original, message.id).toBeDefined();
      if (original!.type !== 'chat' || original!.deletion) continue;
      expect(message.text).toBe(original!.text);
      // Text rows carry their time to the minute (rows without a prefix borrow a neighbour's).
      expect(Math.abs(message.timestamp - original!.timestamp)).toBeLessThan(60);
    }
    const report = await completenessReport(cw.control);
    expect(report.every((line) => line.partial && line.source === 'dom')).toBe(true);
    expect((await pageStats(cw)).chatsOpened).toBe(dataset.chats.length);
  });

  it('reads the May 2026 page too (bare row ids, authors apart), with stand-in chat ids', async () => {
    cw = await openCollectWorld({ dataset, modules: 'hidden', generation: '2026' });
    await cw.whatsApp.bringToFront();
    const run = await collectAll(cw.control);
    expect(run.state, JSON.stringify(run.error)).toBe('done');
    const catalog = await readCatalog(cw.control);
    const byStanza = new Map(dataset.messages.map((m) => [m.id.split('_')[2], m]));
    expect(catalog.messages.length).toBe(dataset.messages.length);
    for (const message of catalog.messages) {
      const original = byStanza.get(message.id.split('_')[2]);
      expect(original, message.id).toBeDefined();
      expect(message.fromMe).toBe(original!.fromMe);
      if (original!.type === 'chat' && !original!.deletion) expect(message.text).toBe(original!.text);
    }
    // Groups are recognised by their author lines, so their stand-in ids say @g.us.
    const groups = catalog.chats
      .filter((chat) => chat.kind === 'group')
      .map((chat) => chat.name)
      .sort();
    expect(groups).toEqual(
      dataset.chats
        .filter((c) => c.kind === 'group')
        .map((c) => c.name)
        .sort(),
    );
  });
});
