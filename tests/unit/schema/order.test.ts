import { describe, expect, it } from 'vitest';
import { canonicalJson } from '@/utils/schema/canonical-json';
import { compareStrings, sortDataset } from '@/utils/schema/order';
import type { Dataset } from '@/utils/schema/types';
import { parseDataset } from '@/utils/schema/validate';
import { generateDataset } from '../../fixtures/dataset/generate';
import { Prng } from '../../fixtures/dataset/prng';

function shuffled<T>(items: readonly T[], prng: Prng): T[] {
  return prng.sample(items, items.length);
}

describe('sortDataset', () => {
  it('puts a dataset collected in any order into the one canonical order', async () => {
    const dataset = await generateDataset({ seed: 'order', messages: 400 });
    const prng = new Prng('shuffle');
    const scrambled: Dataset = {
      ...dataset,
      chats: shuffled(dataset.chats, prng).map((chat) =>
        chat.group
          ? { ...chat, group: { ...chat.group, participants: shuffled(chat.group.participants, prng) } }
          : chat,
      ),
      messages: shuffled(dataset.messages, prng).map((message) => ({
        ...message,
        ...(message.reactions ? { reactions: shuffled(message.reactions, prng) } : {}),
        ...(message.poll?.votes
          ? { poll: { ...message.poll, votes: shuffled(message.poll.votes, prng) } }
          : {}),
      })),
    };
    expect(parseDataset(scrambled).ok).toBe(false);
    const sorted = sortDataset(scrambled);
    expect(parseDataset(sorted).ok).toBe(true);
    expect(canonicalJson(sorted)).toBe(canonicalJson(dataset));
  });

  it('compares strings by UTF-16 code units', () => {
    expect(['é', 'z', 'Z', '😀', '\uffff', 'a'].sort(compareStrings)).toEqual([
      'Z',
      'a',
      'z',
      'é',
      '😀',
      '\uffff',
    ]);
  });

  it('rejects something that is not a dataset', () => {
    expect(() => sortDataset({} as never)).toThrow(/chats and messages/);
  });
});
