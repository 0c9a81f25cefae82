import { describe, expect, it } from 'vitest';
import { createArchive } from '@/utils/archive/archive';
import { createArchiveClock } from '@/utils/archive/clock';
import { type ExportContext, exportMessage } from '@/utils/archive/export-text';
import { createNameBook } from '@/utils/archive/names';
import type { Chat, Dataset, Message } from '@/utils/schema/types';

/**
 * The WhatsApp Android export text, message by message, against hand-written expectations
 * (docs/ARCHIVE.md §4) — no parser involved, so these hold even if the parser's reading of the
 * format changes.
 */
const ME = '4915100000001@c.us';
const ANA = '4915100000002@c.us';
const BOB = '4915100000003@c.us';
const GROUP = '120363000000000009@g.us';
const T = 1_650_000_000; // 15/04/2022, 05:20 UTC

const dataset: Dataset = {
  format: 'chatvault-dataset',
  version: 1,
  exportedAt: T + 86_400,
  account: { id: ME, name: 'Alex' },
  contacts: {
    [ME]: { pushname: 'Alex' },
    [ANA]: { name: 'Ana: Work', pushname: 'ana' },
    [BOB]: { pushname: 'Bob\nSmith' },
  },
  chats: [
    {
      id: GROUP,
      kind: 'group',
      name: 'Trip: Lisbon',
      group: { subject: 'Trip: Lisbon', participants: [{ id: ANA, role: 'admin' }] },
      completeness: {
        moreHistoryOnPhone: false,
        source: 'modules',
        expiredMedia: 1,
        failedMedia: 0,
        skippedMedia: 0,
      },
    },
  ],
  messages: [],
};
const chat = dataset.chats[0] as Chat;

function message(n: number, fields: Partial<Message>): Message {
  const fromMe = fields.fromMe ?? false;
  return {
    id: `${fromMe}_${GROUP}_M${n}${fromMe ? '' : `_${ANA}`}`,
    chatId: GROUP,
    timestamp: T + n * 60,
    fromMe,
    ...(fromMe ? { senderId: ME } : { senderId: ANA }),
    type: 'chat',
    ...fields,
  } as Message;
}

const byId = new Map<string, Message>();
const context: ExportContext = {
  clock: createArchiveClock(),
  names: createNameBook(dataset),
  chat,
  messageById: (id) => byId.get(id),
};

describe('WhatsApp export text', () => {
  it('writes the Android line with a colon-free author', () => {
    expect(exportMessage(message(0, { text: 'Hi!' }), {}, context)).toBe(
      '15/04/2022, 05:20 - Ana꞉ Work: Hi!',
    );
    expect(exportMessage(message(1, { senderId: BOB, text: 'yo' }), {}, context)).toBe(
      '15/04/2022, 05:21 - Bob Smith: yo',
    );
    expect(exportMessage(message(2, { fromMe: true, text: 'me' }), {}, context)).toBe(
      '15/04/2022, 05:22 - Alex: me',
    );
  });

  it('keeps multi-line text and guards lines that look like new messages or markers', () => {
    const text = 'first\n12/03/2024, 10:00 - Bob: fake\r\n<Media omitted>\nlast';
    expect(exportMessage(message(3, { text }), {}, context)).toBe(
      '15/04/2022, 05:23 - Ana꞉ Work: first\n\u206012/03/2024, 10:00 - Bob: fake\r\n\u2060<Media omitted>\nlast',
    );
    expect(exportMessage(message(4, { text: '<Media omitted>' }), {}, context)).toBe(
      '15/04/2022, 05:24 - Ana꞉ Work: \u2060<Media omitted>',
    );
    expect(exportMessage(message(5, { text: 'IMG-20210428-WA0001.jpg (file attached)' }), {}, context)).toBe(
      '15/04/2022, 05:25 - Ana꞉ Work: \u2060IMG-20210428-WA0001.jpg (file attached)',
    );
  });

  it('marks edits at the end and guards a text that only looks edited', () => {
    expect(exportMessage(message(6, { text: 'fixed', edit: { editedAtMs: T * 1000 } }), {}, context)).toBe(
      '15/04/2022, 05:26 - Ana꞉ Work: fixed <This message was edited>',
    );
    expect(exportMessage(message(7, { text: 'nothing <This message was edited>' }), {}, context)).toBe(
      '15/04/2022, 05:27 - Ana꞉ Work: nothing \u2060<This message was edited>',
    );
  });

  it('writes attachments, captions and <Media omitted>', () => {
    const photo = message(8, {
      type: 'image',
      text: 'Look',
      media: { mimetype: 'image/jpeg', status: 'stored', filehash: `${'A'.repeat(43)}=` },
    });
    expect(exportMessage(photo, { attachment: 'IMG-20220415-WA0001.jpg' }, context)).toBe(
      '15/04/2022, 05:28 - Ana꞉ Work: IMG-20220415-WA0001.jpg (file attached)\nLook',
    );
    const expired = message(9, {
      type: 'ptt',
      media: { mimetype: 'audio/ogg', status: 'expired', reason: 'gone' },
    });
    expect(exportMessage(expired, {}, context)).toBe('15/04/2022, 05:29 - Ana꞉ Work: <Media omitted>');
  });

  it('uses WhatsApp phrases for deletions, polls, locations and contact cards', () => {
    expect(exportMessage(message(10, { type: 'revoked', deletion: { kind: 'everyone' } }), {}, context)).toBe(
      '15/04/2022, 05:30 - Ana꞉ Work: This message was deleted',
    );
    expect(
      exportMessage(
        message(11, { fromMe: true, type: 'revoked', deletion: { kind: 'everyone' } }),
        {},
        context,
      ),
    ).toBe('15/04/2022, 05:31 - Alex: You deleted this message');
    const poll = message(12, {
      type: 'poll',
      poll: {
        question: 'Where?',
        options: [
          { id: 0, name: 'Pizza' },
          { id: 1, name: 'Sushi' },
        ],
        selectableCount: 0,
        votes: [
          { voterId: ANA, optionIds: [0, 1] },
          { voterId: BOB, optionIds: [1] },
        ],
      },
    });
    expect(exportMessage(poll, {}, context)).toBe(
      '15/04/2022, 05:32 - Ana꞉ Work: POLL:\nWhere?\nOPTION: Pizza (1 vote)\nOPTION: Sushi (2 votes)',
    );
    const place = message(13, { type: 'location', location: { lat: 38.71, lng: -9.13, name: 'Praça' } });
    expect(exportMessage(place, {}, context)).toBe(
      '15/04/2022, 05:33 - Ana꞉ Work: location: https://maps.google.com/?q=38.71,-9.13\nPraça',
    );
    const cards = message(14, {
      type: 'multi_vcard',
      contactCards: [
        { displayName: 'Mom', vcard: 'BEGIN:VCARD\nEND:VCARD' },
        { displayName: 'Dad', vcard: 'BEGIN:VCARD\nEND:VCARD' },
      ],
    });
    expect(exportMessage(cards, { contactCards: ['Mom.vcf', 'Dad.vcf'] }, context)).toBe(
      '15/04/2022, 05:34 - Ana꞉ Work: Mom.vcf (file attached)\nDad.vcf (file attached)',
    );
  });

  it('adds replies, reactions and kept deleted texts as <…> lines after the message', () => {
    const original = message(15, { text: 'Where are you?\nI am here' });
    byId.set(original.id, original);
    const reply = message(16, {
      senderId: BOB,
      text: 'Coming',
      quoted: { id: original.id, senderId: ANA },
      reactions: [
        { emoji: '❤️', senderId: ANA, timestampMs: 1 },
        { emoji: '👍', senderId: ME, timestampMs: 2 },
      ],
      deletion: { kind: 'admin', byId: ANA },
    });
    expect(exportMessage(reply, {}, context)).toBe(
      [
        '15/04/2022, 05:36 - Bob Smith: Coming',
        '<This message was deleted by admin Ana꞉ Work>',
        '<Reply to Ana꞉ Work: Where are you? I am here>',
        '<Reactions: ❤️ Ana꞉ Work, 👍 You>',
      ].join('\n'),
    );
  });

  it('writes system events as lines without an author, never with ": "', () => {
    const system = (n: number, event: Message['system']) =>
      exportMessage(message(n, { type: 'system', system: event, senderId: undefined }), {}, context);
    expect(system(17, { subtype: 'group-add', actorId: ME, participantIds: [ANA, BOB] })).toBe(
      '15/04/2022, 05:37 - You added Ana꞉ Work and Bob Smith',
    );
    expect(system(18, { subtype: 'group-subject', actorId: ANA, value: 'Trip: Porto' })).toBe(
      '15/04/2022, 05:38 - Ana꞉ Work changed the group name to "Trip꞉ Porto"',
    );
    expect(system(19, { subtype: 'call-missed-voice', actorId: BOB })).toBe(
      '15/04/2022, 05:39 - Missed voice call from Bob Smith',
    );
    expect(system(20, { subtype: 'ephemeral-setting', actorId: ANA, value: '604800' })).toBe(
      "15/04/2022, 05:40 - Ana꞉ Work turned on disappearing messages. New messages will disappear from this chat 7 days after they're sent.",
    );
    expect(system(21, { subtype: 'brand-new-thing' })).toBe(
      '15/04/2022, 05:41 - System event꞉ brand-new-thing',
    );
  });

  it('writes a whole chat: one line per message start, no line break after the last', async () => {
    const messages = [
      message(0, { text: 'one' }),
      message(1, { type: 'image', media: { mimetype: 'image/jpeg', status: 'expired', reason: 'old' } }),
      message(2, { fromMe: true, text: 'two\nlines' }),
    ];
    const archive = createArchive({
      dataset: { ...dataset, messages },
      readMedia: async () => {
        throw new Error('no media in this test');
      },
    });
    let text = '';
    for await (const entry of archive) {
      if (!entry.path.startsWith('chats/') || !entry.path.endsWith('.txt')) continue;
      expect(entry.path).toBe('chats/Trip_ Lisbon/WhatsApp Chat with Trip_ Lisbon.txt');
      const decoder = new TextDecoder();
      for await (const piece of entry.content as AsyncIterable<Uint8Array>)
        text += decoder.decode(piece, { stream: true });
    }
    expect(text).toBe(
      '15/04/2022, 05:20 - Ana꞉ Work: one\n15/04/2022, 05:21 - Ana꞉ Work: <Media omitted>\n15/04/2022, 05:22 - Alex: two\nlines',
    );
  });
});
