import { describe, expect, it } from 'vitest';
import { type ArchiveProgress, createArchive } from '@/utils/archive/archive';
import { ConsumerGoneError, pushToPull } from '@/utils/archive/byte-pieces';
import { isArchiveError } from '@/utils/archive/errors';
import { writeArchiveToFolder } from '@/utils/archive/folder-writer.node.ts';
import { generateDataset } from '../../fixtures/dataset/generate';
import { filesUnder, generatedSource, withTempDir } from './helpers';

describe('createArchive', () => {
  it('refuses bad arguments with typed errors', async () => {
    const dataset = await generateDataset({ seed: 'api', messages: 40 });
    const source = generatedSource(dataset);
    const code = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return isArchiveError(error) ? error.code : 'other';
      }
      return 'none';
    };
    expect(code(() => createArchive(null as never))).toBe('invalid-argument');
    expect(code(() => createArchive({ ...source, dataset: {} as never }))).toBe('invalid-argument');
    expect(code(() => createArchive({ ...source, readMedia: undefined as never }))).toBe('invalid-argument');
    expect(code(() => createArchive(source, { timeZone: 'Nowhere/Else' }))).toBe('invalid-time-zone');
    expect(code(() => createArchive(source, { from: 10, until: 5 }))).toBe('invalid-argument');
    expect(code(() => createArchive(source, { verifyInMemoryBytes: -1 }))).toBe('invalid-argument');
    const archive = createArchive(source);
    archive[Symbol.asyncIterator]();
    expect(code(() => archive[Symbol.asyncIterator]())).toBe('invalid-argument');
  });

  it('writes only the chats and dates asked for, and reports progress up to the totals', async () => {
    const dataset = await generateDataset({ seed: 'api-select', messages: 400, mediaSizeScale: 0.01 });
    const counts = new Map<string, number>();
    for (const m of dataset.messages) counts.set(m.chatId, (counts.get(m.chatId) ?? 0) + 1);
    const chosen = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    const chatMessages = dataset.messages.filter((m) => m.chatId === chosen);
    const from = chatMessages[10]!.timestamp;
    const until = chatMessages[30]!.timestamp;
    const progress: ArchiveProgress[] = [];
    await withTempDir(async (dir) => {
      const archive = createArchive(generatedSource(dataset), {
        chatIds: [chosen],
        from,
        until,
        onProgress: (p) => progress.push(p),
      });
      await writeArchiveToFolder(archive, dir);
      const files = await filesUnder(dir);
      const jsons = [...files.keys()].filter((p) => p.endsWith('/messages.json'));
      expect(jsons).toHaveLength(1);
      const json = JSON.parse(files.get(jsons[0]!)!.toString());
      expect(json.chat.id).toBe(chosen);
      expect(json.messages).toEqual(chatMessages.filter((m) => m.timestamp >= from && m.timestamp < until));
      expect(archive.report.messages).toBe(json.messages.length);
    });
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ chatsDone: 1, chatsTotal: 1 });
    expect(last.mediaFilesDone).toBe(last.mediaFilesTotal);
    expect(last.mediaBytesDone).toBe(last.mediaBytesTotal);
    for (let i = 1; i < progress.length; i++)
      expect(progress[i]!.mediaBytesDone).toBeGreaterThanOrEqual(progress[i - 1]!.mediaBytesDone);
  });

  it('writes a readable archive even when the selection leaves a chat empty', async () => {
    const dataset = await generateDataset({ seed: 'api-empty', messages: 30 });
    const after = Math.max(...dataset.messages.map((m) => m.timestamp)) + 1;
    await withTempDir(async (dir) => {
      const archive = createArchive(generatedSource(dataset), { from: after });
      await writeArchiveToFolder(archive, dir);
      const files = await filesUnder(dir);
      expect(archive.report).toMatchObject({ messages: 0, mediaFiles: 0, chats: dataset.chats.length });
      const texts = [...files].filter(([p]) => p.endsWith('.txt') && p.startsWith('chats/'));
      expect(texts).toHaveLength(dataset.chats.length);
      for (const [, bytes] of texts) expect(bytes.length).toBe(0);
      expect(files.get('README.txt')!.toString()).toContain('0 messages');
    });
  });

  it('refuses a non-empty destination folder', async () => {
    const dataset = await generateDataset({ seed: 'api-folder', messages: 20 });
    await withTempDir(async (dir) => {
      await writeArchiveToFolder(createArchive(generatedSource(dataset)), dir);
      await expect(writeArchiveToFolder(createArchive(generatedSource(dataset)), dir)).rejects.toMatchObject({
        code: 'destination-not-empty',
      });
    });
  });

  it('refuses entry paths that would leave the folder', async () => {
    const bad = (path: string) =>
      (async function* () {
        yield { path, lastModified: new Date(0), content: new Uint8Array(1) };
      })();
    await withTempDir(async (dir) => {
      for (const path of ['../escape.txt', '/abs.txt', 'a//b.txt', 'a/./b', 'a\\b.txt']) {
        await expect(
          writeArchiveToFolder(bad(path), dir, { allowNonEmpty: true }),
          path,
        ).rejects.toMatchObject({
          code: 'invalid-path',
        });
      }
    });
  });
});

describe('pushToPull', () => {
  it('hands pieces over in order, keeps at most a few queued, and passes a failure on', async () => {
    let queuedMax = 0;
    let produced = 0;
    let consumed = 0;
    const pieces = pushToPull(async (sink) => {
      for (let i = 0; i < 50; i++) {
        produced++;
        queuedMax = Math.max(queuedMax, produced - consumed);
        await sink(new Uint8Array([i]));
      }
      throw new Error('blob damaged');
    }, 3);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const piece of pieces) {
          consumed++;
          seen.push(piece[0]!);
          await new Promise((r) => setTimeout(r, 0));
        }
      })(),
    ).rejects.toThrow('blob damaged');
    expect(seen).toEqual([...Array(50).keys()]);
    expect(queuedMax).toBeLessThanOrEqual(4);
  });

  it('stops the producer when the consumer stops reading', async () => {
    let stoppedWith: unknown;
    const pieces = pushToPull(async (sink) => {
      try {
        for (let i = 0; ; i++) await sink(new Uint8Array([i]));
      } catch (error) {
        stoppedWith = error;
        throw error;
      }
    }, 2);
    for await (const piece of pieces) if (piece[0] === 5) break;
    await new Promise((r) => setTimeout(r, 10));
    expect(stoppedWith).toBeInstanceOf(ConsumerGoneError);
  });
});
