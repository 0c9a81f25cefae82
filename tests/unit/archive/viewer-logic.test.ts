import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RECEIVER_GLOBAL, type ViewerReceiver } from '@/utils/archive/viewer/model';
import { fileUrl, humanSize, playTime } from '@/utils/archive/viewer/src/dom';
import { HeightIndex } from '@/utils/archive/viewer/src/height-index';
import { boxFor, estimateHeight } from '@/utils/archive/viewer/src/message-view';
import { findMatches, highlightRanges } from '@/utils/archive/viewer/src/search';
import { createTimeFormat, firstIndexOnOrAfterDay } from '@/utils/archive/viewer/src/time';
import { archiveDataScript, jsString } from '@/utils/archive/viewer-data';

describe('viewer height index', () => {
  it('agrees with plain prefix sums under any updates', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 300 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 800 })), { maxLength: 50 }),
        fc.nat(),
        (heights, updates, probe) => {
          const index = new HeightIndex(heights);
          const plain = [...heights];
          for (const [at, value] of updates) {
            const i = at % plain.length;
            expect(index.set(i, value)).toBe(value - plain[i]!);
            plain[i] = value;
          }
          let sum = 0;
          for (let i = 0; i < plain.length; i++) {
            expect(index.offsetOf(i)).toBe(sum);
            sum += plain[i]!;
          }
          expect(index.total()).toBe(sum);
          const offset = sum === 0 ? 0 : probe % sum;
          const found = index.indexAt(offset);
          // The item covering the offset: starts at or before it, and the next one starts after.
          expect(index.offsetOf(found)).toBeLessThanOrEqual(offset);
          if (found < plain.length - 1 && plain[found]! > 0)
            expect(index.offsetOf(found + 1)).toBeGreaterThan(offset);
        },
      ),
    );
  });

  it('handles 100 000 rows', () => {
    const index = new HeightIndex(new Float64Array(100_000).fill(50));
    expect(index.total()).toBe(5_000_000);
    expect(index.indexAt(2_500_025)).toBe(50_000);
    index.set(0, 150);
    expect(index.indexAt(2_500_025)).toBe(49_998);
    expect(index.indexAt(10e9)).toBe(99_999);
  });
});

describe('viewer search and dates', () => {
  it('finds case-insensitively and across Unicode normalisation', () => {
    const haystacks = ['café crème', 'Cafe\u0301'.normalize('NFC').toLowerCase(), 'tea'];
    expect(findMatches(haystacks, 'CAFÉ')).toEqual([0, 1]);
    expect(findMatches(haystacks, '  ')).toEqual([]);
    expect(highlightRanges('Hello hello', 'HELLO')).toEqual([
      [0, 5],
      [6, 11],
    ]);
    expect(highlightRanges('İstanbul', 'i')).toEqual([]);
  });

  it('jumps to the first message on or after a day', () => {
    const days = ['2021-01-01', '2021-01-01', '2021-01-03', '2021-02-01'];
    const at = (i: number) => days[i]!;
    expect(firstIndexOnOrAfterDay(4, at, '2020-12-31')).toBe(0);
    expect(firstIndexOnOrAfterDay(4, at, '2021-01-02')).toBe(2);
    expect(firstIndexOnOrAfterDay(4, at, '2021-01-03')).toBe(2);
    expect(firstIndexOnOrAfterDay(4, at, '2022-01-01')).toBe(3);
    expect(firstIndexOnOrAfterDay(0, at, '2022-01-01')).toBe(-1);
  });

  it('formats times in the archive zone', () => {
    const utc = createTimeFormat('UTC');
    expect(utc.time(1_650_000_000)).toBe('05:20');
    expect(utc.dayKey(1_650_000_000)).toBe('2022-04-15');
    expect(utc.shortDate(1_650_000_000)).toBe('15/04/2022');
    expect(utc.day(1_650_000_000)).toMatch(/Friday.*15 April 2022/);
    expect(createTimeFormat('Asia/Tokyo').dayKey(1_650_000_000)).toBe('2022-04-15');
    expect(createTimeFormat('America/Los_Angeles').dayKey(1_650_000_000)).toBe('2022-04-14');
  });
});

describe('viewer helpers and data scripts', () => {
  it('encodes archive paths as file:// friendly URLs', () => {
    expect(fileUrl('chats/Dr. Smith_ Work/IMG #1?.jpg')).toBe('chats/Dr.%20Smith_%20Work/IMG%20%231%3F.jpg');
    expect(fileUrl('chats/王伟/a.jpg')).toBe('chats/%E7%8E%8B%E4%BC%9F/a.jpg');
    expect(humanSize(1536)).toBe('1.5 KB');
    expect(playTime(65)).toBe('1:05');
  });

  it('sizes media boxes by aspect ratio and estimates taller rows for more content', () => {
    expect(boxFor({ k: 'image', w: 1920, h: 1080 }, 300)).toEqual([300, 169]);
    expect(boxFor({ k: 'image' }, 300)).toEqual([300, 225]);
    const layout = { showDay: false, showAuthor: false };
    expect(estimateHeight({ t: 0, y: 'chat', x: 'a\nb\nc' }, layout)).toBeGreaterThan(
      estimateHeight({ t: 0, y: 'chat', x: 'a' }, layout),
    );
  });

  it('writes data scripts that evaluate to the same data, whatever the text holds', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(new Function(`return ${jsString(text)};`)()).toBe(text);
      }),
    );
    const received: unknown[] = [];
    const receiver = { archive: (data: unknown) => received.push(data) } as unknown as ViewerReceiver;
    const data = {
      v: 1 as const,
      timeZone: 'UTC',
      exportedAt: 1,
      problems: 0,
      chats: [
        {
          n: 1,
          title: "it's \\ </script> \u2028 😀",
          kind: 'group',
          folder: 'x',
          data: 'y',
          count: 0,
          notes: [],
        },
      ],
    };
    new Function(RECEIVER_GLOBAL, archiveDataScript(data))(receiver);
    expect(received).toEqual([data]);
  });
});
