import { describe, expect, it } from 'vitest';
import { createAttachmentNamer, extensionFor } from '@/utils/archive/attachment-names';
import { createArchiveClock } from '@/utils/archive/clock';
import { isArchiveError } from '@/utils/archive/errors';
import { cutAtCodePoint, safeFileName, UniqueNames } from '@/utils/archive/file-names';
import { createNameBook } from '@/utils/archive/names';
import type { Chat, Message } from '@/utils/schema/types';

describe('archive clock', () => {
  it('writes DD/MM/YYYY, HH:MM and YYYYMMDD in UTC by default', () => {
    const clock = createArchiveClock();
    expect(clock.timeZone).toBe('UTC');
    expect(clock.exportStamp(1_650_000_000)).toBe('15/04/2022, 05:20');
    expect(clock.exportStamp(0)).toBe('01/01/1970, 00:00');
    expect(clock.dayKey(1_650_000_000)).toBe('20220415');
  });

  it('follows a named zone across summer time', () => {
    const berlin = createArchiveClock('Europe/Berlin');
    expect(berlin.exportStamp(Date.UTC(2024, 0, 15, 23, 30) / 1000)).toBe('16/01/2024, 00:30');
    expect(berlin.exportStamp(Date.UTC(2024, 6, 15, 23, 30) / 1000)).toBe('16/07/2024, 01:30');
    expect(berlin.dayKey(Date.UTC(2024, 6, 15, 23, 30) / 1000)).toBe('20240716');
    expect(createArchiveClock('Asia/Kathmandu').exportStamp(0)).toBe('01/01/1970, 05:30');
    expect(createArchiveClock('etc/utc').timeZone).toBe('UTC');
  });

  it('refuses a zone it does not know, and non-finite times', () => {
    expect(() => createArchiveClock('Mars/Olympus')).toThrow(/Mars\/Olympus/);
    try {
      createArchiveClock('');
    } catch (error) {
      expect(isArchiveError(error, 'invalid-time-zone')).toBe(true);
    }
    expect(() => createArchiveClock().exportStamp(Number.NaN)).toThrow(/finite/);
  });
});

describe('file names', () => {
  it('keeps scripts and emoji, replaces what file systems forbid', () => {
    expect(safeFileName('Family 👨‍👩‍👧', { fallback: 'x' })).toBe('Family 👨‍👩‍👧');
    expect(safeFileName('Dr. Smith: Work', { fallback: 'x' })).toBe('Dr. Smith_ Work');
    expect(safeFileName('a/b\\c<d>e|f?g*h"i', { fallback: 'x' })).toBe('a_b_c_d_e_f_g_h_i');
    expect(safeFileName('trailing dots...  ', { fallback: 'x' })).toBe('trailing dots');
    expect(safeFileName('CON', { fallback: 'x' })).toBe('_CON');
    expect(safeFileName('nul.txt', { fallback: 'x' })).toBe('_nul.txt');
    expect(safeFileName('..', { fallback: 'chat' })).toBe('chat');
    expect(safeFileName('gpj\u202e.exe', { fallback: 'x' })).toBe('gpj_.exe');
    expect(safeFileName('line\nbreak\u2028here', { fallback: 'x' })).toBe('line_break here');
  });

  it('shortens long names without splitting emoji and keeps the extension', () => {
    const name = safeFileName(`${'😀'.repeat(60)}.pdf`, {
      fallback: 'x',
      maxLength: 21,
      keepExtension: true,
    });
    expect(name).toBe(`${'😀'.repeat(8)}.pdf`);
    expect(cutAtCodePoint('a😀', 2)).toBe('a');
  });

  it('hands out names unique the way Windows and macOS compare them', () => {
    const names = new UniqueNames(['messages.json']);
    expect(names.claim('Ana')).toBe('Ana');
    expect(names.claim('ana')).toBe('ana (2)');
    expect(names.claim('Café')).toBe('Café');
    expect(names.claim('Cafe\u0301')).toBe('Cafe\u0301 (2)');
    expect(names.claim('Messages.JSON', { keepExtension: true })).toBe('Messages (2).JSON');
  });
});

describe('attachment names', () => {
  const media = (type: Message['type'], t: number, extra: object = {}): Message =>
    ({
      id: `false_1@c.us_${type}${t}`,
      chatId: '1@c.us',
      timestamp: t,
      fromMe: false,
      type,
      media: { mimetype: 'application/octet-stream', status: 'stored', ...extra },
    }) as Message;
  const day1 = Date.UTC(2021, 3, 28, 9) / 1000;
  const day2 = Date.UTC(2021, 3, 29, 9) / 1000;

  it('numbers per prefix and day, as WhatsApp does', () => {
    const namer = createAttachmentNamer(createArchiveClock(), new UniqueNames());
    expect(namer.nameFor(media('image', day1, { mimetype: 'image/jpeg' }))).toBe('IMG-20210428-WA0001.jpg');
    expect(namer.nameFor(media('image', day1 + 60, { mimetype: 'image/png' }))).toBe(
      'IMG-20210428-WA0002.png',
    );
    expect(namer.nameFor(media('video', day1, { mimetype: 'video/mp4' }))).toBe('VID-20210428-WA0001.mp4');
    expect(namer.nameFor(media('gif', day1, { mimetype: 'video/mp4', isGif: true }))).toBe(
      'VID-20210428-WA0002.mp4',
    );
    expect(namer.nameFor(media('image', day2, { mimetype: 'image/jpeg' }))).toBe('IMG-20210429-WA0001.jpg');
    expect(namer.nameFor(media('ptt', day2, { mimetype: 'audio/ogg; codecs=opus' }))).toBe(
      'PTT-20210429-WA0001.opus',
    );
    expect(namer.nameFor(media('audio', day2, { mimetype: 'audio/mpeg' }))).toBe('AUD-20210429-WA0001.mp3');
    expect(namer.nameFor(media('sticker', day2, { mimetype: 'image/webp' }))).toBe(
      'STK-20210429-WA0001.webp',
    );
    expect(
      namer.nameFor(media('document', day2, { mimetype: 'application/pdf', filename: 'Invoice: 04.pdf' })),
    ).toBe('DOC-20210429-WA0001-Invoice_ 04.pdf');
    expect(namer.nameFor(media('document', day2, { mimetype: 'application/pdf' }))).toBe(
      'DOC-20210429-WA0002.pdf',
    );
  });

  it('picks extensions from the MIME type', () => {
    expect(extensionFor('audio', 'audio/ogg; codecs=opus')).toBe('opus');
    expect(extensionFor('audio', 'audio/mp4')).toBe('m4a');
    expect(extensionFor('image', 'image/unknown')).toBe('jpg');
    expect(extensionFor('document', 'application/x-thing')).toBe('bin');
  });
});

describe('names of people and chats', () => {
  const names = createNameBook({
    account: { id: '1@c.us', name: 'Me' },
    contacts: {
      '2@c.us': { name: 'Ana', pushname: 'ana', phone: '+2' },
      '3@c.us': { pushname: 'bob' },
      '4@c.us': { phone: '+44' },
    },
  });
  const chat = { id: '9@c.us', kind: 'individual', completeness: {} } as Chat;

  it('follows the schema rule: name, push name, phone, JID user part', () => {
    expect(names.person('2@c.us')).toBe('Ana');
    expect(names.person('3@c.us')).toBe('bob');
    expect(names.person('4@c.us')).toBe('+44');
    expect(names.person('5@c.us')).toBe('5');
    expect(names.person('1@c.us')).toBe('Me');
    expect(names.personOrYou('1@c.us')).toBe('You');
    expect(names.chatTitle(chat)).toBe('9');
  });

  it('names authors, keeping the collected name for senders outside the contacts', () => {
    const message = (fields: Partial<Message>) => ({ fromMe: false, ...fields }) as Message;
    expect(names.author(message({ fromMe: true }), chat)).toBe('Me');
    expect(names.author(message({ senderId: '2@c.us', senderName: 'Old' }), chat)).toBe('Ana');
    expect(names.author(message({ senderId: '7@c.us', senderName: 'Seen' }), chat)).toBe('Seen');
    expect(names.author(message({}), chat)).toBe('9');
  });
});
