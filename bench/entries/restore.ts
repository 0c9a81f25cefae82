import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer';
import { CHROMIUM_PATH } from '../../tests/e2e/support/launch';
import { generateDataset, mediaBytes } from '../../tests/fixtures/dataset/generate';
import { writeViewerFixture } from '../../tests/unit/archive/viewer-fixture';
import { createArchive } from '../../utils/archive/archive';
import { writeArchiveToFolder } from '../../utils/archive/folder-writer.node.ts';
import { snapshotArchiveSource } from '../../utils/archive/snapshot-source';
import { zipArchive } from '../../utils/archive/zip';
import { backupDataset } from '../../utils/repo/backup';
import { loadIndex } from '../../utils/repo/index-file';
import { initRepository } from '../../utils/repo/repository';
import { restoreSnapshot } from '../../utils/repo/restore';
import { MemoryStorage } from '../../utils/storage/memory';
import { type BenchResult, median, round } from '../result';

const RUNS = 3;

/**
 * `restore.ratio_vs_decrypt`: how fast the restore archive (zip stream, what the extension
 * writes) is produced from a backup, against restoring the same snapshot with nothing but
 * decryption and verification (utils/repo's restoreSnapshot into a null sink). Both read the
 * same in-memory repository, so storage speed is out of the picture; figures are media MB/s.
 * The folder archive (what the CLI writes) is measured too, as a note.
 */
async function ratioVsDecrypt(): Promise<BenchResult> {
  const dataset = await generateDataset({
    seed: 'bench-restore',
    messages: 3000,
    mediaFraction: 0.4,
    mediaSizeScale: 0.1,
    expiredMediaFraction: 0,
  });
  const { repository } = await initRepository(new MemoryStorage(), { password: 'bench password' });
  const { snapshotId, snapshot } = await backupDataset(repository, {
    dataset,
    mediaSize: async (h) => mediaBytes(dataset, h)?.length,
    openMedia: async (h) => new Blob([mediaBytes(dataset, h)!]).stream(),
  });
  const index = await loadIndex(repository);
  const megabytes = snapshot.stats.mediaBytes / 1e6;

  const decryptOnly = async () => {
    const started = performance.now();
    await restoreSnapshot(repository, snapshotId, { index });
    return performance.now() - started;
  };
  const zip = async () => {
    const started = performance.now();
    const archive = createArchive(await snapshotArchiveSource(repository, snapshotId, { index }));
    let bytes = 0;
    for await (const piece of zipArchive(archive) as unknown as AsyncIterable<Uint8Array>)
      bytes += piece.length;
    if (bytes < snapshot.stats.mediaBytes) throw new Error('the zip is smaller than its media');
    return performance.now() - started;
  };
  const folder = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chatvault-bench-archive-'));
    try {
      const started = performance.now();
      await writeArchiveToFolder(
        createArchive(await snapshotArchiveSource(repository, snapshotId, { index })),
        dir,
      );
      return performance.now() - started;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  await decryptOnly(); // warm-up: JIT and WebCrypto key import paths
  const times = { decrypt: [] as number[], zip: [] as number[], folder: [] as number[] };
  for (let run = 0; run < RUNS; run++) {
    // Interleaved, so a busy moment on the machine hits all three alike.
    times.decrypt.push(await decryptOnly());
    times.zip.push(await zip());
    times.folder.push(await folder());
  }
  const mbps = (ms: number[]) => megabytes / (median(ms) / 1000);
  const decrypt = mbps(times.decrypt);
  const archive = mbps(times.zip);
  return {
    name: 'restore.ratio_vs_decrypt',
    value: round(archive / decrypt),
    unit: 'x',
    reference: round(decrypt, 1),
    ratio: round(archive / decrypt),
    note: `zip archive ${archive.toFixed(0)} MB/s vs decrypt-only ${decrypt.toFixed(0)} MB/s; folder archive ${mbps(times.folder).toFixed(0)} MB/s (disk); ${dataset.messages.length} messages, ${megabytes.toFixed(0)} MB media, median of ${RUNS}; goal >= 0.7`,
  };
}

/**
 * `viewer.first_render_ms_100k`: from the start of loading index.html (file://, with the chat
 * in the URL) to the first painted frame of its 100 000-message chat, in Chromium.
 */
async function viewerFirstRender(): Promise<BenchResult> {
  const work = await mkdtemp(join(tmpdir(), 'chatvault-bench-viewer-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const fixture = await writeViewerFixture(join(work, 'archive'));
    const url = `${pathToFileURL(join(work, 'archive', 'index.html')).href}#chat=${fixture.bigChatNumber}`;
    const runs: number[] = [];
    for (let run = 0; run < RUNS + 1; run++) {
      const page = await browser.newPage();
      await page.setViewport({ width: 1280, height: 900 });
      await page.goto(url);
      const ms = await page.waitForFunction(
        (n) =>
          (window as unknown as { ChatVaultViewer?: { renderedAt: Record<number, number> } }).ChatVaultViewer
            ?.renderedAt[n],
        { timeout: 120_000 },
        fixture.bigChatNumber,
      );
      if (run > 0) runs.push(Number(await ms.jsonValue()));
      await page.close();
    }
    return {
      name: 'viewer.first_render_ms_100k',
      value: round(median(runs), 0),
      unit: 'ms',
      note: `index.html#chat=… from file:// to the first frame of a 100 000-message chat in Chromium; median of ${RUNS} after a warm-up`,
    };
  } finally {
    await browser.close();
    await rm(work, { recursive: true, force: true });
  }
}

export async function benchRestore(): Promise<BenchResult[]> {
  return [await ratioVsDecrypt(), await viewerFirstRender()];
}
