import { createHash } from 'node:crypto';
import type { Argon2idFunction } from '@/utils/crypto';
import type { BackupSource } from '@/utils/repo/backup';
import { initRepository, type Repository } from '@/utils/repo/repository';
import type { Chat, Dataset, Message } from '@/utils/schema/types';
import type { Storage } from '@/utils/storage/storage';

/**
 * Argon2id stand-in for repository tests: deterministic and instant, so that slot logic is
 * tested without paying 0.5 s per unlock. tests/unit/crypto proves the real Argon2id.
 */
export const fastArgon2id: Argon2idFunction = async ({ password, salt, params, length }) => {
  const hash = createHash('sha512');
  hash.update(password);
  hash.update(salt);
  hash.update(`${params.memoryKiB}/${params.iterations}/${params.parallelism}`);
  return new Uint8Array(hash.digest().subarray(0, length));
};

export const PASSWORD = 'correct horse battery staple';

export async function newRepository(storage: Storage, options: { packTargetSize?: number } = {}) {
  return initRepository(storage, { password: PASSWORD, argon2id: fastArgon2id, ...options });
}

export type Media = Map<string, Uint8Array>;

export function filehashOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

/** Deterministic pseudo-random bytes (media content) without a generator dependency. */
export function bytesOf(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const chat = (id: string, name: string): Chat => ({
  id,
  kind: id.endsWith('@g.us') ? 'group' : 'individual',
  name,
  completeness: {
    moreHistoryOnPhone: false,
    source: 'modules',
    expiredMedia: 0,
    failedMedia: 0,
    skippedMedia: 0,
  },
  ...(id.endsWith('@g.us')
    ? { group: { subject: name, participants: [{ id: '111@c.us', role: 'admin' as const }] } }
    : {}),
});

export function textMessage(chatId: string, n: number, timestamp: number, text: string): Message {
  return {
    id: `false_${chatId}_M${n}`,
    chatId,
    timestamp,
    fromMe: false,
    senderId: '111@c.us',
    type: 'chat',
    text,
  };
}

export function photoMessage(chatId: string, n: number, timestamp: number, bytes: Uint8Array): Message {
  return {
    id: `true_${chatId}_P${n}`,
    chatId,
    timestamp,
    fromMe: true,
    type: 'image',
    text: `photo ${n}`,
    media: { filehash: filehashOf(bytes), mimetype: 'image/jpeg', size: bytes.length, status: 'stored' },
  };
}

/** Two chats over three months with a few photos (one larger than the streaming threshold). */
export function smallDataset(options: { bigMedia?: boolean } = {}): { dataset: Dataset; media: Media } {
  const media: Media = new Map();
  const a = '111@c.us';
  const g = '120363000000000001@g.us';
  const messages: Message[] = [];
  const jan = 1_704_067_200; // 2024-01-01
  for (let i = 0; i < 30; i++) messages.push(textMessage(a, i, jan + i * 86_400 * 2, `Hello ${i} 👋 مرحبا`));
  for (let i = 0; i < 5; i++) {
    const bytes = bytesOf(i + 1, 20_000 + i * 5_000);
    media.set(filehashOf(bytes), bytes);
    messages.push(photoMessage(g, i, jan + i * 86_400 * 10, bytes));
  }
  if (options.bigMedia) {
    const big = bytesOf(99, 5 * 1024 * 1024 + 123);
    media.set(filehashOf(big), big);
    messages.push(photoMessage(g, 99, jan + 40 * 86_400, big));
  }
  return {
    dataset: {
      format: 'chatvault-dataset',
      version: 1,
      exportedAt: jan + 90 * 86_400,
      account: { id: '999@c.us', name: 'Me' },
      contacts: { '111@c.us': { name: 'Ana' } },
      chats: [chat(a, 'Ana'), chat(g, 'Family')],
      messages,
    },
    media,
  };
}

export function sourceOf(dataset: Dataset, media: Media): BackupSource {
  return {
    dataset,
    async mediaSize(filehash) {
      return media.get(filehash)?.length;
    },
    async openMedia(filehash) {
      const bytes = media.get(filehash)!;
      let offset = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (offset >= bytes.length) return controller.close();
          controller.enqueue(bytes.slice(offset, offset + 256 * 1024));
          offset += 256 * 1024;
        },
      });
    },
  };
}

export async function collectMedia(): Promise<{
  media: Media;
  onMedia: (filehash: string, write: (sink: (p: Uint8Array) => void) => Promise<number>) => Promise<void>;
}> {
  const media: Media = new Map();
  return {
    media,
    async onMedia(filehash, write) {
      const pieces: Uint8Array[] = [];
      await write((p) => void pieces.push(p));
      media.set(filehash, Buffer.concat(pieces));
    },
  };
}

export type { Repository };
