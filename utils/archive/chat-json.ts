import { canonicalJson } from '@/utils/schema/canonical-json';
import type { Account, Chat, Contact, Filehash, Jid, Message } from '@/utils/schema/types';
import type { ArchiveProblem } from './problems';

/**
 * `messages.json`: one chat with every canonical field (docs/SCHEMA.md), so nothing the backup
 * knew is lost even where the WhatsApp text format has no place for it. One message per line
 * keeps a 100 000-message file greppable and lets it be written piece by piece.
 *
 *   {"format":"chatvault-archive-chat","version":1,"exportedAt":…,"account":…,"chat":{…},
 *    "contacts":{…people this chat mentions…},"mediaFiles":{"<filehash>":"IMG-….jpg"},
 *    "problems":[…],"messages":[
 *   {…message…},
 *   {…message…}
 *   ]}
 */
export const CHAT_JSON_FORMAT = 'chatvault-archive-chat';
export const CHAT_JSON_VERSION = 1;

export interface ChatJsonInput {
  exportedAt: number;
  account?: Account;
  chat: Chat;
  contacts: Record<Jid, Contact>;
  messages: readonly Message[];
  /** Filehash → file name in the chat folder, for media whose bytes are in the archive. */
  mediaFiles: ReadonlyMap<Filehash, string>;
  problems: readonly ArchiveProblem[];
}

export function* chatJsonPieces(input: ChatJsonInput): Generator<string> {
  const mediaFiles: Record<string, string> = {};
  for (const [filehash, name] of input.mediaFiles) mediaFiles[filehash] = name;
  const head = [
    `"format":${JSON.stringify(CHAT_JSON_FORMAT)}`,
    `"version":${CHAT_JSON_VERSION}`,
    `"exportedAt":${canonicalJson(input.exportedAt)}`,
    ...(input.account ? [`"account":${canonicalJson(input.account)}`] : []),
    `"chat":${canonicalJson(input.chat)}`,
    `"contacts":${canonicalJson(contactsOfChat(input))}`,
    `"mediaFiles":${canonicalJson(mediaFiles)}`,
    `"problems":${canonicalJson(input.problems.map(withoutUndefined))}`,
  ];
  yield `{${head.join(',')},"messages":[`;
  let first = true;
  for (const message of input.messages) {
    yield `${first ? '\n' : ',\n'}${canonicalJson(message)}`;
    first = false;
  }
  yield '\n]}\n';
}

/** Everyone this chat names anywhere, so its file reads on its own. */
export function contactsOfChat(input: Pick<ChatJsonInput, 'account' | 'chat' | 'contacts' | 'messages'>) {
  const wanted = new Set<Jid>([input.chat.id]);
  if (input.account) wanted.add(input.account.id);
  for (const participant of input.chat.group?.participants ?? []) wanted.add(participant.id);
  if (input.chat.group?.ownerId) wanted.add(input.chat.group.ownerId);
  for (const message of input.messages) {
    if (message.senderId) wanted.add(message.senderId);
    if (message.quoted?.senderId) wanted.add(message.quoted.senderId);
    if (message.deletion?.byId) wanted.add(message.deletion.byId);
    if (message.system?.actorId) wanted.add(message.system.actorId);
    for (const id of message.system?.participantIds ?? []) wanted.add(id);
    for (const id of message.mentions ?? []) wanted.add(id);
    for (const reaction of message.reactions ?? []) wanted.add(reaction.senderId);
    for (const vote of message.poll?.votes ?? []) wanted.add(vote.voterId);
  }
  const subset: Record<Jid, Contact> = {};
  const add = (jid: Jid) => {
    if (Object.hasOwn(subset, jid) || !Object.hasOwn(input.contacts, jid)) return;
    const contact = input.contacts[jid]!;
    subset[jid] = contact;
    if (contact.phoneJid) add(contact.phoneJid);
  };
  for (const jid of wanted) add(jid);
  return subset;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
