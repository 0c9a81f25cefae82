import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonBytes } from '@/utils/schema/canonical-json';
import { computeFilehash } from '@/utils/schema/filehash';
import { type Dataset, MEDIA_MESSAGE_TYPES, MESSAGE_TYPES, type Message } from '@/utils/schema/types';
import { parseDataset } from '@/utils/schema/validate';
import {
  GeneratorError,
  generateDataset,
  mediaBytes,
  mediaChunks,
  mediaStream,
  summarizeDataset,
} from '../../fixtures/dataset/generate';
import { SPECIAL_TEXTS } from '../../fixtures/dataset/text-corpus';

let dataset: Dataset;

beforeAll(async () => {
  dataset = await generateDataset();
});

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const storedMedia = (d: Dataset) => d.messages.filter((m) => m.media?.status === 'stored');
const texts = (d: Dataset) => d.messages.map((m) => m.text ?? '');

/** Hex SHA-256 of every stored media file's bytes, in dataset order. */
function mediaDigests(d: Dataset): string[] {
  const seen = new Set<string>();
  const digests: string[] = [];
  for (const message of storedMedia(d)) {
    const filehash = message.media!.filehash!;
    if (seen.has(filehash)) continue;
    seen.add(filehash);
    digests.push(sha256(mediaBytes(d, filehash)!));
  }
  return digests;
}

describe('generateDataset', () => {
  it('is deterministic: the same options give the same canonical JSON and the same media bytes', async () => {
    const again = await generateDataset();
    expect(canonicalJson(again)).toBe(canonicalJson(dataset));
    expect(mediaDigests(again)).toEqual(mediaDigests(dataset));
  });

  it('gives a different dataset for a different seed', async () => {
    const other = await generateDataset({ seed: 2 });
    expect(canonicalJson(other)).not.toBe(canonicalJson(dataset));
    const ours = new Set(mediaDigests(dataset));
    expect(mediaDigests(other).some((digest) => ours.has(digest))).toBe(false);
  });

  it('pins the bytes of a small dataset, so a generator change that alters output is deliberate', async () => {
    const small = await generateDataset({ seed: 'golden', messages: 120, individualChats: 3, groupChats: 2 });
    // Update only on purpose: golden fixtures and cross-machine comparisons rely on these bytes.
    expect(sha256(canonicalJsonBytes(small))).toMatchInlineSnapshot(
      `"94420950e29d485c17ceec016ad7849f9453154ca5df673aabf9f505f55a64ba"`,
    );
    expect(sha256(mediaDigests(small).join())).toMatchInlineSnapshot(
      `"ed91534cd841bea57361f5f80b45f2a1a51cf8c1646d81a4f9f5dd7eb1b9e27f"`,
    );
  });

  it('produces a valid dataset, also under strict validation', () => {
    const loose = parseDataset(dataset);
    expect(loose.ok || loose.error.message).toBe(true);
    const strict = parseDataset(dataset, { unknownKeys: 'reject' });
    expect(strict.ok || strict.error.message).toBe(true);
  });

  it('has the requested shape', () => {
    const summary = summarizeDataset(dataset);
    expect(summary.messages).toBe(600);
    expect(summary.groups).toBe(3);
    expect(summary.chats).toBe(9);
    expect(dataset.account?.id).toMatch(/@c\.us$/);
  });

  it('contains every message type', () => {
    const { messagesByType } = summarizeDataset(dataset);
    for (const type of MESSAGE_TYPES) expect(messagesByType[type], type).toBeGreaterThan(0);
  });

  it('contains every feature the schema can express', () => {
    const summary = summarizeDataset(dataset);
    const has = (predicate: (m: Message) => boolean) => dataset.messages.some(predicate);
    expect(summary.quoted - summary.quotedOutside).toBeGreaterThan(0);
    expect(summary.quotedOutside).toBeGreaterThan(0);
    expect(summary.withReactions).toBeGreaterThan(0);
    expect(summary.withEditHistory).toBeGreaterThan(0);
    expect(has((m) => m.edit !== undefined && MEDIA_MESSAGE_TYPES.includes(m.type as never))).toBe(true);
    expect(has((m) => m.deletion !== undefined && m.type !== 'revoked')).toBe(true);
    expect(has((m) => m.type === 'revoked' && m.deletion?.kind === 'admin')).toBe(true);
    expect(has((m) => m.forwarded === true && (m.forwardingScore ?? 0) >= 4)).toBe(true);
    expect(summary.sharedMedia).toBeGreaterThan(0);
    expect(summary.starred).toBeGreaterThan(0);
    expect(summary.viewOnce).toBeGreaterThan(0);
    expect(summary.ephemeral).toBeGreaterThan(0);
    expect(summary.withMentions).toBeGreaterThan(0);
    expect(summary.pollsWithVotes).toBeGreaterThan(0);
    expect(summary.mediaByStatus.expired).toBeGreaterThan(0);
    expect(summary.mediaByStatus.failed).toBeGreaterThan(0);
    expect(summary.mediaByStatus.skipped).toBeGreaterThan(0);
    expect(has((m) => m.media?.isAnimated === true)).toBe(true);
    expect(has((m) => m.type === 'system' && m.system?.subtype === 'group-create')).toBe(true);
    expect(has((m) => m.location?.name !== undefined)).toBe(true);
    expect(has((m) => m.type === 'multi_vcard' && (m.contactCards?.length ?? 0) >= 2)).toBe(true);
    expect(dataset.chats.some((chat) => chat.completeness.moreHistoryOnPhone)).toBe(true);
    expect(dataset.chats.some((chat) => chat.archived || chat.muted)).toBe(true);
  });

  it('has groups with owners, admins and @lid participants mapped to phones', () => {
    const groups = dataset.chats.filter((chat) => chat.kind === 'group');
    const participants = groups.flatMap((chat) => chat.group!.participants);
    expect(participants.some((p) => p.role === 'superadmin')).toBe(true);
    expect(participants.some((p) => p.role === 'admin')).toBe(true);
    const lidIds = Object.keys(dataset.contacts).filter((jid) => jid.endsWith('@lid'));
    expect(lidIds.length).toBeGreaterThan(0);
    const mapped = lidIds.filter((jid) => dataset.contacts[jid]!.phoneJid !== undefined);
    expect(mapped.length).toBeGreaterThan(0);
    for (const jid of mapped) expect(dataset.contacts[dataset.contacts[jid]!.phoneJid!]).toBeDefined();
    expect(dataset.chats.some((chat) => chat.kind === 'individual' && chat.id.endsWith('@lid'))).toBe(true);
    expect(dataset.messages.some((m) => m.senderId?.endsWith('@lid'))).toBe(true);
  });

  it('contains hard Unicode and export-lookalike text', () => {
    const all = texts(dataset);
    for (const special of SPECIAL_TEXTS)
      expect(
        all.some((text) => text.includes(special)),
        special,
      ).toBe(true);
    // Skin-tone modifiers, ZWJ sequences, Hebrew, Arabic, CJK, combining marks.
    expect(all.some((text) => /[\u{1F3FB}-\u{1F3FF}]/u.test(text))).toBe(true);
    expect(all.some((text) => text.includes('\u200d'))).toBe(true);
    expect(all.some((text) => /[\u0590-\u05FF]/.test(text))).toBe(true);
    expect(all.some((text) => /[\u0600-\u06FF]/.test(text))).toBe(true);
    expect(all.some((text) => /[\u4E00-\u9FFF]/.test(text))).toBe(true);
    expect(all.some((text) => /\p{M}/u.test(text))).toBe(true);
    expect(all.some((text) => /^\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2} - /m.test(text))).toBe(true);
    expect(all.some((text) => text.length >= 8000)).toBe(true);
  });

  it('spreads each busy chat over several calendar months', () => {
    const { monthsByChat } = summarizeDataset(dataset);
    const counts = new Map<string, number>();
    for (const message of dataset.messages) counts.set(message.chatId, (counts.get(message.chatId) ?? 0) + 1);
    for (const [chatId, count] of counts)
      if (count >= 30) expect(monthsByChat[chatId], chatId).toBeGreaterThanOrEqual(3);
    const years = new Set(dataset.messages.map((m) => new Date(m.timestamp * 1000).getUTCFullYear()));
    expect(years.size).toBeGreaterThanOrEqual(2);
  });

  it('makes media with real headers, the listed size, and bytes that hash to the filehash', async () => {
    const magic: Record<string, (bytes: Uint8Array) => boolean> = {
      'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff && ascii(b, 6, 4) === 'JFIF',
      'image/png': (b) => ascii(b, 1, 3) === 'PNG' && ascii(b, 12, 4) === 'IHDR',
      'image/webp': (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP',
      'video/mp4': (b) => ascii(b, 4, 4) === 'ftyp',
      'audio/mp4': (b) => ascii(b, 4, 8) === 'ftypM4A ',
      'audio/ogg; codecs=opus': (b) => ascii(b, 0, 4) === 'OggS' && ascii(b, 28, 8) === 'OpusHead',
      'application/pdf': (b) => ascii(b, 0, 8) === '%PDF-1.7',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document': (b) =>
        ascii(b, 0, 4) === 'PK\x03\x04',
    };
    const seenTypes = new Set<string>();
    for (const message of storedMedia(dataset)) {
      const media = message.media!;
      const bytes = mediaBytes(dataset, media.filehash!)!;
      expect(bytes.length).toBe(media.size);
      expect(magic[media.mimetype]?.(bytes), `${media.mimetype} header`).toBe(true);
      expect(await computeFilehash(bytes)).toBe(media.filehash);
      seenTypes.add(message.type);
    }
    expect([...seenTypes].sort()).toEqual([...MEDIA_MESSAGE_TYPES].sort());
  });

  it('streams media in chunks identical to the whole file, and has no bytes for missing media', async () => {
    const largest = storedMedia(dataset).reduce((a, b) => (a.media!.size! >= b.media!.size! ? a : b)).media!;
    const whole = Buffer.from(mediaBytes(dataset, largest.filehash!)!);
    expect(Buffer.concat([...mediaChunks(dataset, largest.filehash!, 1024)!]).equals(whole)).toBe(true);
    const streamed = Buffer.from(await new Response(mediaStream(dataset, largest.filehash!)).arrayBuffer());
    expect(streamed.equals(whole)).toBe(true);

    const expired = dataset.messages.find((m) => m.media?.status === 'expired')!.media!;
    expect(expired.filehash).toBeDefined();
    expect(mediaBytes(dataset, expired.filehash!)).toBeUndefined();
    expect(mediaChunks(dataset, expired.filehash!)).toBeUndefined();
  });

  it('makes the same media bytes for a dataset read back from JSON', () => {
    const copy = JSON.parse(canonicalJson(dataset)) as Dataset;
    const filehash = storedMedia(dataset)[0]!.media!.filehash!;
    expect(Buffer.from(mediaBytes(copy, filehash)!).equals(Buffer.from(mediaBytes(dataset, filehash)!))).toBe(
      true,
    );
  });

  it('scales to 20 000 messages (tiny media) and stays valid', async () => {
    const big = await generateDataset({
      seed: 'scale',
      messages: 20_000,
      individualChats: 25,
      groupChats: 10,
      mediaSizeScale: 0.001,
    });
    const summary = summarizeDataset(big);
    expect(summary.messages).toBe(20_000);
    expect(summary.chats).toBe(35);
    const result = parseDataset(big);
    expect(result.ok || result.error.message).toBe(true);
    // About a quarter of messages carry media; each chat keeps several months of history.
    const media = Object.values(summary.mediaByStatus).reduce((a, b) => a + b, 0);
    expect(media / summary.messages).toBeGreaterThan(0.2);
    expect(media / summary.messages).toBeLessThan(0.3);
    expect(Math.min(...Object.values(summary.monthsByChat))).toBeGreaterThanOrEqual(3);
  });

  it('rejects nonsensical options with a GeneratorError naming the option', async () => {
    await expect(generateDataset({ messages: -1 })).rejects.toThrow(GeneratorError);
    await expect(generateDataset({ mediaFraction: 2 })).rejects.toThrow(/options\.mediaFraction/);
    await expect(generateDataset({ startMonth: '2021-13' })).rejects.toThrow(/options\.startMonth/);
    await expect(generateDataset({ individualChats: 0, groupChats: 0 })).rejects.toThrow(/at least one chat/);
    await expect(generateDataset({ groupSize: { min: 5, max: 2 } })).rejects.toThrow(/groupSize/);
    await expect(generateDataset({ seed: Number.NaN })).rejects.toThrow(/seed/);
  });

  it('still produces a valid dataset when tiny', async () => {
    for (const options of [
      { messages: 0 },
      { messages: 5, individualChats: 1, groupChats: 0 },
      { messages: 12, individualChats: 0, groupChats: 1, months: 1 },
    ]) {
      const tiny = await generateDataset(options);
      expect(tiny.messages).toHaveLength(options.messages);
      const result = parseDataset(tiny);
      expect(result.ok || result.error.message).toBe(true);
    }
  });
});

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}
