import { describe, expect, it } from 'vitest';
import {
  canonicalType,
  type MessageContext,
  normalizeMessage,
  truncate,
} from '@/utils/collect/normalize-message';
import { createPeople } from '@/utils/collect/people';
import { parseMessage } from '@/utils/schema/validate';
import { FakeCollection, FakeMsgKey, wid } from './fakes';

const ME = '4915100000001@c.us';
const ANA = '4915100000002@c.us';
const LID = '123456789012345@lid';
const GROUP = '120363041234567890@g.us';

const contacts = new FakeCollection([
  { id: wid(ANA), name: 'Ana', pushname: 'ana' },
  { id: wid(LID), pushname: 'Lia', phoneNumber: wid('4915100000003@c.us') },
  { id: wid(ME), pushname: 'Alex' },
]);
const people = createPeople({ contacts, me: ME, meName: 'Alex' });
const context = (chatId: string, extra: Partial<MessageContext> = {}): MessageContext => ({
  chatId,
  people,
  ...extra,
});

/** Normalises and checks the result against the canonical schema (as the background will). */
function normalize(model: Record<string, unknown>, ctx: MessageContext) {
  const result = normalizeMessage(model, ctx);
  expect(result).toBeDefined();
  const parsed = parseMessage(result!.message, { unknownKeys: 'reject' });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error.issues));
  return result!;
}

describe('normalizeMessage', () => {
  it('reads a text message with every common field, keyed by MsgKey.toString()', () => {
    const { message } = normalize(
      {
        id: new FakeMsgKey(true, ANA, '3EB0AA01'),
        t: 1_650_000_000,
        type: 'chat',
        body: 'Hi 👋',
        from: wid(ME),
        ack: 3,
        isForwarded: true,
        forwardingScore: 5,
        star: true,
        isEphemeral: true,
        latestEditSenderTimestampMs: 1_650_000_030_000,
      },
      context(ANA),
    );
    expect(message).toEqual({
      id: `true_${ANA}_3EB0AA01`,
      chatId: ANA,
      timestamp: 1_650_000_000,
      fromMe: true,
      senderId: ME,
      senderName: 'Alex',
      type: 'chat',
      text: 'Hi 👋',
      deliveryStatus: 'read',
      ephemeral: true,
      edit: { editedAtMs: 1_650_000_030_000 },
      forwarded: true,
      forwardingScore: 5,
      starred: true,
    });
  });

  it('names group senders (including @lid authors) and converts @s.whatsapp.net', () => {
    const { message } = normalize(
      {
        id: { _serialized: `false_${GROUP}_ABC_${LID}` },
        t: 1,
        type: 'chat',
        body: 'x',
        author: wid(LID),
        notifyName: 'Lia!',
        ack: 1,
        mentionedJidList: ['4915100000002@s.whatsapp.net', wid(LID)],
      },
      context(GROUP),
    );
    expect(message.senderId).toBe(LID);
    expect(message.senderName).toBe('Lia!');
    expect(message.mentions).toEqual([ANA, LID]);
    // The ack of an incoming message means nothing.
    expect(message.deliveryStatus).toBeUndefined();
  });

  it('falls back from address book to notifyName to pushname to the phone number', () => {
    const nameless = '4917600000009@c.us';
    const byNumber = normalize(
      { id: `false_${nameless}_Z`, t: 1, type: 'chat', body: '' },
      context(nameless),
    );
    expect(byNumber.message.senderName).toBe('+4917600000009');
    const byContact = normalize(
      { id: `false_${ANA}_Z`, t: 1, type: 'chat', notifyName: 'ana-push' },
      context(ANA),
    );
    expect(byContact.message.senderName).toBe('Ana');
  });

  it('reads media with the facts needed to download it; a GIF is a video with isGif', () => {
    const { message, media } = normalize(
      {
        id: `false_${ANA}_GIF1`,
        t: 2,
        type: 'video',
        isGif: true,
        body: '/9j/thumbnail',
        caption: 'lol',
        mimetype: 'video/mp4',
        size: 1234,
        duration: 3,
        width: 320,
        height: 240,
        filehash: 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=',
        encFilehash: 'enc',
        directPath: '/v/t62.7161-24/1_n.enc',
        mediaKey: 'a2V5',
        mediaKeyTimestamp: 99,
        mediaData: { mediaStage: 'INIT' },
      },
      context(ANA),
    );
    expect(message.type).toBe('gif');
    expect(message.text).toBe('lol');
    expect(message.media).toMatchObject({
      mimetype: 'video/mp4',
      size: 1234,
      duration: 3,
      width: 320,
      isGif: true,
    });
    expect(media).toEqual({
      waType: 'video',
      viewOnce: false,
      mimetype: 'video/mp4',
      filehash: 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=',
      encFilehash: 'enc',
      directPath: '/v/t62.7161-24/1_n.enc',
      mediaKey: 'a2V5',
      mediaKeyTimestamp: 99,
      stage: 'INIT',
    });
  });

  it('keeps animated only on stickers and file names on any media', () => {
    const sticker = normalize(
      { id: `false_${ANA}_S`, t: 2, type: 'sticker', isAnimated: true, mimetype: 'image/webp' },
      context(ANA),
    );
    expect(sticker.message.media?.isAnimated).toBe(true);
    const audio = normalize(
      {
        id: `false_${ANA}_A`,
        t: 2,
        type: 'audio',
        mimetype: 'audio/mp4',
        filename: 'song.m4a',
        isAnimated: true,
      },
      context(ANA),
    );
    expect(audio.message.media).toMatchObject({ filename: 'song.m4a' });
    expect(audio.message.media?.isAnimated).toBeUndefined();
  });

  it('splits a location description into name and address', () => {
    const withAddress = normalize(
      {
        id: `false_${ANA}_L`,
        t: 3,
        type: 'location',
        lat: 52.5,
        lng: 13.4,
        loc: 'Café\nMain St 1',
        clientUrl: 'https://x',
      },
      context(ANA),
    );
    expect(withAddress.message.location).toEqual({
      lat: 52.5,
      lng: 13.4,
      name: 'Café',
      address: 'Main St 1',
      url: 'https://x',
    });
    const onlyAddress = normalize(
      { id: `false_${ANA}_L2`, t: 3, type: 'location', lat: 0, lng: 0, loc: '\nSomewhere' },
      context(ANA),
    );
    expect(onlyAddress.message.location).toEqual({ lat: 0, lng: 0, address: 'Somewhere' });
  });

  it('reads contact cards', () => {
    const one = normalize(
      { id: `false_${ANA}_V`, t: 4, type: 'vcard', body: 'BEGIN:VCARD\nEND:VCARD', vcardFormattedName: 'Bo' },
      context(ANA),
    );
    expect(one.message.contactCards).toEqual([{ displayName: 'Bo', vcard: 'BEGIN:VCARD\nEND:VCARD' }]);
    const many = normalize(
      {
        id: `false_${ANA}_M`,
        t: 4,
        type: 'multi_vcard',
        vcardList: [
          { displayName: 'A', vcard: 'a' },
          { displayName: 'B', vcard: 'b' },
        ],
      },
      context(ANA),
    );
    expect(many.message.contactCards).toHaveLength(2);
  });

  it('reads polls with their votes, sorted, and drops votes for options that do not exist', () => {
    const { message } = normalize(
      {
        id: `true_${GROUP}_P`,
        t: 5,
        type: 'poll_creation',
        pollName: 'Lunch?',
        pollOptions: [
          { name: 'Pizza', localId: 0 },
          { name: 'Sushi', localId: 1 },
        ],
        pollSelectableOptionsCount: 1,
      },
      context(GROUP, {
        votesOf: () => [
          { voterId: LID, optionIds: [1], timestampMs: 9 },
          { voterId: ANA, optionIds: [0] },
          { voterId: ME, optionIds: [7] },
        ],
      }),
    );
    expect(message.poll).toEqual({
      question: 'Lunch?',
      options: [
        { id: 0, name: 'Pizza' },
        { id: 1, name: 'Sushi' },
      ],
      selectableCount: 1,
      votes: [
        { voterId: LID, optionIds: [1], timestampMs: 9 },
        { voterId: ANA, optionIds: [0] },
      ],
    });
  });

  it('records revoked messages with who and when, admin deletions as such', () => {
    const { message } = normalize(
      {
        id: `false_${GROUP}_R_${ANA}`,
        t: 6,
        type: 'revoked',
        subtype: 'admin',
        author: wid(ANA),
        revokeSender: wid(LID),
        revokeTimestamp: 7,
      },
      context(GROUP),
    );
    expect(message).toMatchObject({
      type: 'revoked',
      rawType: 'revoked',
      deletion: { kind: 'admin', byId: LID, deletedAt: 7 },
    });
    expect(message.text).toBeUndefined();
  });

  it('turns system notices into system events (SCHEMA §5.11)', () => {
    const event = (model: Record<string, unknown>, chatId = GROUP) =>
      normalize(
        { id: `false_${chatId}_N${Math.random().toString(36).slice(2)}`, t: 8, ...model },
        context(chatId),
      ).message;
    expect(event({ type: 'gp2', subtype: 'add', author: wid(ANA), recipients: [wid(LID)] })).toMatchObject({
      type: 'system',
      rawType: 'gp2',
      system: { subtype: 'group-add', actorId: ANA, participantIds: [LID] },
    });
    expect(event({ type: 'gp2', subtype: 'subject', body: 'New name' }).system).toEqual({
      subtype: 'group-subject',
      value: 'New name',
    });
    expect(event({ type: 'gp2', subtype: 'announce' }).system).toEqual({
      subtype: 'group-settings',
      value: 'announce',
    });
    expect(event({ type: 'e2e_notification', subtype: 'encrypt' }, ANA).system).toEqual({
      subtype: 'e2e-encrypted',
    });
    expect(
      event(
        { type: 'call_log', isVideoCall: true, callOutcome: 'MISSED', callDuration: 0, author: wid(ANA) },
        ANA,
      ).system,
    ).toEqual({
      subtype: 'call-missed-video',
      actorId: ANA,
    });
    expect(event({ type: 'call_log', callOutcome: 'CONNECTED', callDuration: 42 }, ANA).system).toEqual({
      subtype: 'call-voice',
      duration: 42,
    });
    expect(
      event({ type: 'notification_template', subtype: 'disappearing_mode', templateParams: ['604800'] }, ANA)
        .system,
    ).toEqual({
      subtype: 'ephemeral-setting',
      value: '604800',
    });
    // A notice nobody knows yet keeps its own name.
    expect(
      event({ type: 'notification_template', subtype: 'pinnedMessageNotice' }, ANA).system?.subtype,
    ).toBe('pinned-message-notice');
  });

  it('keeps what it cannot interpret as unknown, with the client type', () => {
    const { message } = normalize({ id: `false_${ANA}_C`, t: 9, type: 'ciphertext' }, context(ANA));
    expect(message).toMatchObject({ type: 'unknown', rawType: 'ciphertext', senderId: ANA });
  });

  it('builds quoted ids from the parts, the participant only for others in groups', () => {
    const reply = (quotedParticipant: string, quotedMsg: Record<string, unknown>, chatId = GROUP) =>
      normalize(
        {
          id: `false_${chatId}_Q${quotedParticipant.length}_${ANA}`,
          t: 10,
          type: 'chat',
          body: 'r',
          author: wid(ANA),
          quotedStanzaID: 'ORIG',
          quotedParticipant: wid(quotedParticipant),
          quotedMsg,
        },
        context(chatId),
      ).message.quoted;
    expect(reply(LID, { type: 'chat', body: 'original' })).toEqual({
      id: `false_${GROUP}_ORIG_${LID}`,
      senderId: LID,
      preview: 'original',
      type: 'chat',
    });
    expect(reply(ME, { type: 'image', caption: 'pic' })).toEqual({
      id: `true_${GROUP}_ORIG`,
      senderId: ME,
      preview: 'pic',
      type: 'image',
    });
  });

  it('prefers the quote snapshot over the loaded message, which may have been deleted since', () => {
    const loaded = { id: new FakeMsgKey(false, ANA, 'ORIG'), type: 'revoked' };
    const quoted = normalize(
      {
        id: `false_${ANA}_Q`,
        t: 10,
        type: 'chat',
        body: 'r',
        quotedStanzaID: 'ORIG',
        quotedParticipant: wid(ANA),
        quotedMsg: { type: 'chat', body: 'hi' },
      },
      context(ANA, { quotedOf: () => loaded }),
    ).message.quoted;
    expect(quoted).toEqual({ id: `false_${ANA}_ORIG`, senderId: ANA, preview: 'hi', type: 'chat' });
    // …but only the loaded message can tell a GIF from a video.
    const gif = normalize(
      {
        id: `false_${ANA}_Q2`,
        t: 10,
        type: 'chat',
        body: 'r',
        quotedStanzaID: 'G',
        quotedParticipant: wid(ANA),
        quotedMsg: { type: 'video', caption: 'c' },
      },
      context(ANA, { quotedOf: () => ({ id: new FakeMsgKey(false, ANA, 'G'), type: 'video', isGif: true }) }),
    ).message.quoted;
    expect(gif?.type).toBe('gif');
  });

  it('skips models without a usable id or time', () => {
    expect(normalizeMessage({ id: 'nonsense', t: 1, type: 'chat' }, context(ANA))).toBeUndefined();
    expect(normalizeMessage({ id: `false_${ANA}_X`, type: 'chat' }, context(ANA))).toBeUndefined();
    expect(normalizeMessage(null, context(ANA))).toBeUndefined();
  });

  it('passes reactions through', () => {
    const { message } = normalize(
      { id: `false_${ANA}_R`, t: 1, type: 'chat', body: 'x' },
      context(ANA, { reactionsOf: () => [{ emoji: '❤️', senderId: ME, timestampMs: 5 }] }),
    );
    expect(message.reactions).toEqual([{ emoji: '❤️', senderId: ME, timestampMs: 5 }]);
  });
});

describe('canonicalType and truncate', () => {
  it('maps WhatsApp types to canonical ones', () => {
    expect(canonicalType('poll_creation', false)).toBe('poll');
    expect(canonicalType('video', true)).toBe('gif');
    expect(canonicalType('gp2', false)).toBe('system');
    expect(canonicalType('event_creation', false)).toBe('unknown');
  });

  it('never cuts a surrogate pair', () => {
    expect(truncate('ab😀', 3)).toBe('ab');
    expect(truncate('abc', 3)).toBe('abc');
  });
});
