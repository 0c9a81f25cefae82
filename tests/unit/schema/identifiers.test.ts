import { describe, expect, it } from 'vitest';
import { chatKindOfJid, isJid, jidOfPhone, phoneOfJid } from '@/utils/schema/jid';
import { formatMessageKey, isMessageId, parseMessageKey } from '@/utils/schema/message-key';
import { isSchemaError } from '@/utils/schema/schema-error';

describe('JIDs', () => {
  it.each([
    ['4915112345678@c.us', 'individual'],
    ['123456789012345@lid', 'individual'],
    ['4915112345678-1594755026@g.us', 'group'],
    ['120363481746717491@g.us', 'group'],
    ['120363123456789@newsletter', 'newsletter'],
    ['status@broadcast', 'status'],
    ['1700000000@broadcast', 'broadcast'],
  ])('%s is a %s chat id', (jid, kind) => {
    expect(isJid(jid)).toBe(true);
    expect(chatKindOfJid(jid)).toBe(kind);
  });

  it.each([
    '4915112345678@s.whatsapp.net',
    '4915112345678',
    '@c.us',
    'a_b@c.us',
    '49 151@c.us',
    '4915112345678@c.us ',
    '',
  ])('rejects %j', (text) => {
    expect(isJid(text)).toBe(false);
    expect(() => chatKindOfJid(text)).toThrow(/must be a WhatsApp JID/);
  });

  it('maps phone numbers and phone JIDs both ways', () => {
    expect(jidOfPhone('+4915112345678')).toBe('4915112345678@c.us');
    expect(phoneOfJid('4915112345678@c.us')).toBe('+4915112345678');
    expect(phoneOfJid('123456789012345@lid')).toBeUndefined();
    expect(() => jidOfPhone('015112345678')).toThrow(/E\.164/);
  });
});

describe('message keys', () => {
  it('formats and parses keys with and without a participant', () => {
    const group = {
      fromMe: false,
      remote: '120363481746717491@g.us',
      id: '3EB0C431D5E2F1A7',
      participant: '4915112345678@c.us',
    };
    const individual = { fromMe: true, remote: '4915112345678@c.us', id: 'ABCDEF0123' };
    expect(formatMessageKey(group)).toBe('false_120363481746717491@g.us_3EB0C431D5E2F1A7_4915112345678@c.us');
    expect(formatMessageKey(individual)).toBe('true_4915112345678@c.us_ABCDEF0123');
    expect(parseMessageKey(formatMessageKey(group))).toEqual(group);
    expect(parseMessageKey(formatMessageKey(individual))).toEqual(individual);
  });

  it('reads an @lid participant and a stanza id with unusual characters', () => {
    const key = parseMessageKey('false_status@broadcast_A1.B2-C3_123456789012345@lid');
    expect(key).toEqual({
      fromMe: false,
      remote: 'status@broadcast',
      id: 'A1.B2-C3',
      participant: '123456789012345@lid',
    });
  });

  it.each([
    'maybe_4915112345678@c.us_ABC',
    'true_4915112345678@c.us',
    'true_4915112345678@c.us_',
    'true_notajid_ABC',
    'true_4915112345678@c.us_AB C',
  ])('rejects %j', (text) => {
    expect(isMessageId(text)).toBe(false);
    expect(() => parseMessageKey(text)).toThrow(/must look like/);
  });

  it('refuses to format keys with bad parts', () => {
    const bad = [
      { fromMe: 'yes', remote: '1@c.us', id: 'A' },
      { fromMe: true, remote: 'nope', id: 'A' },
      { fromMe: true, remote: '1@c.us', id: '' },
      { fromMe: true, remote: '1@c.us', id: 'A', participant: 'x' },
    ];
    for (const key of bad) {
      try {
        formatMessageKey(key as never);
        expect.unreachable();
      } catch (error) {
        expect(isSchemaError(error, 'invalid-argument')).toBe(true);
      }
    }
  });
});
