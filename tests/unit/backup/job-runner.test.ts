import { afterEach, describe, expect, it } from 'vitest';
import { createJobRunner, type JobRunnerDeps } from '@/utils/backup/job-runner';
import { latestJob } from '@/utils/backup/job-store';
import { type Catalog, createCatalog } from '@/utils/catalog/catalog';
import { storeCollected, storeMediaBytes } from '@/utils/catalog/store-collected';
import { openWriter } from '@/utils/repo/repository';
import { restoreSnapshot } from '@/utils/repo/restore';
import { canonicalJson } from '@/utils/schema/canonical-json';
import type { Dataset } from '@/utils/schema/types';
import { MemoryStorage } from '@/utils/storage/memory';
import type { Storage } from '@/utils/storage/storage';
import { generateDataset, mediaBytes } from '../../fixtures/dataset/generate';
import { CountingStorage } from '../../support/counting-storage';
import { FaultyStorage } from '../../support/faulty-storage';
import { newRepository } from '../repo/helpers';

let catalogs: Catalog[] = [];
afterEach(async () => {
  for (const catalog of catalogs) await catalog.delete();
  catalogs = [];
});

/** A collector stand-in that puts a dataset into the catalog, as the real one does from the page. */
function collectorOf(catalog: Catalog, dataset: Dataset): JobRunnerDeps['collect'] {
  return async (_signal, report) => {
    await storeCollected(catalog, {
      chats: dataset.chats,
      messages: dataset.messages,
      contacts: dataset.contacts,
    });
    const stored = dataset.messages
      .filter((m) => m.media?.status === 'stored')
      .map((m) => m.media!.filehash!);
    for (const [i, filehash] of [...new Set(stored)].entries()) {
      await storeMediaBytes(catalog, filehash, new Blob([mediaBytes(dataset, filehash)!]));
      report(i + 1, stored.length);
    }
  };
}

async function setUp(storage: Storage = new MemoryStorage()) {
  const { repository } = await newRepository(storage, { packTargetSize: 1024 * 1024 });
  const catalog = createCatalog(`job-test-${Math.random()}`);
  catalogs.push(catalog);
  const dataset = await generateDataset({ seed: 'job', messages: 300, mediaSizeScale: 0.3 });
  const writerKeys = {
    repoId: repository.config.id,
    publicKey: repository.keys.publicKey,
    idKey: repository.keys.idKey,
  };
  const deps = (over: Partial<JobRunnerDeps> = {}): JobRunnerDeps => ({
    catalog,
    host: 'test',
    openWriter: () => openWriter(storage, writerKeys),
    collect: collectorOf(catalog, dataset),
    progressIntervalMs: 0,
    ...over,
  });
  return { repository, catalog, dataset, deps };
}

describe('backup job', () => {
  it('collects, backs up and commits; the snapshot restores the collected chats', async () => {
    const { repository, catalog, dataset, deps } = await setUp();
    const states: string[] = [];
    const runner = createJobRunner(deps({ onChange: (job) => states.push(job.state) }));
    await runner.start('manual');
    await runner.idle();
    const job = (await latestJob(catalog))!;
    expect(job).toMatchObject({ state: 'done', runs: 1 });
    expect([...new Set(states)]).toEqual(['collecting', 'backing-up', 'committing', 'done']);
    const restored = await restoreSnapshot(repository, job.snapshotId!);
    expect(restored.problems).toEqual([]);
    expect(canonicalJson(restored.dataset.messages)).toBe(canonicalJson(dataset.messages));
    expect(job.stats).toMatchObject({ messages: dataset.messages.length });
  });

  it('runs one job at a time: a second click joins the running one', async () => {
    const { deps } = await setUp();
    const runner = createJobRunner(deps());
    const a = await runner.start('manual');
    const b = await runner.start('manual');
    expect(b.id).toBe(a.id);
    await runner.idle();
  });

  it('is cancelled cleanly: no snapshot, state cancelled', async () => {
    const { catalog, deps, repository } = await setUp();
    const runner = createJobRunner(
      deps({
        collect: async (signal) => {
          signal.throwIfAborted();
          await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
        },
      }),
    );
    await runner.start('manual');
    await runner.cancel();
    expect((await latestJob(catalog))?.state).toBe('cancelled');
    expect(await repository.storage.stat('snapshots')).toBeUndefined();
  });

  it('resumes after the worker stopped mid-upload without uploading indexed data again', async () => {
    const memory = new MemoryStorage();
    const counting = new CountingStorage(memory);
    const { catalog, deps, repository } = await setUp(counting);
    // First worker: its uploads stop answering after a few packs, as when Chrome stops it.
    let puts = 0;
    const hanging: Storage = {
      description: counting.description,
      put: (...args) => (++puts > 4 ? new Promise<void>(() => {}) : counting.put(...args)),
      get: (...args) => counting.get(...args),
      getStream: (...args) => counting.getStream(...args),
      stat: (...args) => counting.stat(...args),
      list: (...args) => counting.list(...args),
      delete: (...args) => counting.delete(...args),
    };
    const first = createJobRunner(deps({ openWriter: () => openWriter(hanging, writerKeysOf(repository)) }));
    void first.start('manual');
    await waitFor(async () => puts > 4);
    const before = counting.counts.bytesPut;
    expect((await latestJob(catalog))?.state).toBe('backing-up');
    const indexedByFirstWorker = await catalog.storedBlobs.count();
    expect(indexedByFirstWorker).toBeGreaterThan(0);

    // A new worker finds the job active and finishes it.
    const second = createJobRunner(deps());
    const job = await second.resume();
    expect(job).toMatchObject({ state: 'done', runs: 2 });
    const resent = counting.counts.bytesPut - before;
    let packBytes = 0;
    for await (const info of memory.list('data/')) packBytes += info.size;
    // The packs the first worker had indexed were not sent again.
    expect(resent).toBeLessThan(packBytes);
    expect(job!.stats!.addedBytes).toBeLessThan(packBytes);
    expect((await restoreSnapshot(repository, job!.snapshotId!)).problems).toEqual([]);
  });

  it('fails with a message saying what to do when Drive is full, and a retry works', async () => {
    const memory = new MemoryStorage();
    const faulty = new FaultyStorage(memory, [
      { operation: 'put', name: /^data\//, code: 'quota-exceeded', times: 1 },
    ]);
    const { catalog, deps } = await setUp(faulty);
    const runner = createJobRunner(deps());
    await runner.start('manual');
    await runner.idle();
    expect(await latestJob(catalog)).toMatchObject({
      state: 'failed',
      error: {
        code: 'quota-exceeded',
        message: expect.stringContaining('Google Drive is full'),
        retryable: false,
      },
    });
    await runner.start('manual');
    await runner.idle();
    expect((await latestJob(catalog))?.state).toBe('done');
  });
});

function writerKeysOf(repository: Awaited<ReturnType<typeof newRepository>>['repository']) {
  return { repoId: repository.config.id, publicKey: repository.keys.publicKey, idKey: repository.keys.idKey };
}

async function waitFor(condition: () => Promise<boolean>) {
  for (let i = 0; i < 400; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition never held');
}
