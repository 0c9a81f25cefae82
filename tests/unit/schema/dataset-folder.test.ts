import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '@/utils/schema/canonical-json';
import { filehashToFileName } from '@/utils/schema/filehash';
import type { Dataset } from '@/utils/schema/types';
import {
  checkDatasetFolder,
  type DatasetFolderError,
  isDatasetFolderError,
  readDatasetFolder,
  storedFilehashes,
  writeDatasetFolder,
  writeGeneratedDatasetFolder,
} from '../../fixtures/dataset/dataset-folder';
import { generateDataset, mediaBytes } from '../../fixtures/dataset/generate';

let dataset: Dataset;
let dir: string;

beforeAll(async () => {
  dataset = await generateDataset({ seed: 'folder', messages: 300 });
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chatvault-dataset-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<DatasetFolderError> {
  try {
    await promise;
  } catch (error) {
    if (isDatasetFolderError(error)) return error;
    throw error;
  }
  throw new Error('expected a DatasetFolderError');
}

describe('dataset folders', () => {
  it('round-trips a dataset and its media through disk', async () => {
    const report = await writeGeneratedDatasetFolder(dir, dataset);
    const hashes = storedFilehashes(dataset);
    expect(report.mediaFiles).toBe(hashes.length);

    expect((await readdir(join(dir, 'media'))).sort()).toEqual(hashes.map(filehashToFileName).sort());
    expect(await readFile(join(dir, 'dataset.json'), 'utf8')).toBe(canonicalJson(dataset));

    const folder = await readDatasetFolder(dir);
    expect(canonicalJson(folder.dataset)).toBe(canonicalJson(dataset));
    for (const hash of hashes.slice(0, 25)) {
      const expected = Buffer.from(mediaBytes(dataset, hash)!);
      expect(Buffer.from(await folder.readMedia(hash)).equals(expected)).toBe(true);
      const streamed = Buffer.from(await new Response(folder.openMediaStream(hash)).arrayBuffer());
      expect(streamed.equals(expected)).toBe(true);
      expect(await folder.hasMedia(hash)).toBe(true);
    }
    const check = await checkDatasetFolder(dir);
    expect(check).toMatchObject({ missing: [], corrupt: [], unreferenced: [], checkedFiles: hashes.length });
    expect(check.checkedBytes).toBe(report.mediaBytes);
  });

  it('writes no media for expired, failed or skipped media', async () => {
    await writeGeneratedDatasetFolder(dir, dataset);
    const names = new Set(await readdir(join(dir, 'media')));
    const missing = dataset.messages.filter(
      (m) => m.media && m.media.status !== 'stored' && m.media.filehash,
    );
    expect(missing.length).toBeGreaterThan(0);
    for (const message of missing)
      expect(names.has(filehashToFileName(message.media!.filehash!))).toBe(false);
  });

  it('fails before writing dataset.json when media bytes are missing or wrong', async () => {
    const missing = await rejection(writeDatasetFolder(dir, dataset, () => undefined));
    expect(missing.code).toBe('media-missing');
    const wrong = await rejection(writeDatasetFolder(dir, dataset, () => new Uint8Array([1, 2, 3])));
    expect(wrong.code).toBe('media-hash-mismatch');
    const entries = await readdir(dir);
    expect(entries).not.toContain('dataset.json');
    expect((await readdir(join(dir, 'media'))).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('accepts media as bytes, async iterables and ReadableStreams', async () => {
    const sources = [
      (hash: string) => mediaBytes(dataset, hash),
      (hash: string) =>
        (async function* () {
          yield mediaBytes(dataset, hash)!;
        })(),
      (hash: string) => new Blob([mediaBytes(dataset, hash)!]).stream(),
    ];
    for (const [index, source] of sources.entries()) {
      const target = join(dir, String(index));
      await writeDatasetFolder(target, dataset, source);
      expect((await checkDatasetFolder(target)).corrupt).toEqual([]);
    }
  });

  it('refuses to write an invalid dataset', async () => {
    const broken = { ...dataset, messages: [...dataset.messages].reverse() };
    const error = await rejection(writeDatasetFolder(dir, broken, () => undefined));
    expect(error.code).toBe('invalid-dataset');
    expect(error.message).toMatch(/sorted by \(chatId, timestamp, id\)/);
  });

  it('reports missing, corrupt and stray media files', async () => {
    await writeGeneratedDatasetFolder(dir, dataset);
    const [first, second] = storedFilehashes(dataset);
    await rm(join(dir, 'media', filehashToFileName(first!)));
    await writeFile(join(dir, 'media', filehashToFileName(second!)), 'tampered');
    await writeFile(join(dir, 'media', 'notes.txt'), 'stray');
    const check = await checkDatasetFolder(dir);
    expect(check.missing).toEqual([first]);
    expect(check.corrupt).toEqual([second]);
    expect(check.unreferenced).toEqual(['notes.txt']);

    const folder = await readDatasetFolder(dir);
    expect(await folder.hasMedia(first!)).toBe(false);
    expect((await rejection(folder.readMedia(first!))).code).toBe('media-missing');
  });

  it('refuses folders without a valid dataset.json', async () => {
    expect((await rejection(readDatasetFolder(dir))).code).toBe('not-found');
    await writeFile(join(dir, 'dataset.json'), '{not json');
    expect((await rejection(readDatasetFolder(dir))).code).toBe('invalid-dataset');
    await writeFile(join(dir, 'dataset.json'), JSON.stringify({ ...dataset, version: 9 }));
    const newer = await rejection(readDatasetFolder(dir));
    expect(newer.code).toBe('invalid-dataset');
    expect(newer.message).toMatch(/version 9/);
  });

  it('rejects bad arguments with typed errors', async () => {
    expect((await rejection(readDatasetFolder(''))).code).toBe('invalid-argument');
    expect((await rejection(writeDatasetFolder(dir, dataset, 'nope' as never))).code).toBe(
      'invalid-argument',
    );
    await writeGeneratedDatasetFolder(dir, dataset);
    const folder = await readDatasetFolder(dir);
    expect(() => folder.mediaPath('../../etc/passwd')).toThrow(/Not a filehash/);
  });
});
