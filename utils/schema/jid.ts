import { SchemaError } from './schema-error';
import type { ChatKind, Jid } from './types';

/**
 * JID servers the schema accepts. WhatsApp Web spells user ids `@c.us` (the wire protocol's
 * `@s.whatsapp.net` never reaches the web client's models), so the collector keeps that form.
 */
export const JID_SERVERS = ['c.us', 'g.us', 'lid', 'newsletter', 'broadcast'] as const;
export type JidServer = (typeof JID_SERVERS)[number];

/**
 * No `_` in the user part: MsgKey strings join JIDs with `_`, so an underscore would make a
 * message id ambiguous. No `@` or whitespace either.
 */
export const JID_PATTERN = /^[0-9A-Za-z][0-9A-Za-z.:-]*@(?:c\.us|g\.us|lid|newsletter|broadcast)$/;
export const JID_PATTERN_SOURCE = '[0-9A-Za-z][0-9A-Za-z.:-]*@(?:c\\.us|g\\.us|lid|newsletter|broadcast)';

/** E.164: `+`, a non-zero country code digit, at most 15 digits in all. */
export const PHONE_PATTERN = /^\+[1-9][0-9]{4,14}$/;

export const STATUS_JID = 'status@broadcast';

export function isJid(value: unknown): value is Jid {
  return typeof value === 'string' && value.length <= 256 && JID_PATTERN.test(value);
}

export function isPhoneNumber(value: unknown): value is string {
  return typeof value === 'string' && PHONE_PATTERN.test(value);
}

export function jidServer(jid: Jid): JidServer {
  assertJid(jid, 'jid');
  return jid.slice(jid.indexOf('@') + 1) as JidServer;
}

/** The chat kind a chat id implies; `kind` in a Chat must agree with it. */
export function chatKindOfJid(jid: Jid): ChatKind {
  if (jid === STATUS_JID) return 'status';
  switch (jidServer(jid)) {
    case 'g.us':
      return 'group';
    case 'newsletter':
      return 'newsletter';
    case 'broadcast':
      return 'broadcast';
    default:
      return 'individual';
  }
}

/** `+4915112345678` for `4915112345678@c.us`; undefined for JIDs that are not phone-based. */
export function phoneOfJid(jid: Jid): string | undefined {
  if (jidServer(jid) !== 'c.us') return undefined;
  const phone = `+${jid.slice(0, jid.indexOf('@'))}`;
  return PHONE_PATTERN.test(phone) ? phone : undefined;
}

/** `4915112345678@c.us` for `+4915112345678`. */
export function jidOfPhone(phone: string): Jid {
  if (!isPhoneNumber(phone)) {
    throw new SchemaError(
      'invalid-argument',
      `phone must be an E.164 number like +4915112345678, got ${show(phone)}`,
    );
  }
  return `${phone.slice(1)}@c.us`;
}

export function assertJid(value: unknown, name: string): asserts value is Jid {
  if (!isJid(value)) {
    throw new SchemaError(
      'invalid-argument',
      `${name} must be a WhatsApp JID like 123@c.us, got ${show(value)}`,
    );
  }
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : typeof value;
}
