import { beforeAll, describe, expect, it } from 'vitest';
import { createArchive } from '@/utils/archive/archive';
import { writeArchiveToFolder } from '@/utils/archive/folder-writer.node.ts';
import { snapshotArchiveSource } from '@/utils/archive/snapshot-source';
import { zipArchive } from '@/utils/archive/zip';
import { backupDataset } from '@/utils/repo/backup';
import { loadIndex } from '@/utils/repo/index-file';
import type { Snapshot } from '@/utils/repo/snapshot';
import { monthOf } from '@/utils/schema/month';
import type { Dataset, Message } from '@/utils/schema/types';
import { MemoryStorage } from '@/utils/storage/memory';
import { generateDataset, mediaBytes } from '../../fixtures/dataset/generate';
import { newRepository, type Repository } from '../repo/helpers';
import { filesUnder, readStoredZip, streamBytes, withTempDir } from './helpers';

/**
 * Issue 7: "a damaged backup restores everything else and names what was lost". One media
 * blob (large enough to span several encrypted chunks) and one month of one chat are damaged
 * in storage; the archive must hold everything else, say exactly what is missing, and never
 * present a damaged file as whole.
 */
describe('restore archive from a damaged backup', () => {
  let dataset: Dataset;
  let repository: Repository;
  let snapshotId: string;
  let victim: Message;
  let lostChat: string;
  let lostMonth: string;
  let lostMessages: Message[];

  beforeAll(async () => {
    dataset = await generateDataset({ seed: 'archive-damage', messages: 500, mediaSizeScale: 0.05 });
    const storage = new MemoryStorage();
    ({ repository } = await newRepository(storage));
    let snapshot: Snapshot;
    ({ snapshotId, snapshot } = await backupDataset(repository, {
      dataset,
      mediaSize: async (h) => mediaBytes(dataset, h)?.length,
      openMedia: async (h) => new Blob([mediaBytes(dataset, h)!]).stream(),
    }));
    const index = await loadIndex(repository);
    const flip = async (blob: string, at: (length: number) => number) => {
      const location = index.locate(blob)!;
      const name = `data/${location.pack.id}`;
      const pack = await storage.get(name);
      pack[location.blob.offset + at(location.blob.length)]! ^= 0x10;
      await storage.put(name, pack);
    };
    // A media file used once, big enough that its first 64 KiB chunk is intact.
    const uses = new Map<string, number>();
    for (const m of dataset.messages)
      if (m.media?.filehash) uses.set(m.media.filehash, (uses.get(m.media.filehash) ?? 0) + 1);
    victim = dataset.messages.find(
      (m) =>
        m.media?.status === 'stored' && uses.get(m.media.filehash!) === 1 && (m.media.size ?? 0) > 200_000,
    )!;
    expect(victim, 'a large single-use media file').toBeDefined();
    const media = snapshot.media.find((m) => m.filehash === victim.media!.filehash)!;
    await flip(media.blob, (length) => length - 500);
    // One month of a chat other than the victim's.
    const entry = snapshot.chats.find((c) => c.id !== victim.chatId && c.segments.length > 2)!;
    const segment = entry.segments[1]!;
    await flip(segment.blob, (length) => Math.floor(length / 2));
    lostChat = entry.id;
    lostMonth = segment.month;
    lostMessages = dataset.messages.filter(
      (m) => m.chatId === lostChat && monthOf(m.timestamp) === lostMonth,
    );
    expect(lostMessages.length).toBe(segment.messages);
  });

  it('writes a folder with everything else and names the lost month and file', async () => {
    await withTempDir(async (dir) => {
      const archive = createArchive(await snapshotArchiveSource(repository, snapshotId));
      await writeArchiveToFolder(archive, dir);
      const files = await filesUnder(dir);
      expect([...files.keys()].some((name) => name.endsWith('.partial'))).toBe(false);
      expect(archive.report.problems).toEqual([
        expect.objectContaining({
          kind: 'segment',
          chatId: lostChat,
          month: lostMonth,
          messages: lostMessages.length,
        }),
        expect.objectContaining({ kind: 'media', chatId: victim.chatId, filehash: victim.media!.filehash }),
      ]);
      const lostPath = archive.report.problems[1]!.path!;
      expect(files.has(lostPath)).toBe(false);

      const problems = files.get('problems.txt')!.toString();
      expect(problems).toContain(`${lostMessages.length} messages of ${lostMonth} are missing`);
      expect(problems).toContain(`${lostPath} is missing`);
      expect(problems).toMatch(/damaged/);
      expect(files.get('README.txt')!.toString()).toContain('could not be restored');
      expect(files.get('viewer/chats.js')!.toString()).toContain(`could not be restored`);

      // The damaged chat holds every other message; the victim's message says what happened.
      const json = (chatId: string) => {
        const path = [...files.keys()].find(
          (p) => p.endsWith('/messages.json') && JSON.parse(files.get(p)!.toString()).chat.id === chatId,
        )!;
        return { path, value: JSON.parse(files.get(path)!.toString()) };
      };
      const damaged = json(lostChat).value;
      const expectedIds = dataset.messages
        .filter((m) => m.chatId === lostChat && !lostMessages.includes(m))
        .map((m) => m.id);
      expect(damaged.messages.map((m: Message) => m.id)).toEqual(expectedIds);
      expect(damaged.problems).toEqual([expect.objectContaining({ kind: 'segment', month: lostMonth })]);
      const victimChat = json(victim.chatId);
      const restoredVictim = victimChat.value.messages.find((m: Message) => m.id === victim.id);
      expect(restoredVictim.media).toMatchObject({
        status: 'failed',
        reason: 'not restorable from this backup',
      });
      const folder = victimChat.path.slice(0, -'/messages.json'.length);
      const text = [...files].find(([p]) => p.startsWith(`${folder}/WhatsApp Chat with`))![1].toString();
      expect(text).not.toContain(lostPath.split('/').pop());
      expect(text).toContain('<Media omitted>');

      // Every other media file is whole.
      let intact = 0;
      for (const [path, bytes] of files) {
        const match = /\/(IMG|VID|PTT|AUD|STK|DOC)-/.exec(path);
        if (!match) continue;
        const mediaFiles = json(
          JSON.parse(files.get(`${path.slice(0, path.lastIndexOf('/'))}/messages.json`)!.toString()).chat.id,
        ).value.mediaFiles as Record<string, string>;
        const filehash = Object.keys(mediaFiles).find((h) => path.endsWith(`/${mediaFiles[h]}`))!;
        expect(Buffer.compare(bytes, Buffer.from(mediaBytes(dataset, filehash)!)), path).toBe(0);
        intact++;
      }
      expect(intact).toBeGreaterThan(50);
    });
  });

  it('streams large media: a zip keeps the verified start of the damaged file and says so', async () => {
    const archive = createArchive(await snapshotArchiveSource(repository, snapshotId), {
      verifyInMemoryBytes: 0,
    });
    const zipped = readStoredZip(await streamBytes(zipArchive(archive)));
    const problem = archive.report.problems.find((p) => p.kind === 'media')!;
    expect(problem.partialBytes).toBeGreaterThanOrEqual(65_536);
    const kept = zipped.get(problem.path!)!;
    expect(kept.length).toBe(problem.partialBytes);
    expect(
      Buffer.compare(
        Buffer.from(kept),
        Buffer.from(mediaBytes(dataset, victim.media!.filehash!)!.subarray(0, kept.length)),
      ),
    ).toBe(0);
    const problems = new TextDecoder().decode(zipped.get('problems.txt')!);
    expect(problems).toContain(`${problem.path} is damaged after its first ${problem.partialBytes} bytes`);
    expect(zipped.has('index.html')).toBe(true);
  });

  it('streams large media: a folder drops the damaged file and leaves no partial file', async () => {
    await withTempDir(async (dir) => {
      const archive = createArchive(await snapshotArchiveSource(repository, snapshotId), {
        verifyInMemoryBytes: 0,
      });
      await writeArchiveToFolder(archive, dir);
      const files = await filesUnder(dir);
      const problem = archive.report.problems.find((p) => p.kind === 'media')!;
      expect(files.has(problem.path!)).toBe(false);
      expect([...files.keys()].some((name) => name.endsWith('.partial'))).toBe(false);
      expect(archive.report.mediaFiles).toBe(
        [...files.keys()].filter((p) => /\/(IMG|VID|PTT|AUD|STK|DOC)-/.test(p)).length,
      );
    });
  });
});
