import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from '@/utils/collect/base64-bytes';
import { type DomRow, toCanonical } from '@/utils/collect/dom-collector';
import { digitsHash, localSeconds, mergeSnapshot, parsePrePlainText } from '@/utils/collect/dom-parse';
import { abortableSleep, createLimiter, humanPause } from '@/utils/collect/pace';
import { parseChat, parseMessage } from '@/utils/schema/validate';

describe('pace', () => {
  it('never runs more than the limit at once, and runs everything', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.nat(5), { minLength: 1, maxLength: 30 }),
        async (limit, delays) => {
          const limiter = createLimiter(limit);
          let running = 0;
          let peak = 0;
          const results = await Promise.all(
            delays.map((delay, index) =>
              limiter.run(async () => {
                running++;
                peak = Math.max(peak, running);
                await new Promise((resolve) => setTimeout(resolve, delay));
                running--;
                return index;
              }),
            ),
          );
          expect(results).toEqual(delays.map((_, index) => index));
          expect(peak).toBeLessThanOrEqual(limit);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('frees its slot when a task fails', async () => {
    const limiter = createLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.run(async () => 'next')).toBe('next');
    expect(() => createLimiter(0)).toThrow(RangeError);
  });

  it('pauses between half and one and a half times the pace, and stops when cancelled', async () => {
    const waited: number[] = [];
    for (const random of [0, 0.999]) {
      const started = Date.now();
      await humanPause(40, undefined, () => random);
      waited.push(Date.now() - started);
    }
    expect(waited[0]).toBeGreaterThanOrEqual(19);
    expect(waited[1]).toBeGreaterThanOrEqual(59);
    const controller = new AbortController();
    const sleeping = abortableSleep(60_000, controller.signal);
    controller.abort(new DOMException('stop', 'AbortError'));
    await expect(sleeping).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('data-pre-plain-text', () => {
  it('reads the en-GB and en-US forms, with and without the sender', () => {
    expect(parsePrePlainText('[14:05, 28/04/2021] Ana: ')).toEqual({
      year: 2021,
      month: 4,
      day: 28,
      hour: 14,
      minute: 5,
      sender: 'Ana',
    });
    expect(parsePrePlainText('[2:05 PM, 4/28/2021] Ana: ')).toMatchObject({ month: 4, day: 28, hour: 14 });
    expect(parsePrePlainText('[12:30 AM, 1/2/2021] ')).toEqual({
      year: 2021,
      month: 1,
      day: 2,
      hour: 0,
      minute: 30,
    });
    expect(parsePrePlainText('[12:30 PM, 1/2/2021] Bo: Jr: ')).toMatchObject({ hour: 12, sender: 'Bo: Jr' });
    // A day above 12 settles the order whatever the hint says.
    expect(parsePrePlainText('[09:00, 4/28/2021] ', false)).toMatchObject({ month: 4, day: 28 });
    expect(parsePrePlainText('[09:00, 03/04/21] ')).toMatchObject({ year: 2021, month: 4, day: 3 });
  });

  it('refuses what is not a prefix', () => {
    for (const text of ['', 'hello', '[25:00, 01/01/2021] ', '[10:00, 40/40/2021] '])
      expect(parsePrePlainText(text)).toBeUndefined();
  });

  it('converts in the browser time zone', () => {
    expect(localSeconds({ year: 2021, month: 4, day: 28, hour: 14, minute: 5 })).toBe(
      new Date(2021, 3, 28, 14, 5).getTime() / 1000,
    );
  });
});

describe('merging snapshots of a virtualised timeline', () => {
  it('places rows above, between and below the rows already known', () => {
    let order = mergeSnapshot([], ['d', 'e', 'f']);
    order = mergeSnapshot(order, ['b', 'c', 'd', 'e']);
    order = mergeSnapshot(order, ['a', 'b']);
    order = mergeSnapshot(order, ['e', 'e2', 'f', 'g']);
    expect(order).toEqual(['a', 'b', 'c', 'd', 'e', 'e2', 'f', 'g']);
  });

  it('puts a snapshot with nothing in common before everything (the reader scrolls up)', () => {
    expect(mergeSnapshot(['x', 'y'], ['a', 'b'])).toEqual(['a', 'b', 'x', 'y']);
  });

  it('reconstructs any list from overlapping windows read bottom to top', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 2, max: 12 }), (length, window) => {
        const all = Array.from({ length }, (_, i) => `m${i}`);
        let order: string[] = [];
        for (let end = length; end > 0; end -= Math.max(1, window - 1))
          order = mergeSnapshot(order, all.slice(Math.max(0, end - window), end));
        expect(order).toEqual(all);
      }),
    );
  });

  it('makes stable digit-only stand-in ids', () => {
    expect(digitsHash('chat:Hikers')).toBe(digitsHash('chat:Hikers'));
    expect(digitsHash('chat:Hikers')).not.toBe(digitsHash('chat:Hikers2'));
    expect(digitsHash('x')).toMatch(/^9\d{14}$/);
  });
});

describe('rows of the page as canonical data', () => {
  const stamp = { year: 2021, month: 4, day: 28, hour: 14, minute: 5 };
  it('uses packed row ids when the page still has them, and marks the chat as read from the page', () => {
    const rows: DomRow[] = [
      {
        key: 'false_120363041234567890@g.us_A_4915100000002@c.us',
        dataId: 'false_120363041234567890@g.us_A_4915100000002@c.us',
        stamp: { ...stamp, sender: 'Ana' },
        sender: 'Ana',
        text: 'hi',
        fromMe: false,
      },
      {
        key: 'true_120363041234567890@g.us_B',
        dataId: 'true_120363041234567890@g.us_B',
        fromMe: true,
        mediaType: 'image',
      },
      {
        key: 'false_120363041234567890@g.us_C_4915100000002@c.us',
        dataId: 'false_120363041234567890@g.us_C_4915100000002@c.us',
        text: 'This message was deleted',
        fromMe: false,
      },
    ];
    const { chat, messages } = toCanonical('Hikers', rows);
    expect(chat).toMatchObject({
      id: '120363041234567890@g.us',
      kind: 'group',
      name: 'Hikers',
      completeness: { source: 'dom', skippedMedia: 1 },
    });
    expect(parseChat(chat, { unknownKeys: 'reject' }).ok).toBe(true);
    expect(messages.map((m) => m.type)).toEqual(['chat', 'image', 'revoked']);
    // Rows without a prefix take the time of the row above.
    expect(new Set(messages.map((m) => m.timestamp)).size).toBe(1);
    for (const message of messages) expect(parseMessage(message, { unknownKeys: 'reject' }).ok).toBe(true);
  });

  it('builds ids from bare row ids, and a stand-in chat id from the title', () => {
    const rows: DomRow[] = [
      { key: '3EB0AA', dataId: '3EB0AA', stamp, sender: 'Ana', text: 'hi', fromMe: false },
      { key: '3EB0BB', dataId: '3EB0BB', text: 'more', fromMe: false },
    ];
    const { chat, messages } = toCanonical('Ana', rows);
    expect(chat.id).toMatch(/^9\d{14}@g\.us$/);
    expect(messages.map((m) => m.id)).toEqual([`false_${chat.id}_3EB0AA`, `false_${chat.id}_3EB0BB`]);
    const alone = toCanonical('Bo', [
      {
        key: 'X1',
        dataId: 'X1',
        stamp: { ...stamp, sender: 'Bo' },
        sender: 'Bo',
        text: 'hey',
        fromMe: false,
      },
    ]);
    expect(alone.chat.kind).toBe('individual');
  });
});

describe('base64 for media on the Port', () => {
  it('round-trips any bytes and refuses what is not base64', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70_000 }), (bytes) => {
        expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
      }),
      { numRuns: 30 },
    );
    expect(() => base64ToBytes('not base64!')).toThrow();
  });
});
