import { describe, expect, expectTypeOf, it } from 'vitest';
import type * as z from 'zod';
import { formatJsonPath, isSchemaError, type SchemaError } from '@/utils/schema/schema-error';
import type { Chat, Contact, Dataset, MediaRef, Message } from '@/utils/schema/types';
import {
  parseChat,
  parseContacts,
  parseDataset,
  parseDatasetOrThrow,
  parseMessage,
  type schemas,
  type strictSchemas,
} from '@/utils/schema/validate';

const ME = '4915100000001@c.us';
const ANA = '4915100000002@c.us';
const LID = '123456789012345@lid';
const GROUP = '120363000000000001@g.us';
const FILEHASH = 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=';

/** A small dataset that uses every payload kind once; tests break copies of it. */
function validDataset(): Dataset {
  const completeness = {
    moreHistoryOnPhone: false,
    source: 'modules',
    expiredMedia: 0,
    failedMedia: 0,
    skippedMedia: 0,
  } as const;
  return {
    format: 'chatvault-dataset',
    version: 1,
    exportedAt: 1_700_000_000,
    account: { id: ME, name: 'Me' },
    contacts: {
      [ANA]: { name: 'Ana', pushname: 'ana', phone: '+4915100000002' },
      [LID]: { pushname: 'Lid person', phone: '+4915100000003', phoneJid: '4915100000003@c.us' },
    },
    chats: [
      {
        id: GROUP,
        kind: 'group',
        name: 'Family',
        group: {
          subject: 'Family',
          ownerId: ME,
          createdAt: 1_600_000_000,
          participants: [
            { id: LID, name: 'Lid person', phone: '+4915100000003', role: 'admin' },
            { id: ME, role: 'superadmin' },
            { id: ANA, name: 'Ana', role: 'member' },
          ],
        },
        completeness: { ...completeness, expiredMedia: 1 },
      },
      { id: ANA, kind: 'individual', name: 'Ana', pinned: true, completeness },
    ],
    messages: [
      {
        id: `false_${GROUP}_A1_${ANA}`,
        chatId: GROUP,
        timestamp: 1_650_000_000,
        fromMe: false,
        senderId: ANA,
        type: 'image',
        text: 'caption',
        media: {
          filehash: FILEHASH,
          mimetype: 'image/jpeg',
          size: 1234,
          width: 10,
          height: 20,
          status: 'stored',
        },
        reactions: [
          { emoji: '👍🏽', senderId: LID, timestampMs: 1_650_000_001_000 },
          { emoji: '❤️', senderId: ME, timestampMs: 1_650_000_002_000 },
        ],
      },
      {
        id: `false_${GROUP}_A2_${LID}`,
        chatId: GROUP,
        timestamp: 1_650_000_000,
        fromMe: false,
        senderId: LID,
        type: 'poll',
        poll: {
          question: 'When?',
          options: [
            { id: 0, name: 'Sat' },
            { id: 1, name: 'Sun' },
          ],
          selectableCount: 1,
          votes: [{ voterId: ANA, optionIds: [1] }],
        },
      },
      {
        id: `false_${GROUP}_A3`,
        chatId: GROUP,
        timestamp: 1_650_000_100,
        fromMe: false,
        type: 'system',
        rawType: 'gp2',
        system: { subtype: 'group-add', actorId: ME, participantIds: [ANA] },
      },
      {
        id: `true_${GROUP}_A4`,
        chatId: GROUP,
        timestamp: 1_650_000_200,
        fromMe: true,
        senderId: ME,
        type: 'ptt',
        media: {
          filehash: FILEHASH,
          mimetype: 'audio/ogg; codecs=opus',
          duration: 3,
          status: 'expired',
          reason: 'gone',
        },
      },
      {
        id: `false_${ANA}_B1`,
        chatId: ANA,
        timestamp: 1_650_000_000,
        fromMe: false,
        senderId: ANA,
        type: 'chat',
        text: 'hi',
        quoted: { id: `true_${ANA}_OUTSIDE`, senderId: ME, preview: 'older', type: 'chat' },
        edit: { editedAtMs: 1_650_000_010_000, previousVersions: [{ text: 'hu' }] },
      },
      {
        id: `true_${ANA}_B2`,
        chatId: ANA,
        timestamp: 1_650_000_300,
        fromMe: true,
        senderId: ME,
        type: 'location',
        location: { lat: 48.1, lng: 11.5, name: 'Home' },
      },
      {
        id: `true_${ANA}_B3`,
        chatId: ANA,
        timestamp: 1_650_000_400,
        fromMe: true,
        type: 'vcard',
        contactCards: [{ displayName: 'Bob', vcard: 'BEGIN:VCARD\nEND:VCARD' }],
      },
      {
        id: `false_${ANA}_B4`,
        chatId: ANA,
        timestamp: 1_650_000_500,
        fromMe: false,
        type: 'revoked',
        deletion: { kind: 'everyone', byId: ANA, deletedAt: 1_650_000_600 },
      },
    ],
  };
}

function expectInvalid(
  value: unknown,
  path: (string | number)[],
  message: RegExp | string,
  options = {},
): SchemaError {
  const result = parseDataset(value, options);
  if (result.ok) throw new Error('expected the dataset to be rejected');
  expect(result.error.code).toBe('invalid');
  const issue = result.error.issues.find((i) => formatJsonPath(i.path) === formatJsonPath(path));
  expect(issue, `no issue at ${formatJsonPath(path)}; got ${result.error.message}`).toBeDefined();
  expect(issue!.message).toMatch(message);
  expect(result.error.message).toContain(formatJsonPath(path));
  return result.error;
}

function messageAt(dataset: Dataset, index: number): Message {
  return dataset.messages[index]!;
}

describe('parseDataset', () => {
  it('accepts a valid dataset and returns a copy', () => {
    const dataset = validDataset();
    const result = parseDataset(dataset);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toEqual(dataset);
    expect(result.value).not.toBe(dataset);
    expect(parseDatasetOrThrow(dataset)).toEqual(dataset);
  });

  it('keeps unknown members by default and rejects them in strict mode', () => {
    const dataset = validDataset() as Dataset & { futureField?: unknown };
    dataset.futureField = { x: 1 };
    (messageAt(dataset, 0) as Message & { newThing?: string }).newThing = 'kept';
    const kept = parseDataset(dataset);
    expect(kept.ok && (kept.value as typeof dataset).futureField).toEqual({ x: 1 });
    expect(kept.ok && (kept.value.messages[0] as Message & { newThing?: string }).newThing).toBe('kept');
    expectInvalid(dataset, ['messages', 0], /unknown member\(s\) "newThing"/, { unknownKeys: 'reject' });
    expectInvalid(dataset, [], /unknown member\(s\) "futureField"/, { unknownKeys: 'reject' });
  });

  it('refuses a newer version before looking at anything else', () => {
    const result = parseDataset({ ...validDataset(), version: 2, messages: 'whatever' });
    expect(!result.ok && result.error.code).toBe('unsupported-version');
    expect(!result.ok && result.error.message).toMatch(/version 2; this reader only knows version 1/);
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a string', 'chatvault-dataset'],
    ['an object without format', { version: 1 }],
    ['another format', { format: 'whatsapp-export', version: 1 }],
  ])('says %s is not a dataset', (_name, value) => {
    const result = parseDataset(value);
    expect(!result.ok && result.error.code).toBe('not-a-dataset');
  });

  it('rejects version 0 and fractional versions as invalid', () => {
    expectInvalid({ ...validDataset(), version: 0 }, ['version'], /expected 1/i);
    expectInvalid({ ...validDataset(), version: 1.5 }, ['version'], /expected 1/i);
  });

  it('lists every structural problem with its JSON path', () => {
    const dataset = validDataset() as unknown as Record<string, unknown> & Dataset;
    const first = messageAt(dataset, 0) as unknown as Record<string, unknown>;
    delete first.chatId;
    (first.media as Record<string, unknown>).filehash = 'not a hash';
    messageAt(dataset, 4).timestamp = 1.5;
    dataset.chats[1]!.kind = 'channel' as never;
    dataset.contacts['bad jid'] = {};
    const error = expectInvalid(dataset, ['messages', 0, 'chatId'], /expected string/);
    const paths = error.issues.map((issue) => formatJsonPath(issue.path));
    expect(paths).toEqual(
      expect.arrayContaining([
        '$.messages[0].media.filehash',
        '$.messages[4].timestamp',
        '$.chats[1].kind',
        '$.contacts["bad jid"]',
      ]),
    );
  });

  it.each<[string, (d: Dataset) => void, (string | number)[], RegExp]>([
    [
      'a bad sender JID',
      (d) => {
        messageAt(d, 0).senderId = '49151@whatsapp';
      },
      ['messages', 0, 'senderId'],
      /WhatsApp JID/,
    ],
    [
      'a bad message id',
      (d) => {
        messageAt(d, 0).id = 'msg-1';
      },
      ['messages', 0, 'id'],
      /message key/,
    ],
    [
      'an unknown message type',
      (d) => {
        messageAt(d, 4).type = 'sticker_pack' as never;
      },
      ['messages', 4, 'type'],
      /Invalid option/i,
    ],
    [
      'a negative size',
      (d) => {
        messageAt(d, 0).media!.size = -1;
      },
      ['messages', 0, 'media', 'size'],
      />=0|too small/i,
    ],
    [
      'an impossible latitude',
      (d) => {
        messageAt(d, 5).location!.lat = 91;
      },
      ['messages', 5, 'location', 'lat'],
      /<=90|too big/i,
    ],
    [
      'a bad phone',
      (d) => {
        d.contacts[ANA]!.phone = '0151 123';
      },
      ['contacts', ANA, 'phone'],
      /E\.164/,
    ],
    [
      'a bad mimetype',
      (d) => {
        messageAt(d, 0).media!.mimetype = 'jpeg';
      },
      ['messages', 0, 'media', 'mimetype'],
      /MIME type/,
    ],
    [
      'a bad system subtype',
      (d) => {
        messageAt(d, 2).system!.subtype = 'Group Add';
      },
      ['messages', 2, 'system', 'subtype'],
      /kebab-case/,
    ],
    [
      'an empty reaction',
      (d) => {
        messageAt(d, 0).reactions![0]!.emoji = '';
      },
      ['messages', 0, 'reactions', 0, 'emoji'],
      /too small|>=1/i,
    ],
  ])('rejects %s', (_name, breakIt, path, message) => {
    const dataset = validDataset();
    breakIt(dataset);
    expectInvalid(dataset, path, message);
  });

  it.each<[string, (d: Dataset) => void, (string | number)[], RegExp]>([
    [
      'a fromMe flag that contradicts the id',
      (d) => {
        messageAt(d, 3).fromMe = false;
      },
      ['messages', 3, 'fromMe'],
      /message id starts with true/,
    ],
    [
      'a media message without media',
      (d) => {
        delete messageAt(d, 0).media;
      },
      ['messages', 0, 'media'],
      /must have media/,
    ],
    [
      'media on a text message',
      (d) => {
        messageAt(d, 4).media = { ...(messageAt(d, 0).media as MediaRef) };
      },
      ['messages', 4, 'media'],
      /only allowed for the media types/,
    ],
    [
      'a poll without poll data',
      (d) => {
        delete messageAt(d, 1).poll;
      },
      ['messages', 1, 'poll'],
      /must have poll/,
    ],
    [
      'a system message without an event',
      (d) => {
        delete messageAt(d, 2).system;
      },
      ['messages', 2, 'system'],
      /must have system/,
    ],
    [
      'a vcard with two cards',
      (d) => {
        messageAt(d, 6).contactCards!.push({ displayName: 'x', vcard: 'y' });
      },
      ['messages', 6, 'contactCards'],
      /exactly one/,
    ],
    [
      'a revoked message with text',
      (d) => {
        messageAt(d, 7).text = 'secret';
      },
      ['messages', 7, 'text'],
      /no text left/,
    ],
    [
      'a revoked message without deletion',
      (d) => {
        delete messageAt(d, 7).deletion;
      },
      ['messages', 7, 'deletion'],
      /how it was deleted/,
    ],
    [
      'stored media without a filehash',
      (d) => {
        delete messageAt(d, 0).media!.filehash;
      },
      ['messages', 0, 'media', 'filehash'],
      /stored media must have a filehash/,
    ],
    [
      'missing media without a reason',
      (d) => {
        delete messageAt(d, 3).media!.reason;
      },
      ['messages', 3, 'media', 'reason'],
      /say why/,
    ],
    [
      'isGif on an image',
      (d) => {
        messageAt(d, 0).media!.isGif = true;
      },
      ['messages', 0, 'media', 'isGif'],
      /exactly for gif/,
    ],
    [
      'two reactions from one sender',
      (d) => {
        messageAt(d, 0).reactions![1]!.senderId = LID;
      },
      ['messages', 0, 'reactions', 1, 'senderId'],
      /duplicate senderId/,
    ],
    [
      'unsorted reactions',
      (d) => messageAt(d, 0).reactions!.reverse(),
      ['messages', 0, 'reactions', 1, 'senderId'],
      /must be sorted/,
    ],
    [
      'a vote for an unknown option',
      (d) => {
        messageAt(d, 1).poll!.votes![0]!.optionIds = [7];
      },
      ['messages', 1, 'poll', 'votes', 0, 'optionIds'],
      /unknown option id\(s\) 7/,
    ],
    [
      'too many choices in a single-choice poll',
      (d) => {
        messageAt(d, 1).poll!.votes![0]!.optionIds = [0, 1];
      },
      ['messages', 1, 'poll', 'votes', 0, 'optionIds'],
      /more than selectableCount/,
    ],
    [
      'duplicate message ids',
      (d) => {
        messageAt(d, 5).id = messageAt(d, 4).id;
      },
      ['messages', 5, 'id'],
      /duplicate message id/,
    ],
    [
      'unsorted messages',
      (d) => {
        messageAt(d, 5).timestamp = 1;
      },
      ['messages', 5],
      /sorted by \(chatId, timestamp, id\)/,
    ],
    [
      'a message in an unknown chat',
      (d) =>
        void d.messages.push({
          ...messageAt(d, 7),
          id: 'false_4915199999999@c.us_Z',
          chatId: '4915199999999@c.us',
        }),
      ['messages', 8, 'chatId'],
      /no chat with id/,
    ],
    ['unsorted chats', (d) => d.chats.reverse(), ['chats', 1, 'id'], /must be sorted/],
    [
      'a kind that contradicts the chat id',
      (d) => {
        d.chats[1]!.kind = 'group';
      },
      ['chats', 1, 'kind'],
      /is of kind individual/,
    ],
    [
      'group info on an individual chat',
      (d) => {
        d.chats[1]!.group = { subject: 'x', participants: [] };
      },
      ['chats', 1, 'group'],
      /only allowed for group chats/,
    ],
    [
      'a participant listed twice',
      (d) => {
        d.chats[0]!.group!.participants[1]!.id = LID;
      },
      ['chats', 0, 'group', 'participants', 1, 'id'],
      /duplicate id/,
    ],
    [
      'wrong media counts',
      (d) => {
        d.chats[0]!.completeness.expiredMedia = 0;
      },
      ['chats', 0, 'completeness', 'expiredMedia'],
      /says 0 but the chat's messages have 1/,
    ],
    [
      'phoneJid on a phone contact',
      (d) => {
        d.contacts[ANA]!.phoneJid = ANA;
      },
      ['contacts', ANA, 'phoneJid'],
      /@lid ids only/,
    ],
  ])('rejects %s (cross-field rule)', (_name, breakIt, path, message) => {
    const dataset = validDataset();
    breakIt(dataset);
    expectInvalid(dataset, path, message);
  });

  it('validates without modifying its input', () => {
    const dataset = validDataset();
    const before = JSON.stringify(dataset);
    parseDataset(dataset);
    parseDataset({ ...dataset, version: 3 });
    expect(JSON.stringify(dataset)).toBe(before);
  });

  it('throws SchemaError from the OrThrow form and for bad options', () => {
    expect(() => parseDatasetOrThrow({ format: 'chatvault-dataset', version: 1 })).toThrow(/\$\.exportedAt/);
    try {
      parseDataset(validDataset(), { unknownKeys: 'drop' as never });
      expect.unreachable();
    } catch (error) {
      expect(isSchemaError(error, 'invalid-argument')).toBe(true);
    }
  });
});

describe('parsing parts of a dataset', () => {
  it('parses single messages, chats and contact maps with the rules that apply to them alone', () => {
    const dataset = validDataset();
    expect(parseMessage(messageAt(dataset, 0)).ok).toBe(true);
    expect(parseChat(dataset.chats[0]).ok).toBe(true);
    expect(parseContacts(dataset.contacts).ok).toBe(true);

    const badMessage = parseMessage({ ...messageAt(dataset, 0), type: 'chat' });
    expect(!badMessage.ok && badMessage.error.issues.map((i) => formatJsonPath(i.path))).toContain('$.media');
    const badChat = parseChat({ ...dataset.chats[1], kind: 'newsletter' });
    expect(!badChat.ok && badChat.error.issues[0]!.path).toEqual(['kind']);
    const badContacts = parseContacts({ [ANA]: { phoneJid: LID } });
    expect(!badContacts.ok && badContacts.error.issues[0]!.path).toEqual([ANA, 'phoneJid']);
  });

  it('rejects unknown members of a single message in strict mode (the page boundary)', () => {
    const result = parseMessage(
      { ...messageAt(validDataset(), 4), collectorDebug: 1 },
      { unknownKeys: 'reject' },
    );
    expect(!result.ok && result.error.issues[0]!.message).toMatch(/unknown member\(s\) "collectorDebug"/);
  });
});

describe('zod schemas mirror the TypeScript types', () => {
  it('infers exactly the declared types', () => {
    expectTypeOf<z.output<typeof schemas.dataset>>().toEqualTypeOf<Dataset>();
    expectTypeOf<z.output<typeof strictSchemas.dataset>>().toEqualTypeOf<Dataset>();
    expectTypeOf<z.output<typeof schemas.message>>().toEqualTypeOf<Message>();
    expectTypeOf<z.output<typeof schemas.chat>>().toEqualTypeOf<Chat>();
    expectTypeOf<z.output<typeof schemas.contact>>().toEqualTypeOf<Contact>();
    expectTypeOf<z.output<typeof schemas.media>>().toEqualTypeOf<MediaRef>();
  });
});
