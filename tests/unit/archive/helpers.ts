import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArchiveSource } from '@/utils/archive/archive';
import { sortDataset } from '@/utils/schema/order';
import type { Dataset, Jid, Message } from '@/utils/schema/types';
import { mediaStream } from '../../fixtures/dataset/generate';

/** An archive source straight from a generated dataset (no backup in between). */
export function generatedSource(dataset: Dataset, extra: Partial<ArchiveSource> = {}): ArchiveSource {
  return {
    dataset,
    async readMedia(filehash, sink) {
      const stream = mediaStream(dataset, filehash);
      if (!stream) throw new Error(`no media ${filehash} in the generated dataset`);
      let size = 0;
      for await (const piece of stream as unknown as AsyncIterable<Uint8Array>) {
        size += piece.length;
        await sink(piece);
      }
      return size;
    },
    ...extra,
  };
}

/** Two generated datasets as one (a big chat and a few small ones, say). */
export function mergeDatasets(first: Dataset, second: Dataset): Dataset {
  return sortDataset({
    ...first,
    contacts: { ...second.contacts, ...first.contacts },
    chats: [...first.chats, ...second.chats],
    messages: [...first.messages, ...second.messages],
  });
}

export async function withTempDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'chatvault-archive-'));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every file under `dir` by its `/`-separated relative path. */
export async function filesUnder(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files.set(
      full
        .slice(dir.length + 1)
        .split('\\')
        .join('/'),
      await readFile(full),
    );
  }
  return files;
}

export function messagesByChat(dataset: Dataset): Map<Jid, Message[]> {
  const byChat = new Map<Jid, Message[]>();
  for (const message of dataset.messages) {
    const list = byChat.get(message.chatId) ?? [];
    list.push(message);
    byChat.set(message.chatId, list);
  }
  return byChat;
}

/**
 * docs/SCHEMA.md's display name rule, written again here as the test's oracle: address-book
 * name, push name, phone, JID user part; a sender outside the contacts keeps its senderName.
 */
export function expectedAuthor(dataset: Dataset, message: Message): string {
  const rule = (jid: Jid) => {
    const contact = dataset.contacts[jid];
    return contact?.name || contact?.pushname || contact?.phone || jid.split('@')[0]!;
  };
  if (message.fromMe) return rule(dataset.account!.id);
  if (message.senderId && !dataset.contacts[message.senderId] && message.senderName)
    return message.senderName;
  if (message.senderId) return rule(message.senderId);
  return message.senderName ?? 'Unknown';
}

/** docs/ARCHIVE.md §4: how a name is written after the time (one line, no ": " inside). */
export function asExportName(name: string): string {
  return (
    name
      .replace(/[\r\n\u2028\u2029\u0085]+/g, ' ')
      .replace(/:(?=\s)/g, '\ua789')
      .trim() || 'Unknown'
  );
}

/** docs/ARCHIVE.md §4: removes the writer's U+2060 guards to get the original text back. */
export function unguard(text: string): string {
  return text.replace(/(^|\r\n|\r|\n)\u2060/g, '$1').replace(/\u2060(<This message was edited>)$/, '$1');
}

/**
 * A minimal reader for the zips client-zip writes (stored entries, data descriptors, zip64
 * extra fields): name → bytes, from the central directory. Independent of the writer.
 */
export function readStoredZip(zip: Uint8Array): Map<string, Uint8Array> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error('no end of central directory record');
  let count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  const locator = end - 20;
  if (locator >= 0 && view.getUint32(locator, true) === 0x07064b50) {
    const zip64End = Number(view.getBigUint64(locator + 8, true));
    count = Number(view.getBigUint64(zip64End + 32, true));
    offset = Number(view.getBigUint64(zip64End + 48, true));
  }
  const entries = new Map<string, Uint8Array>();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i < count; i++) {
    if (view.getUint32(offset, true) !== 0x02014b50) throw new Error(`bad central directory entry ${i}`);
    const method = view.getUint16(offset + 10, true);
    let size = view.getUint32(offset + 24, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    let local = view.getUint32(offset + 42, true);
    const name = decoder.decode(zip.subarray(offset + 46, offset + 46 + nameLength));
    let extra = offset + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = view.getUint16(extra, true);
      const length = view.getUint16(extra + 2, true);
      if (id === 1) {
        let field = extra + 4;
        if (size === 0xffffffff) {
          size = Number(view.getBigUint64(field, true));
          field += 16;
        }
        if (local === 0xffffffff) local = Number(view.getBigUint64(field, true));
      }
      extra += 4 + length;
    }
    if (method !== 0) throw new Error(`${name}: compression method ${method}, expected stored`);
    if (view.getUint32(local, true) !== 0x04034b50) throw new Error(`${name}: bad local header`);
    const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (!name.endsWith('/')) entries.set(name, zip.subarray(dataStart, dataStart + size));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

export async function streamBytes(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  let total = 0;
  for await (const piece of stream as unknown as AsyncIterable<Uint8Array>) {
    pieces.push(piece);
    total += piece.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
