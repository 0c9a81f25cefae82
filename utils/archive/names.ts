import type { Account, Chat, Contact, Jid, Message } from '@/utils/schema/types';
import { ArchiveError } from './errors';

/**
 * One name per person and chat, by docs/SCHEMA.md's display name rule: the address-book
 * `name`, else the `pushname`, else the `phone`, else the JID's user part. Every writer in the
 * archive (text export, JSON, viewer) names people through this, so they always agree.
 */
export interface NameBook {
  /** The display name of anyone, the account included. */
  person(jid: Jid): string;
  /** As `person`, but "You" for the account — how WhatsApp's system lines speak of the user. */
  personOrYou(jid: Jid): string;
  /** Who wrote a message, as the export's `Name:` shows it. */
  author(message: Message, chat: Chat): string;
  /** The chat's title: its collected name, group subject or partner's display name. */
  chatTitle(chat: Chat): string;
  isAccount(jid: Jid | undefined): boolean;
}

export function createNameBook(people: { contacts: Record<Jid, Contact>; account?: Account }): NameBook {
  if (people === null || typeof people !== 'object' || typeof people.contacts !== 'object') {
    throw new ArchiveError('invalid-argument', 'createNameBook needs {contacts, account?} from a dataset');
  }
  const contacts = people.contacts ?? {};
  const accountId = people.account?.id;
  const contactOf = (jid: Jid): Contact | undefined =>
    Object.hasOwn(contacts, jid) ? contacts[jid] : undefined;

  const person = (jid: Jid): string => {
    const contact = contactOf(jid);
    return (
      nonEmpty(contact?.name) ??
      nonEmpty(contact?.pushname) ??
      nonEmpty(contact?.phone) ??
      (jid === accountId ? nonEmpty(people.account?.name) : undefined) ??
      userPart(jid)
    );
  };

  const book: NameBook = {
    person,
    personOrYou: (jid) => (jid === accountId ? 'You' : person(jid)),
    author(message, chat) {
      if (message.fromMe) {
        if (accountId) return person(accountId);
        return nonEmpty(message.senderName) ?? 'You';
      }
      if (message.senderId) {
        // A sender outside the contact map keeps the name the user saw when it was collected.
        if (!contactOf(message.senderId) && nonEmpty(message.senderName)) return message.senderName!;
        return person(message.senderId);
      }
      if (nonEmpty(message.senderName)) return message.senderName!;
      return chat.kind === 'individual' ? book.chatTitle(chat) : 'Unknown';
    },
    chatTitle(chat) {
      return (
        nonEmpty(chat.name) ??
        nonEmpty(chat.group?.subject) ??
        (chat.kind === 'individual' ? person(chat.id) : userPart(chat.id))
      );
    },
    isAccount: (jid) => jid !== undefined && jid === accountId,
  };
  return book;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

function userPart(jid: Jid): string {
  const at = jid.indexOf('@');
  return at > 0 ? jid.slice(0, at) : jid;
}
