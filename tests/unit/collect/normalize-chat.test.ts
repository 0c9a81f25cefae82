import { describe, expect, it } from 'vitest';
import { createMessageExtras, flattenReactions } from '@/utils/collect/message-extras';
import { moreHistoryOnPhone, normalizeChat } from '@/utils/collect/normalize-chat';
import { createPeople } from '@/utils/collect/people';
import { parseChat, parseContacts } from '@/utils/schema/validate';
import { FakeCollection, FakeMsgKey, wid } from './fakes';

const ME = '4915100000001@c.us';
const ANA = '4915100000002@c.us';
const LID = '123456789012345@lid';
const HIDDEN = '987654321098765@lid';
const GROUP = '120363041234567890@g.us';

const contacts = new FakeCollection([
  { id: wid(ANA), name: 'Ana', pushname: 'ana' },
  { id: wid(LID), pushname: 'Lia' },
  { id: wid(HIDDEN), pushname: 'Ghost' },
  { id: wid(ME), pushname: 'Alex' },
  { id: wid(GROUP), name: 'Hikers', isGroup: true },
]);
// The LID cache knows Lia's number, not Ghost's.
const lidCache = {
  getPhoneNumber: (lid: unknown) => (String(lid) === LID ? wid('4915100000003@c.us') : undefined),
};
const people = createPeople({ contacts, lidCache, me: ME, meName: 'Alex' });

describe('people', () => {
  it('gives the canonical contact map, with @lid numbers from the LID cache', () => {
    const map = people.contacts();
    expect(map).toEqual({
      [ANA]: { name: 'Ana', pushname: 'ana', phone: '+4915100000002' },
      [LID]: { pushname: 'Lia', phone: '+4915100000003', phoneJid: '4915100000003@c.us' },
      [HIDDEN]: { pushname: 'Ghost' },
      [ME]: { pushname: 'Alex', phone: '+4915100000001' },
    });
    expect(parseContacts(map, { unknownKeys: 'reject' }).ok).toBe(true);
    expect(people.account).toEqual({ id: ME, name: 'Alex' });
  });
});

describe('normalizeChat', () => {
  it('reads an individual chat with its flags', () => {
    const chat = normalizeChat(
      {
        id: wid(ANA),
        formattedTitle: 'Ana',
        archive: true,
        pin: 1_700_000_000,
        muteExpiration: -1,
        ephemeralDuration: 604800,
        endOfHistoryTransferType: 1,
      },
      people,
    );
    expect(chat).toEqual({
      id: ANA,
      kind: 'individual',
      name: 'Ana',
      archived: true,
      pinned: true,
      muted: true,
      ephemeralDuration: 604800,
      completeness: {
        moreHistoryOnPhone: false,
        source: 'modules',
        expiredMedia: 0,
        failedMedia: 0,
        skippedMedia: 0,
      },
    });
  });

  it('reads a group with participants sorted, roles, names and @lid phone numbers', () => {
    const participants = new FakeCollection([
      { id: wid(LID), isAdmin: true, isSuperAdmin: true },
      { id: wid(ME), isAdmin: false, isSuperAdmin: false },
      { id: wid(HIDDEN), isAdmin: true, isSuperAdmin: false },
      { id: wid(ANA), isAdmin: false, isSuperAdmin: false },
    ]);
    const chat = normalizeChat(
      { id: wid(GROUP), formattedTitle: 'Hikers', endOfHistoryTransferType: 0, muteExpiration: 0 },
      people,
      {
        groupMetadata: {
          subject: 'Hikers',
          desc: 'Up we go',
          owner: wid(LID),
          creation: 1_600_000_000,
          participants,
        },
      },
    );
    expect(chat?.group).toEqual({
      subject: 'Hikers',
      description: 'Up we go',
      ownerId: LID,
      createdAt: 1_600_000_000,
      participants: [
        { id: LID, name: 'Lia', phone: '+4915100000003', role: 'superadmin' },
        { id: ANA, name: 'Ana', phone: '+4915100000002', role: 'member' },
        // Our own entry has our number but no name for ourselves.
        { id: ME, phone: '+4915100000001', role: 'member' },
        { id: HIDDEN, name: 'Ghost', role: 'admin' },
      ].sort((a, b) => (a.id < b.id ? -1 : 1)),
    });
    expect(chat?.completeness.moreHistoryOnPhone).toBe(true);
    expect(chat?.muted).toBeUndefined();
    expect(parseChat(chat, { unknownKeys: 'reject' }).ok).toBe(true);
  });

  it('says more history is on the phone for transfer types 0 and 2 only', () => {
    expect(
      [0, 1, 2, 3, undefined].map((value) => moreHistoryOnPhone({ endOfHistoryTransferType: value })),
    ).toEqual([true, false, true, false, false]);
  });

  it('skips a chat without a usable id', () => {
    expect(normalizeChat({ id: 'not a jid' }, people)).toBeUndefined();
  });
});

describe('reactions and votes', () => {
  it('keeps one reaction per sender, their latest, sorted; an empty text removes it', () => {
    const aggregates = [
      {
        aggregateEmoji: '❤️',
        senders: [
          { reactionText: '❤️', senderUserJid: ANA, timestamp: 10 },
          { reactionText: '❤️', senderUserJid: LID, timestamp: 30 },
        ],
      },
      {
        aggregateEmoji: '👍',
        senders: [
          { reactionText: '👍', senderUserJid: ANA, timestamp: 20 },
          { reactionText: '', senderUserJid: LID, timestamp: 40 },
          { reactionText: '😀', senderUserJid: ME, timestamp: 5 },
        ],
      },
    ];
    expect(flattenReactions(aggregates)).toEqual([
      { emoji: '😀', senderId: ME, timestampMs: 5 },
      { emoji: '👍', senderId: ANA, timestampMs: 20 },
    ]);
  });

  it('reads reactions from the collection, and asks it only for messages that have some', async () => {
    const asked: string[] = [];
    const reactions = {
      get: () => undefined,
      find: async (id: string) => {
        asked.push(id);
        return {
          reactions: {
            serialize: () => [{ senders: [{ reactionText: '🎉', senderUserJid: ANA, timestamp: 1 }] }],
          },
        };
      },
    };
    const extras = createMessageExtras({ reactions });
    await extras.prefetchReactions([
      { id: 'a', model: { hasReaction: true } },
      { id: 'b', model: { hasReaction: false } },
    ]);
    expect(asked).toEqual(['a']);
    expect(extras.reactionsOf('a', {})).toEqual([{ emoji: '🎉', senderId: ANA, timestampMs: 1 }]);
    expect(extras.reactionsOf('b', {})).toBeUndefined();
  });

  it('indexes poll votes by poll, one per voter, and re-indexes when votes arrive', () => {
    const poll = `true_${GROUP}_POLL`;
    const votes = new FakeCollection([
      {
        id: new FakeMsgKey(false, GROUP, 'V1', ANA),
        parentMsgKey: poll,
        sender: wid(ANA),
        senderTimestampMs: 5,
        selectedOptionLocalIds: [1, 1],
      },
    ]);
    const extras = createMessageExtras({ pollVotes: votes });
    expect(extras.votesOf(poll)).toEqual([{ voterId: ANA, optionIds: [1], timestampMs: 5 }]);
    votes.models.push({
      id: new FakeMsgKey(false, GROUP, 'V2', ANA),
      parentMsgKey: poll,
      sender: wid(ANA),
      senderTimestampMs: 9,
      selectedOptionLocalIds: [0],
    });
    expect(extras.votesOf(poll)).toEqual([{ voterId: ANA, optionIds: [0], timestampMs: 9 }]);
    expect(extras.votesOf('true_x@c.us_NONE')).toBeUndefined();
  });
});
