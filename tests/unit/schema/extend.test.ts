import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '@/utils/schema/canonical-json';
import { computeFilehash } from '@/utils/schema/filehash';
import type { Dataset, Message } from '@/utils/schema/types';
import { parseDataset } from '@/utils/schema/validate';
import {
  extendDataset,
  GeneratorError,
  generateDataset,
  mediaBytes,
  summarizeDataset,
} from '../../fixtures/dataset/generate';

let base: Dataset;
let baseJson: string;
let extended: Dataset;

beforeAll(async () => {
  base = await generateDataset({ seed: 'extend', messages: 2000 });
  baseJson = canonicalJson(base);
  extended = await extendDataset(base, { seed: 1 });
});

/** Canonical JSON per chat × calendar month: what a backup stores as one segment. */
function segments(dataset: Dataset): Map<string, string> {
  const groups = new Map<string, Message[]>();
  for (const message of dataset.messages) {
    const key = `${message.chatId} ${new Date(message.timestamp * 1000).toISOString().slice(0, 7)}`;
    groups.set(key, [...(groups.get(key) ?? []), message]);
  }
  return new Map([...groups].map(([key, messages]) => [key, canonicalJson(messages)]));
}

const storedHashes = (dataset: Dataset) =>
  new Set(dataset.messages.flatMap((m) => (m.media?.status === 'stored' ? [m.media.filehash!] : [])));

describe('extendDataset', () => {
  it('leaves its input untouched and returns a valid dataset', () => {
    expect(canonicalJson(base)).toBe(baseJson);
    const result = parseDataset(extended, { unknownKeys: 'reject' });
    expect(result.ok || result.error.message).toBe(true);
    expect(extended.exportedAt).toBeGreaterThan(base.exportedAt);
  });

  it('is deterministic per seed', async () => {
    expect(canonicalJson(await extendDataset(base, { seed: 1 }))).toBe(canonicalJson(extended));
    expect(canonicalJson(await extendDataset(base, { seed: 2 }))).not.toBe(canonicalJson(extended));
  });

  it('appends about 1 % new messages, all after the previous newest one', () => {
    const oldIds = new Set(base.messages.map((m) => m.id));
    const newestBefore = Math.max(...base.messages.map((m) => m.timestamp));
    const added = extended.messages.filter((m) => !oldIds.has(m.id));
    expect(added.length).toBe(20);
    expect(extended.messages.length).toBe(base.messages.length + added.length);
    for (const message of added) {
      expect(message.timestamp).toBeGreaterThan(newestBefore);
      expect(message.timestamp).toBeLessThanOrEqual(newestBefore + 86_400);
    }
    expect(base.messages.every((m) => extended.messages.some((n) => n.id === m.id))).toBe(true);
  });

  it('adds about 1 % new stored media with correct bytes and keeps the old bytes', async () => {
    const before = storedHashes(base);
    const after = storedHashes(extended);
    const fresh = [...after].filter((hash) => !before.has(hash));
    expect(fresh.length).toBeGreaterThanOrEqual(1);
    expect(fresh.length).toBeLessThanOrEqual(Math.ceil(before.size * 0.01) + 1);
    for (const hash of fresh) expect(await computeFilehash(mediaBytes(extended, hash)!)).toBe(hash);
    for (const hash of [...before].slice(0, 20)) {
      expect(Buffer.from(mediaBytes(extended, hash)!).equals(Buffer.from(mediaBytes(base, hash)!))).toBe(
        true,
      );
    }
  });

  it('changes a few recent older messages with reactions, edits and deletions', () => {
    const newIds = new Map(extended.messages.map((m) => [m.id, m]));
    const changed = base.messages.filter((m) => canonicalJson(m) !== canonicalJson(newIds.get(m.id)));
    expect(changed.length).toBeGreaterThanOrEqual(3);
    expect(changed.length).toBeLessThan(base.messages.length * 0.02);
    const kinds = new Set<string>();
    for (const old of changed) {
      const now = newIds.get(old.id)!;
      if ((now.reactions?.length ?? 0) > (old.reactions?.length ?? 0)) kinds.add('reaction');
      if (now.edit && !old.edit) kinds.add('edit');
      if (now.deletion && !old.deletion) kinds.add('deletion');
    }
    expect([...kinds].sort()).toEqual(['deletion', 'edit', 'reaction']);
    const summaryBefore = summarizeDataset(base);
    const summaryAfter = summarizeDataset(extended);
    expect(summaryAfter.deleted).toBeGreaterThan(summaryBefore.deleted);
  });

  it('touches only a small share of chat-month segments, including the newest month', () => {
    const before = segments(base);
    const after = segments(extended);
    const touched = [...after].filter(([key, json]) => before.get(key) !== json).map(([key]) => key);
    expect(touched.length).toBeGreaterThan(0);
    expect(touched.length).toBeLessThan(before.size * 0.25);
    const newestMonth = new Date(Math.max(...extended.messages.map((m) => m.timestamp)) * 1000)
      .toISOString()
      .slice(0, 7);
    expect(touched.some((key) => key.endsWith(newestMonth))).toBe(true);
  });

  it('can be chained, day after day', async () => {
    const dayTwo = await extendDataset(extended, {
      seed: 2,
      newMessageFraction: 0.02,
      newMediaFraction: 0.05,
    });
    const result = parseDataset(dayTwo);
    expect(result.ok || result.error.message).toBe(true);
    expect(dayTwo.messages.length).toBeGreaterThan(extended.messages.length);
  });

  it('rejects bad arguments with a GeneratorError', async () => {
    await expect(extendDataset(base, { seed: 1, newMessageFraction: 2 })).rejects.toThrow(
      /newMessageFraction/,
    );
    await expect(extendDataset({ ...base, account: undefined } as Dataset, { seed: 1 })).rejects.toThrow(
      GeneratorError,
    );
    await expect(extendDataset(null as never, { seed: 1 })).rejects.toThrow(GeneratorError);
  });
});
