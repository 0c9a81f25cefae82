import { describe, expect, it } from 'vitest';
import { estimateRemainingMs, formatRemaining, progressFraction } from '@/utils/archive/restore-progress';
import { dayRangeToSelection } from '@/utils/archive/restore-selection';
import { describeRestoreProblem } from '@/utils/archive/restore-summary';

const progress = (over: Partial<Parameters<typeof progressFraction>[0]> = {}) => ({
  chatsDone: 0,
  chatsTotal: 4,
  mediaFilesDone: 0,
  mediaFilesTotal: 10,
  mediaBytesDone: 0,
  mediaBytesTotal: 1000,
  ...over,
});

describe('restore progress and ETA', () => {
  it('weighs media bytes most, and counts chats alone when there are no media', () => {
    expect(progressFraction(progress())).toBe(0);
    expect(progressFraction(progress({ mediaBytesDone: 500 }))).toBeCloseTo(0.45);
    expect(progressFraction(progress({ chatsDone: 4, mediaBytesDone: 1000 }))).toBe(1);
    expect(progressFraction(progress({ chatsDone: 1, mediaBytesTotal: 0 }))).toBe(0.25);
    // A dataset that under-announces sizes never shows more than 100 %.
    expect(progressFraction(progress({ chatsDone: 4, mediaBytesDone: 5000 }))).toBe(1);
  });

  it('estimates the rest at the average rate, once there is something to go on', () => {
    expect(estimateRemainingMs(500, 0.5)).toBeUndefined();
    expect(estimateRemainingMs(10_000, 0.001)).toBeUndefined();
    expect(estimateRemainingMs(10_000, 0.25)).toBe(30_000);
    expect(estimateRemainingMs(10_000, 1)).toBe(0);
    expect(() => estimateRemainingMs(-1, 0.5)).toThrow(RangeError);
    expect(() => estimateRemainingMs(1000, 1.5)).toThrow(RangeError);
  });

  it('words the ETA as precisely as it deserves', () => {
    expect(formatRemaining(undefined)).toBe('estimating time left…');
    expect(formatRemaining(3000)).toBe('less than 5 s left');
    expect(formatRemaining(42_000)).toBe('about 42 s left');
    expect(formatRemaining(10 * 60_000)).toBe('about 10 min left');
    expect(formatRemaining(3 * 3_600_000)).toBe('about 3.0 h left');
  });
});

describe('date range of the restore', () => {
  it('covers whole local days, both included', () => {
    const range = dayRangeToSelection('2024-02-28', '2024-03-01');
    expect(range.from).toBe(new Date(2024, 1, 28).getTime() / 1000);
    expect(range.until).toBe(new Date(2024, 2, 2).getTime() / 1000);
    expect(dayRangeToSelection('', '')).toEqual({});
    expect(dayRangeToSelection('2024-01-01', '')).toEqual({ from: new Date(2024, 0, 1).getTime() / 1000 });
  });

  it('refuses reversed ranges and dates that do not exist, saying which', () => {
    expect(() => dayRangeToSelection('2024-03-02', '2024-03-01')).toThrow(
      'The start date is after the end date.',
    );
    expect(() => dayRangeToSelection('2023-02-29', '')).toThrow('start date 2023-02-29 is not a day');
    expect(() => dayRangeToSelection('', 'yesterday')).toThrow('end date must be a date');
  });
});

describe('summary of losses', () => {
  it('names the chat, the month and the file', () => {
    const titles = (id: string) => (id === 'a@c.us' ? 'Ana' : undefined);
    expect(
      describeRestoreProblem(
        { kind: 'segment', chatId: 'a@c.us', month: '2024-02', messages: 12, error: 'bad tag' },
        titles,
      ),
    ).toBe('Chat “Ana”: 12 messages of 2024-02 could not be restored (bad tag).');
    expect(
      describeRestoreProblem(
        { kind: 'media', chatId: 'b@c.us', path: 'chats/Bob/IMG-1.jpg', error: 'gone' },
        titles,
      ),
    ).toBe('chats/Bob/IMG-1.jpg could not be restored (gone).');
    expect(describeRestoreProblem({ kind: 'chat', chatId: 'b@c.us', error: 'x' }, titles)).toContain(
      '“b@c.us”',
    );
    expect(() => describeRestoreProblem(null as never, titles)).toThrow(TypeError);
  });
});
