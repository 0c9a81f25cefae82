import { isPhoneNumber } from '@/utils/schema/jid';
import type { Account, Contact, Jid } from '@/utils/schema/types';
import { attr, getFrom, jidOf, modelsOf, stringAttr } from './wa-values';
import { CONTACT_ATTR, LID_TO_PHONE } from './whatsapp-names';

/**
 * Names and numbers of the people in the account, from WhatsApp Web's Contact collection and its
 * LID cache (which maps the hidden `@lid` ids of newer groups to phone numbers). The display name
 * rule is the schema's: address-book name, else push name, else phone number.
 */
export interface People {
  account?: Account;
  /** `name`, `pushname`, `phone` for anyone the client knows. */
  displayName(jid: Jid, notifyName?: string): string | undefined;
  /** A participant's name: address book or push name, never a number, never our own. */
  participantName(jid: Jid): string | undefined;
  phoneOf(jid: Jid): string | undefined;
  /** The canonical contact map (docs/SCHEMA.md "Contact"). */
  contacts(): Record<Jid, Contact>;
}

export interface PeopleSources {
  contacts: unknown;
  /** `lidPnCache`, when the client has one. */
  lidCache?: unknown;
  me?: Jid;
  meName?: string;
}

export function createPeople(sources: PeopleSources): People {
  const lidToPhone = (jid: Jid): Jid | undefined => {
    if (!jid.endsWith('@lid')) return undefined;
    const fromContact = jidOf(attr(getFrom(sources.contacts, jid), CONTACT_ATTR.phoneNumber));
    if (fromContact?.endsWith('@c.us')) return fromContact;
    try {
      const lookup = (sources.lidCache as Record<string, unknown> | undefined)?.[LID_TO_PHONE];
      if (typeof lookup !== 'function') return undefined;
      const phone = jidOf((lookup as (jid: Jid) => unknown).call(sources.lidCache, jid));
      return phone?.endsWith('@c.us') ? phone : undefined;
    } catch {
      return undefined;
    }
  };
  const phoneOf = (jid: Jid): string | undefined => {
    const phoneJid = jid.endsWith('@c.us') ? jid : lidToPhone(jid);
    if (!phoneJid) return undefined;
    const phone = `+${phoneJid.slice(0, phoneJid.indexOf('@'))}`;
    return isPhoneNumber(phone) ? phone : undefined;
  };
  const contactOf = (jid: Jid) => getFrom(sources.contacts, jid);
  const account: Account | undefined =
    sources.me === undefined
      ? undefined
      : { id: sources.me, ...(sources.meName === undefined ? {} : { name: sources.meName }) };

  return {
    account,
    phoneOf,
    displayName(jid, notifyName) {
      if (jid === sources.me && sources.meName !== undefined) return sources.meName;
      const contact = contactOf(jid);
      return (
        nonEmpty(stringAttr(contact, CONTACT_ATTR.name)) ??
        nonEmpty(notifyName) ??
        nonEmpty(stringAttr(contact, CONTACT_ATTR.pushname)) ??
        phoneOf(jid)
      );
    },
    participantName(jid) {
      if (jid === sources.me) return undefined;
      const contact = contactOf(jid);
      return (
        nonEmpty(stringAttr(contact, CONTACT_ATTR.name)) ??
        nonEmpty(stringAttr(contact, CONTACT_ATTR.pushname))
      );
    },
    contacts() {
      const out: Record<Jid, Contact> = {};
      for (const model of modelsOf(sources.contacts)) {
        if (attr(model, CONTACT_ATTR.isGroup) === true) continue;
        const id = jidOf(attr(model, CONTACT_ATTR.id));
        if (!id || id.endsWith('@g.us') || id.endsWith('@broadcast') || id.endsWith('@newsletter')) continue;
        const contact: Contact = {};
        const name = nonEmpty(stringAttr(model, CONTACT_ATTR.name));
        const pushname = nonEmpty(stringAttr(model, CONTACT_ATTR.pushname));
        const phone = phoneOf(id);
        if (name !== undefined) contact.name = name;
        if (pushname !== undefined) contact.pushname = pushname;
        if (phone !== undefined) contact.phone = phone;
        const phoneJid = lidToPhone(id);
        if (phoneJid !== undefined) contact.phoneJid = phoneJid;
        out[id] = contact;
      }
      return out;
    },
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.length === 0 ? undefined : value;
}
