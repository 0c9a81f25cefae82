import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { extendDataset, generateDataset, mediaStream } from '../../tests/fixtures/dataset/generate';
import { CountingStorage } from '../../tests/support/counting-storage';
import { backupDataset } from '../../utils/repo/backup';
import { initRepository } from '../../utils/repo/repository';
import { writeDatasetFolder } from '../../utils/schema/dataset-folder.node.ts';
import type { Dataset } from '../../utils/schema/types';
import { MemoryStorage } from '../../utils/storage/memory';
import { type BenchResult, round } from '../result';

const run = promisify(execFile);

function sourceOf(dataset: Dataset) {
  return {
    dataset,
    mediaSize: async (filehash: string) => {
      const stream = mediaStream(dataset, filehash);
      if (!stream) return undefined;
      let size = 0;
      for await (const piece of stream as unknown as AsyncIterable<Uint8Array>) size += piece.length;
      return size;
    },
    openMedia: async (filehash: string) => mediaStream(dataset, filehash)!,
  };
}

/** Second backup after 1 % new messages and 1 % new media, as a share of the first's bytes. */
async function incremental(): Promise<BenchResult> {
  const storage = new CountingStorage(new MemoryStorage());
  const { repository } = await initRepository(storage, { password: 'bench password' });
  const day1 = await generateDataset({ seed: 'bench-incremental', messages: 20_000, mediaSizeScale: 0.1 });
  await backupDataset(repository, sourceOf(day1));
  const first = storage.counts.bytesPut;
  storage.reset();
  const day2 = await extendDataset(day1, { seed: 'bench-incremental-2' });
  await backupDataset(repository, sourceOf(day2));
  const second = storage.counts.bytesPut;
  return {
    name: 'repo.incremental.bytes_ratio',
    value: round(second / first, 4),
    unit: 'x',
    reference: first,
    ratio: round(second / first, 4),
    note: `20k messages; 2nd backup ${second} B after +1 % messages/media; goal <= 0.03`,
  };
}

/** Every storage request (list, get, put, …) a first backup of 1000 photos makes. */
async function requestsPer1000Media(): Promise<BenchResult> {
  const storage = new CountingStorage(new MemoryStorage());
  const { repository } = await initRepository(storage, { password: 'bench password' });
  storage.reset();
  // Realistic photo sizes (50–500 KB): take the first 1000 stored photos of a generated history.
  const generated = await generateDataset({
    seed: 'bench-requests',
    messages: 5000,
    mediaFraction: 0.9,
    expiredMediaFraction: 0,
    mediaSizeScale: 1,
  });
  const photos = generated.messages
    .filter((m) => m.type === 'image' && m.media?.status === 'stored')
    .slice(0, 1000);
  if (photos.length < 1000) throw new Error(`only ${photos.length} photos generated`);
  const chats = new Set(photos.map((m) => m.chatId));
  const dataset = { ...generated, chats: generated.chats.filter((c) => chats.has(c.id)), messages: photos };
  const { snapshot } = await backupDataset(repository, {
    ...sourceOf(generated),
    dataset,
  });
  return {
    name: 'repo.requests_per_1000_media',
    value: round((storage.totalCalls * 1000) / snapshot.stats.media, 1),
    unit: 'requests',
    note: `${snapshot.stats.media} photos, ${(snapshot.stats.mediaBytes / 2 ** 20).toFixed(0)} MiB, ${storage.totalCalls} requests; goal <= 20`,
  };
}

/** Peak RSS of the real CLI backing up a dataset folder holding 1 GiB of media. */
async function peakRss1GiB(): Promise<BenchResult> {
  const work = await mkdtemp(join(tmpdir(), 'chatvault-bench-rss-'));
  try {
    // About 1 GiB of media at realistic sizes.
    const dataset = await generateDataset({
      seed: 'bench-rss',
      messages: 3000,
      mediaFraction: 0.5,
      mediaSizeScale: 0.75,
    });
    const written = await writeDatasetFolder(join(work, 'dataset'), dataset, (h) => mediaStream(dataset, h));
    const env = { ...process.env, CHATVAULT_PASSWORD: 'bench password' };
    const cli = [resolve('cli/chatvault.mjs')];
    await run(process.execPath, [...cli, 'init', '--repo', join(work, 'repo')], { env });
    const { stderr } = await run(
      process.execPath,
      [
        '--import',
        resolve('bench/support/report-rss.mjs'),
        ...cli,
        'backup',
        '--repo',
        join(work, 'repo'),
        '--dataset',
        join(work, 'dataset'),
        '--quiet',
      ],
      { env, maxBuffer: 64 * 1024 * 1024 },
    );
    const kib = Number(/peak-rss-kib (\d+)/.exec(stderr)?.[1]);
    return {
      name: 'repo.backup_1gib.peak_rss_mib',
      value: round(kib / 1024, 1),
      unit: 'MiB',
      note: `CLI backup of ${(written.mediaBytes / 2 ** 30).toFixed(2)} GiB in ${written.mediaFiles} media files; goal < 256`,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export async function benchRepo(): Promise<BenchResult[]> {
  return [await incremental(), await requestsPer1000Media(), await peakRss1GiB()];
}
