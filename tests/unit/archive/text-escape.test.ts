import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseString } from 'whatsapp-chat-parser';
import { escapeUserText, exportName, looksLikeLineStart, WORD_JOINER } from '@/utils/archive/text-escape';
import { unguard } from './helpers';

/** Pieces that make texts look like the export format: dates, markers, breaks, joiners. */
const tricky = fc.constantFrom(
  '12/03/2024, 10:00 - Bob: ',
  '[3/12/24, 10:00:00] Carol: ',
  '1/2/21, 9:05 AM - ',
  '\u200e',
  '<Media omitted>',
  '<This message was edited>',
  '<Reply to Ana: x>',
  'IMG-20210428-WA0001.jpg (file attached)',
  '<attached: 00000035-PHOTO.jpg>',
  'OPTION: ',
  WORD_JOINER,
  '\n',
  '\r\n',
  '\r',
  ': ',
  ' ',
  'a',
  '7',
);
const text = fc.oneof(
  fc.array(tricky, { maxLength: 12 }).map((parts) => parts.join('')),
  fc.string(),
);

describe('text escaping for the export', () => {
  it('is undone exactly by removing one guard per line start and before the edit marker', () => {
    fc.assert(
      fc.property(text, fc.constantFrom('body-start' as const, 'line-start' as const), (t, position) => {
        expect(unguard(escapeUserText(t, position))).toBe(t);
      }),
      { numRuns: 2000 },
    );
    // Inline text sits inside a line the writer started (`OPTION: <name> (2 votes)`).
    fc.assert(
      fc.property(text, (t) => {
        expect(unguard(`OPTION: ${escapeUserText(t, 'inline')} (2 votes)`)).toBe(`OPTION: ${t} (2 votes)`);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves no continuation line that reads as a new message', () => {
    fc.assert(
      fc.property(text, (t) => {
        const lines = escapeUserText(t, 'body-start').split(/\r\n|\r|\n/);
        for (const line of lines.slice(1))
          expect(line.startsWith(WORD_JOINER) || !looksLikeLineStart(line)).toBe(true);
        // And the parser agrees: the text stays one message from one author.
        const parsed = parseString(`15/04/2022, 05:20 - Ana: ${escapeUserText(t, 'body-start')}`);
        expect(parsed).toHaveLength(1);
        expect(parsed[0]!.author).toBe('Ana');
      }),
      { numRuns: 1000 },
    );
  });

  it('does not touch ordinary text', () => {
    for (const t of ['Hi! How are you?', 'Line one\nLine two', '1. Be nice\n2. No forwards', 'مرحبا 👋']) {
      expect(escapeUserText(t, 'body-start')).toBe(t);
    }
  });

  it('makes names single-line and free of ": "', () => {
    expect(exportName('Dr. Smith: Work')).toBe('Dr. Smith꞉ Work');
    expect(exportName('Bob\nSmith')).toBe('Bob Smith');
    expect(exportName('Time 10:30')).toBe('Time 10:30');
    expect(exportName('   ')).toBe('Unknown');
  });
});
