import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset, Message } from '../../utils/schema/types';
import { type DatasetTools, datasetTools } from '../fixtures/whatsapp-web/dataset-tools';
import {
  byId,
  type CollectWorld,
  collectAll,
  collectableOf,
  openCollectWorld,
  readCatalog,
  withoutReasons,
} from './collect-harness';

// Later runs read only what is new, plus a look-back window in which edits, deletions and
// reactions are picked up; and they never fetch media the catalog already has.

let tools: DatasetTools;
let dataset: Dataset;
let extended: Dataset;
let cw: CollectWorld | undefined;

beforeAll(async () => {
  tools = await datasetTools();
  // Two months, so the generator's "recent" changes fall inside the 14-day look-back window.
  dataset = await tools.generateDataset({
    seed: 'collect-incremental',
    messages: 500,
    months: 2,
    minMonthsPerChat: 1,
  });
  extended = await tools.extendDataset(dataset, { seed: 'one more day', newMessageFraction: 0.04 });
});
afterEach(async () => {
  await cw?.close();
  cw = undefined;
});

async function expectCatalog(world: CollectWorld, expected: Dataset) {
  const catalog = await readCatalog(world.control);
  const messages = byId(catalog.messages);
  expect(messages.size).toBe(expected.messages.length);
  for (const message of expected.messages)
    expect.soft(withoutReasons(messages.get(message.id)!), message.id).toEqual(withoutReasons(message));
  const chats = byId(catalog.chats);
  for (const chat of expected.chats) expect.soft(chats.get(chat.id), chat.id).toEqual(chat);
  return catalog;
}

const changedBetween = (before: Dataset, after: Dataset): Message[] => {
  const old = byId(before.messages);
  return after.messages.filter((m) => old.has(m.id) && JSON.stringify(old.get(m.id)) !== JSON.stringify(m));
};

describe('incremental collection', () => {
  it('reads only the new messages, and keeps edits, deletions and reactions made since', async () => {
    cw = await openCollectWorld({ dataset });
    expect((await collectAll(cw.control)).state).toBe('done');
    const firstPages = cw.world.whatsApp.stats().pageRequests;
    expect(firstPages).toBeGreaterThan(0);
    await expectCatalog(cw, collectableOf(dataset));

    // A day of chatting arrives live: new messages, and reactions, edits and deletions on
    // recent older ones.
    const changed = changedBetween(dataset, extended);
    expect(changed.some((m) => m.deletion && !byId(dataset.messages).get(m.id)!.deletion)).toBe(true);
    expect(changed.some((m) => m.edit?.previousVersions)).toBe(true);
    cw.world.whatsApp.resetStats();
    cw.world.whatsApp.update(extended);
    await cw.world.whatsApp.whenDelivered();
    const second = await collectAll(cw.control);
    expect(second.state).toBe('done');
    const stats = cw.world.whatsApp.stats();
    // Everything new is already loaded in the open page: not one history page was read.
    expect(stats.pageRequests).toBe(0);
    expect(stats.messagesServed).toBe(0);
    // Media the catalog already has is never fetched again (media that expired or failed
    // before may be tried again while its message is inside the look-back window).
    const before = new Set(
      dataset.messages.flatMap((m) => (m.media?.status === 'stored' ? [m.media.filehash!] : [])),
    );
    expect(Object.keys(stats.mediaRequestsByFilehash).every((hash) => !before.has(hash))).toBe(true);
    expect(Object.keys(stats.mediaRequestsByFilehash).length).toBeGreaterThan(0);
    await expectCatalog(cw, collectableOf(extended, dataset));

    // After a reload the client holds only the newest 20 messages per chat: a third run reads a
    // page or so per chat back to its look-back window, not the whole history again.
    await cw.whatsApp.reload();
    cw.world.whatsApp.resetStats();
    expect((await collectAll(cw.control)).state).toBe('done');
    const third = cw.world.whatsApp.stats();
    expect(third.pageRequests).toBeLessThanOrEqual(extended.chats.length * 2);
    expect(third.pageRequests).toBeLessThan(firstPages);
    const stored = new Set(
      extended.messages.flatMap((m) => (m.media?.status === 'stored' ? [m.media.filehash!] : [])),
    );
    expect(Object.keys(third.mediaRequestsByFilehash).filter((hash) => stored.has(hash))).toEqual([]);
    await expectCatalog(cw, collectableOf(extended, dataset));
  });
});
