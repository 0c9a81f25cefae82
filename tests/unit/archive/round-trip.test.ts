import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseString } from 'whatsapp-chat-parser';
import { createArchive } from '@/utils/archive/archive';
import { writeArchiveToFolder } from '@/utils/archive/folder-writer.node.ts';
import { snapshotArchiveSource } from '@/utils/archive/snapshot-source';
import { zipArchive } from '@/utils/archive/zip';
import { backupDataset } from '@/utils/repo/backup';
import type { Dataset, Message } from '@/utils/schema/types';
import { MemoryStorage } from '@/utils/storage/memory';
import { generateDataset, mediaBytes } from '../../fixtures/dataset/generate';
import { newRepository, type Repository } from '../repo/helpers';
import {
  asExportName,
  expectedAuthor,
  filesUnder,
  messagesByChat,
  readStoredZip,
  streamBytes,
  unguard,
  withTempDir,
} from './helpers';

/**
 * Issue 7's round trip: generated dataset → encrypted backup → restore archive. The archive must
 * give back every canonical field (messages.json), every media byte, and WhatsApp-format text
 * that an independent parser (whatsapp-chat-parser) reads back to the same authors, minutes,
 * texts and attachment names.
 */
const ATTACHMENT_NAME = /^(IMG|VID|PTT|AUD|DOC|STK)-(\d{8})-WA(\d{4})(?:\.[A-Za-z0-9]+|-.+)$/;
const PREFIX_OF: Record<string, string> = {
  image: 'IMG',
  video: 'VID',
  gif: 'VID',
  ptt: 'PTT',
  audio: 'AUD',
  document: 'DOC',
  sticker: 'STK',
};

interface ChatFolder {
  folder: string;
  json: {
    format: string;
    chat: unknown;
    contacts: Record<string, unknown>;
    mediaFiles: Record<string, string>;
    problems: unknown[];
    messages: Message[];
  };
  text: string;
}

describe('restore archive round trip', () => {
  let dataset: Dataset;
  let repository: Repository;
  let snapshotId: string;
  let files: Map<string, Buffer>;
  let chats: Map<string, ChatFolder>;

  beforeAll(async () => {
    dataset = await generateDataset({ seed: 'archive-round-trip', messages: 900, mediaSizeScale: 0.05 });
    ({ repository } = await newRepository(new MemoryStorage()));
    ({ snapshotId } = await backupDataset(repository, {
      dataset,
      mediaSize: async (h) => mediaBytes(dataset, h)?.length,
      openMedia: async (h) => new Blob([mediaBytes(dataset, h)!]).stream(),
    }));
    files = await withTempDir(async (dir) => {
      const archive = createArchive(await snapshotArchiveSource(repository, snapshotId));
      await writeArchiveToFolder(archive, dir);
      expect(archive.report).toMatchObject({
        finished: true,
        problems: [],
        messages: dataset.messages.length,
      });
      return filesUnder(dir);
    });
    chats = new Map();
    for (const [path, bytes] of files) {
      const match = /^(chats\/[^/]+)\/messages\.json$/.exec(path);
      if (!match) continue;
      const json = JSON.parse(bytes.toString('utf8')) as ChatFolder['json'];
      const textPath = [...files.keys()].find((p) => p.startsWith(`${match[1]}/WhatsApp Chat with `))!;
      chats.set((json.chat as { id: string }).id, {
        folder: match[1]!,
        json,
        text: files.get(textPath)!.toString('utf8'),
      });
    }
  });

  it('has README.txt, index.html, problems.txt and one folder per chat', () => {
    for (const name of ['README.txt', 'index.html', 'problems.txt', 'viewer/viewer.js', 'viewer/chats.js'])
      expect(files.has(name), name).toBe(true);
    expect([...chats.keys()].sort()).toEqual(dataset.chats.map((c) => c.id).sort());
    expect(files.get('README.txt')!.toString()).toContain('UTC');
    expect(files.get('problems.txt')!.toString()).toContain('Nothing was lost');
  });

  it('messages.json gives back every chat and message field by field', () => {
    const byChat = messagesByChat(dataset);
    for (const chat of dataset.chats) {
      const folder = chats.get(chat.id)!;
      expect(folder.json.format).toBe('chatvault-archive-chat');
      expect(folder.json.chat).toEqual(chat);
      const expected = byChat.get(chat.id) ?? [];
      expect(folder.json.messages).toHaveLength(expected.length);
      expected.forEach((message, i) => {
        expect(folder.json.messages[i], message.id).toEqual(message);
      });
      for (const message of expected) {
        if (message.senderId)
          expect(folder.json.contacts[message.senderId]).toEqual(dataset.contacts[message.senderId]);
      }
    }
  });

  it('holds every stored media file byte for byte, named the way WhatsApp names it', () => {
    let checked = 0;
    for (const chat of dataset.chats) {
      const folder = chats.get(chat.id)!;
      for (const message of folder.json.messages) {
        const ref = message.media;
        if (ref?.status !== 'stored') continue;
        const name = folder.json.mediaFiles[ref.filehash!];
        expect(name, `${message.id} has a file`).toBeDefined();
        const bytes = files.get(`${folder.folder}/${name}`)!;
        expect(Buffer.compare(bytes, Buffer.from(mediaBytes(dataset, ref.filehash!)!)), name).toBe(0);
        expect(createHash('sha256').update(bytes).digest('base64')).toBe(ref.filehash);
        const parts = ATTACHMENT_NAME.exec(name!);
        expect(parts, name).not.toBeNull();
        expect(parts![1]).toBe(PREFIX_OF[message.type]);
        // The file is named after the first message in the chat that carries it.
        const first = folder.json.messages.find((m) => m.media?.filehash === ref.filehash)!;
        expect(parts![2]).toBe(
          new Date(first.timestamp * 1000).toISOString().slice(0, 10).replaceAll('-', ''),
        );
        // Documents keep their own name, with what Windows forbids in file names replaced.
        if (message.type === 'document' && ref.filename)
          expect(name!.endsWith(`-${ref.filename.replace(/[<>:"/\\|?*]/g, '_')}`), name).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('every .txt parses with whatsapp-chat-parser to the dataset authors, minutes, texts and attachments', () => {
    const byChat = messagesByChat(dataset);
    let attachmentsSeen = 0;
    for (const chat of dataset.chats) {
      const folder = chats.get(chat.id)!;
      const messages = byChat.get(chat.id) ?? [];
      const parsed = parseString(folder.text, { parseAttachments: true });
      expect(parsed, chat.id).toHaveLength(messages.length);
      messages.forEach((message, i) => {
        const got = parsed[i]!;
        const where = `${chat.id} message ${i} (${message.type})`;
        // The parser builds local-time Dates from the text; the text is in UTC.
        const date = new Date(message.timestamp * 1000);
        expect(
          [
            got.date.getFullYear(),
            got.date.getMonth(),
            got.date.getDate(),
            got.date.getHours(),
            got.date.getMinutes(),
          ],
          where,
        ).toEqual([
          date.getUTCFullYear(),
          date.getUTCMonth(),
          date.getUTCDate(),
          date.getUTCHours(),
          date.getUTCMinutes(),
        ]);
        if (message.type === 'system') {
          expect(got.author, where).toBeNull();
          return;
        }
        expect(got.author, where).toBe(asExportName(expectedAuthor(dataset, message)));
        const body = bodyOf(got.message, message);
        const file = message.media?.filehash ? folder.json.mediaFiles[message.media.filehash] : undefined;
        switch (message.type) {
          case 'chat':
            expect(unguard(body), where).toBe(normaliseBreaks(message.text ?? ''));
            break;
          case 'image':
          case 'video':
          case 'gif':
          case 'ptt':
          case 'audio':
          case 'document':
          case 'sticker': {
            const [first, ...caption] = body.split('\n');
            expect(first, where).toBe(file ? `${file} (file attached)` : '<Media omitted>');
            expect(unguard(caption.join('\n')), where).toBe(normaliseBreaks(message.text ?? ''));
            if (file && /^[\w-]+\.\w+$/.test(file)) {
              expect(got.attachment?.fileName, where).toBe(file);
              attachmentsSeen++;
            }
            break;
          }
          case 'revoked':
            expect(body, where).toMatch(/^(This message was deleted|You deleted this message)/);
            break;
          case 'location':
            expect(body.split('\n')[0], where).toBe(
              `location: https://maps.google.com/?q=${message.location!.lat},${message.location!.lng}`,
            );
            break;
          case 'vcard':
          case 'multi_vcard': {
            const lines = body.split('\n');
            expect(lines, where).toHaveLength(message.contactCards!.length);
            for (const line of lines) {
              const name = line.replace(/ \(file attached\)$/, '');
              expect(name).toMatch(/\.vcf$/);
              expect(files.has(`${folder.folder}/${name}`), name).toBe(true);
            }
            break;
          }
          case 'poll': {
            const poll = message.poll!;
            const lines = unguard(body).split('\n');
            expect(lines[0]).toBe('POLL:');
            expect(lines[1]).toBe(poll.question);
            poll.options.forEach((option, k) => {
              const votes = (poll.votes ?? []).filter((v) => v.optionIds.includes(option.id)).length;
              expect(lines[2 + k]).toBe(
                `OPTION: ${option.name} (${votes} ${votes === 1 ? 'vote' : 'votes'})`,
              );
            });
            break;
          }
          case 'unknown':
            expect(body).toMatch(/^<Unsupported message/);
            break;
        }
      });
    }
    expect(attachmentsSeen).toBeGreaterThan(100);
  });

  it('writes the same files as a zip (client-zip, stored entries, UTF-8 names)', async () => {
    const archive = createArchive(await snapshotArchiveSource(repository, snapshotId));
    const zipped = readStoredZip(await streamBytes(zipArchive(archive)));
    expect([...zipped.keys()].sort()).toEqual([...files.keys()].sort());
    for (const [name, bytes] of files)
      expect(Buffer.compare(Buffer.from(zipped.get(name)!), bytes), name).toBe(0);
  });
});

/** The message as sent: without the `<…>` lines the archive adds and the edit marker. */
function bodyOf(parsed: string, message: Message): string {
  let body = parsed;
  const notes =
    (message.reactions?.length ? 1 : 0) +
    (message.quoted ? 1 : 0) +
    (message.deletion && message.type !== 'revoked' ? 1 : 0);
  for (let i = 0; i < notes; i++) {
    const cut = body.lastIndexOf('\n<');
    expect(cut, `annotation ${i} of ${message.id}`).toBeGreaterThan(-1);
    body = body.slice(0, cut);
  }
  if (message.edit) {
    expect(body.endsWith(' <This message was edited>'), message.id).toBe(true);
    body = body.slice(0, -' <This message was edited>'.length);
  }
  return body;
}

/** The parser splits lines at \r\n, \r and \n and joins them with \n. */
function normaliseBreaks(text: string): string {
  return text.replace(/\r\n|\r/g, '\n');
}
