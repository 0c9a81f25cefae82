import { isJid, JID_PATTERN_SOURCE } from './jid';
import { SchemaError } from './schema-error';
import type { Jid, MessageId } from './types';

/** The parts of WhatsApp's MsgKey (`{fromMe, remote, id, participant?}`). */
export interface MessageKey {
  fromMe: boolean;
  /** The chat the message lives in. */
  remote: Jid;
  /** The stanza id the sender's client chose (e.g. `3EB0C431D5E2F1A7`). */
  id: string;
  /** The author in group and status chats. */
  participant?: Jid;
}

/**
 * `<fromMe>_<remote>_<id>[_<participant>]`, as WhatsApp Web's `MsgKey.toString()` spells it.
 * The stanza id is any run of non-space characters; a trailing `_<JID>` is the participant.
 */
export const MESSAGE_ID_PATTERN = new RegExp(
  `^(true|false)_(${JID_PATTERN_SOURCE})_(\\S+?)(?:_(${JID_PATTERN_SOURCE}))?$`,
);

export function isMessageId(value: unknown): value is MessageId {
  return typeof value === 'string' && value.length <= 512 && MESSAGE_ID_PATTERN.test(value);
}

export function formatMessageKey(key: MessageKey): MessageId {
  if (key === null || typeof key !== 'object') {
    throw new SchemaError('invalid-argument', 'key must be an object {fromMe, remote, id, participant?}');
  }
  if (typeof key.fromMe !== 'boolean')
    throw new SchemaError('invalid-argument', 'key.fromMe must be a boolean');
  if (!isJid(key.remote)) throw new SchemaError('invalid-argument', 'key.remote must be a WhatsApp JID');
  if (typeof key.id !== 'string' || !/^\S+$/.test(key.id)) {
    throw new SchemaError('invalid-argument', 'key.id must be a non-empty string without whitespace');
  }
  if (key.participant !== undefined && !isJid(key.participant)) {
    throw new SchemaError('invalid-argument', 'key.participant must be a WhatsApp JID when present');
  }
  const text = `${key.fromMe}_${key.remote}_${key.id}${key.participant ? `_${key.participant}` : ''}`;
  if (!isMessageId(text))
    throw new SchemaError('invalid-argument', `key does not form a valid message id: ${text}`);
  return text;
}

export function parseMessageKey(messageId: MessageId): MessageKey {
  const match = typeof messageId === 'string' ? MESSAGE_ID_PATTERN.exec(messageId) : null;
  if (!match) {
    throw new SchemaError(
      'invalid-argument',
      `messageId must look like true_<chat JID>_<id>[_<participant JID>], got ${JSON.stringify(String(messageId).slice(0, 120))}`,
    );
  }
  const [, fromMe, remote, id, participant] = match;
  const key: MessageKey = { fromMe: fromMe === 'true', remote: remote!, id: id! };
  if (participant !== undefined) key.participant = participant;
  return key;
}
