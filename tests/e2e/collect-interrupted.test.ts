import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../utils/schema/types';
import { type DatasetTools, datasetTools } from '../fixtures/whatsapp-web/dataset-tools';
import {
  byId,
  type CollectWorld,
  collectableOf,
  FAST,
  openCollectWorld,
  readCatalog,
  startCollection,
  waitForRun,
  withoutReasons,
} from './collect-harness';
import { waitUntil } from './support/launch';

// Runs that do not end well must lose nothing already collected: the tab closes mid-run (a clear
// error, everything stored so far kept), or Chrome stops the service worker mid-run (the content
// script wakes a new one, which picks the run up where the old one stopped).

let tools: DatasetTools;
let dataset: Dataset;
let expected: Dataset;
let cw: CollectWorld | undefined;

/** History pages take a while, so there is time to interrupt. */
const SLOW = { paging: { latencyMs: 250, pageSize: 40 } } as const;

beforeAll(async () => {
  tools = await datasetTools();
  dataset = await tools.generateDataset({
    seed: 'collect-interrupted',
    messages: 700,
    individualChats: 4,
    groupChats: 3,
  });
  expected = collectableOf(dataset);
});
afterEach(async () => {
  await cw?.close();
  cw = undefined;
});

async function expectStoredAreCorrect(world: CollectWorld) {
  const catalog = await readCatalog(world.control);
  const truth = byId(expected.messages);
  for (const message of catalog.messages)
    expect.soft(withoutReasons(message), message.id).toEqual(withoutReasons(truth.get(message.id)!));
  for (const file of catalog.media) expect(file.sha256).toBe(file.filehash);
  return catalog;
}

const collected = (world: CollectWorld, atLeast: number) =>
  waitForRun(
    world.control,
    60_000,
    (run) => (run?.progress?.messages ?? 0) >= atLeast || run?.state !== 'running',
  );

describe('interrupted collection', () => {
  it('keeps everything collected when the WhatsApp Web tab closes mid-run, and says so', async () => {
    cw = await openCollectWorld({ dataset, ...SLOW });
    await startCollection(cw.control);
    const midway = await collected(cw, 150);
    expect(midway.state).toBe('running');
    await cw.whatsApp.close();
    const run = await waitForRun(cw.control);
    expect(run.state).toBe('failed');
    expect(run.error?.code).toBe('tab-closed');
    expect(run.error?.message).toMatch(/collected so far is kept/);
    const catalog = await expectStoredAreCorrect(cw);
    expect(catalog.messages.length).toBeGreaterThanOrEqual(150);
    expect(catalog.messages.length).toBeLessThan(expected.messages.length);
  });

  it('picks the run up in a new service worker after Chrome stops the old one mid-run', async () => {
    cw = await openCollectWorld({ dataset, ...SLOW });
    const started = await startCollection(cw.control, FAST);
    const midway = await collected(cw, 150);
    expect(midway.state).toBe('running');
    await cw.world.session.stopServiceWorker();
    // Nothing of ours talks to the extension now: the content script, whose Port dropped, must
    // wake a new worker by itself.
    await waitUntil(
      () => cw!.world.session.browser.targets().some((t) => t.type() === 'service_worker'),
      20_000,
      'a service worker woken by the content script',
    );
    const run = await waitForRun(cw.control, 120_000);
    expect(run.runId).toBe(started.runId);
    expect(run.state, JSON.stringify(run.error)).toBe('done');
    expect(run.attempts).toBeGreaterThanOrEqual(2);
    const catalog = await expectStoredAreCorrect(cw);
    expect(catalog.messages.length).toBe(expected.messages.length);
    expect(catalog.chats.map((chat) => chat.id).sort()).toEqual(expected.chats.map((chat) => chat.id).sort());
    for (const chat of expected.chats) expect(byId(catalog.chats).get(chat.id), chat.id).toEqual(chat);
  });
});
