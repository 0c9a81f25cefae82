import { beforeAll, describe, expect, it } from 'vitest';
import { chatChoices, listBackupSummaries } from '@/utils/archive/backup-choices';
import type { RestoreProgressView } from '@/utils/archive/restore-progress';
import { writeRestoreZip } from '@/utils/archive/restore-run';
import { openSaveTarget, restoreFileName, type ShowSaveFilePicker } from '@/utils/archive/save-target';
import { type SnapshotArchiveSource, snapshotArchiveSource } from '@/utils/archive/snapshot-source';
import { backupDataset } from '@/utils/repo/backup';
import { snapshotName } from '@/utils/repo/names';
import { MemoryStorage } from '@/utils/storage/memory';
import { readStoredZip } from '../archive/helpers';
import { type Media, newRepository, type Repository, smallDataset, sourceOf } from '../repo/helpers';

const ANA = '111@c.us';
const FAMILY = '120363000000000001@g.us';

/** A save target whose downloads land here. */
function downloads() {
  const saved: { name: string; bytes: Uint8Array }[] = [];
  return {
    saved,
    download: async (file: Blob, name: string) => {
      saved.push({ name, bytes: new Uint8Array(await file.arrayBuffer()) });
    },
  };
}

describe('restore page logic over a real repository', () => {
  let storage: MemoryStorage;
  let repository: Repository;
  let media: Media;
  let firstId: string;
  let secondId: string;
  let source: SnapshotArchiveSource;

  beforeAll(async () => {
    storage = new MemoryStorage();
    ({ repository } = await newRepository(storage));
    const small = smallDataset();
    media = small.media;
    ({ snapshotId: firstId } = await backupDataset(repository, sourceOf(small.dataset, media)));
    const grown = { ...small.dataset, messages: small.dataset.messages.slice(0, 20) };
    ({ snapshotId: secondId } = await backupDataset(repository, sourceOf(grown, media)));
    source = await snapshotArchiveSource(repository, firstId);
  });

  it('lists backups newest first with their counts, and damaged ones apart', async () => {
    const list = await listBackupSummaries(repository);
    expect(list.backups.map((b) => b.id).sort()).toEqual([firstId, secondId].sort());
    expect(list.backups[0]!.time >= list.backups[1]!.time).toBe(true);
    const first = list.backups.find((b) => b.id === firstId)!;
    expect(first).toMatchObject({ chats: 2, messages: 35, mediaFiles: 5 });
    expect(first.mediaBytes).toBe([...media.values()].reduce((sum, bytes) => sum + bytes.length, 0));
    expect(list.damaged).toEqual([]);

    const name = snapshotName(secondId);
    const bytes = await storage.get(name);
    bytes[bytes.length - 5]! ^= 1;
    await storage.put(name, bytes);
    const damaged = await listBackupSummaries(repository);
    expect(damaged.backups.map((b) => b.id)).toEqual([firstId]);
    expect(damaged.damaged).toEqual([{ id: secondId, error: expect.any(String) }]);
    await expect(listBackupSummaries({} as Repository)).rejects.toMatchObject({ code: 'invalid-argument' });
  });

  it('offers the chats by title with their message counts', () => {
    expect(chatChoices(source.dataset)).toEqual([
      { id: ANA, title: 'Ana', messages: 30, first: 1_704_067_200, last: 1_704_067_200 + 29 * 2 * 86_400 },
      expect.objectContaining({ id: FAMILY, title: 'Family', messages: 5 }),
    ]);
    expect(() => chatChoices({} as never)).toThrow('chatChoices needs a dataset');
  });

  it('restores one chat into a download, with progress, and the zip holds its text and media', async () => {
    const into = downloads();
    const target = await openSaveTarget('ChatVault restore 2024-01-01.zip', { download: into.download });
    expect(target.kind).toBe('download');
    const seen: RestoreProgressView[] = [];
    let clock = 0;
    const result = await writeRestoreZip({
      source,
      target,
      chatIds: [FAMILY],
      onProgress: (view) => seen.push(view),
      now: () => (clock += 50),
    });
    expect(into.saved).toHaveLength(1);
    expect(into.saved[0]!.name).toBe('ChatVault restore 2024-01-01.zip');
    expect(result).toMatchObject({ kind: 'download', bytes: into.saved[0]!.bytes.length });
    expect(result.report).toMatchObject({
      chats: 1,
      messages: 5,
      mediaFiles: 5,
      problems: [],
      finished: true,
    });
    const files = readStoredZip(into.saved[0]!.bytes);
    expect([...files.keys()]).toContain('chats/Family/WhatsApp Chat with Family.txt');
    expect([...files.keys()].some((name) => name.startsWith('chats/Ana/'))).toBe(false);
    const images = [...files.entries()].filter(([name]) => /IMG-\d{8}-WA\d{4}\.jpg$/.test(name));
    expect(images.map(([, bytes]) => Buffer.from(bytes).toString('base64')).sort()).toEqual(
      [...media.values()].map((bytes) => Buffer.from(bytes).toString('base64')).sort(),
    );
    // Throttled, rising, and ending complete.
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toMatchObject({ fraction: 1, remainingMs: 0, chatsDone: 1, chatsTotal: 1 });
    for (let i = 1; i < seen.length; i++)
      expect(seen[i]!.fraction).toBeGreaterThanOrEqual(seen[i - 1]!.fraction);
  });

  it('writes straight into the file picked with the File System Access API, within the date range', async () => {
    const chunks: Uint8Array[] = [];
    let offered: string | undefined;
    const picker: ShowSaveFilePicker = async (options) => {
      offered = options.suggestedName;
      return {
        createWritable: async () =>
          new WritableStream<Uint8Array>({ write: (chunk) => void chunks.push(chunk) }),
      };
    };
    const target = await openSaveTarget('x.zip', {
      showSaveFilePicker: picker,
      download: async () => never(),
    });
    const result = await writeRestoreZip({
      source,
      target,
      chatIds: [ANA],
      from: 1_704_067_200 + 10 * 86_400,
      until: 1_704_067_200 + 20 * 86_400,
    });
    expect(offered).toBe('x.zip');
    expect(result).toMatchObject({ kind: 'file', report: { chats: 1, messages: 5 } });
    const text = new TextDecoder().decode(
      readStoredZip(Buffer.concat(chunks)).get('chats/Ana/WhatsApp Chat with Ana.txt'),
    );
    const lines = text.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toContain('Ana: Hello 5 ');
    expect(lines[4]).toContain('Ana: Hello 9 ');
  });

  it('says "cancelled" when the user closes the save dialog, and write-failed when the file fails', async () => {
    const cancelled = openSaveTarget('x.zip', {
      showSaveFilePicker: async () => {
        throw new DOMException('The user aborted a request.', 'AbortError');
      },
      download: async () => {},
    });
    await expect(cancelled).rejects.toMatchObject({ code: 'cancelled' });
    const broken = await openSaveTarget('x.zip', {
      showSaveFilePicker: async () => ({
        createWritable: async () =>
          new WritableStream<Uint8Array>({
            write() {
              throw new Error('disk full');
            },
          }),
      }),
      download: async () => {},
    });
    await expect(writeRestoreZip({ source, target: broken })).rejects.toMatchObject({
      code: 'write-failed',
      message: expect.stringContaining('disk full'),
    });
  });

  it('checks its arguments with clear errors', async () => {
    await expect(openSaveTarget('../x.zip', { download: async () => {} })).rejects.toMatchObject({
      code: 'invalid-argument',
    });
    await expect(openSaveTarget('x.zip', {} as never)).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(writeRestoreZip({ source, target: {} as never })).rejects.toMatchObject({
      code: 'invalid-argument',
    });
    const target = await openSaveTarget('x.zip', { download: async () => {} });
    await expect(writeRestoreZip({ source, target, timeZone: 'Mars/Olympus' })).rejects.toMatchObject({
      code: 'invalid-time-zone',
    });
    expect(restoreFileName('2024-05-01T10:00:00.000Z')).toBe('ChatVault restore 2024-05-01.zip');
    expect(restoreFileName('')).toBe('ChatVault restore.zip');
  });
});

function never(): never {
  throw new Error('the download fallback must not be used when the picker exists');
}
