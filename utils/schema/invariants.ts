import { chatKindOfJid, jidServer } from './jid';
import { parseMessageKey } from './message-key';
import { compareMessages, compareStrings } from './order';
import type { JsonPath, SchemaIssue } from './schema-error';
import {
  type Chat,
  type Contact,
  type Dataset,
  MEDIA_MESSAGE_TYPES,
  type Message,
  type MessageType,
} from './types';

/**
 * Rules that span several fields, checked after the structural (zod) pass succeeded, so every
 * value here already has its declared type. Each rule is documented in docs/SCHEMA.md.
 */

const MEDIA_TYPES: ReadonlySet<MessageType> = new Set(MEDIA_MESSAGE_TYPES);

/** Rules about one message on its own (also used for messages arriving one by one from the page). */
export function messageIssues(message: Message, path: JsonPath): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const at = (...rest: (string | number)[]) => [...path, ...rest];

  if (parseMessageKey(message.id).fromMe !== message.fromMe) {
    issues.push({
      path: at('fromMe'),
      message: `fromMe is ${message.fromMe} but the message id starts with ${!message.fromMe}`,
    });
  }

  requirePayload(issues, path, message, 'media', MEDIA_TYPES.has(message.type), 'the media types');
  requirePayload(issues, path, message, 'location', message.type === 'location', 'type location');
  requirePayload(
    issues,
    path,
    message,
    'contactCards',
    message.type === 'vcard' || message.type === 'multi_vcard',
    'vcard and multi_vcard',
  );
  requirePayload(issues, path, message, 'poll', message.type === 'poll', 'type poll');
  requirePayload(issues, path, message, 'system', message.type === 'system', 'type system');

  if (message.type === 'vcard' && message.contactCards && message.contactCards.length !== 1) {
    issues.push({ path: at('contactCards'), message: 'a vcard message carries exactly one contact card' });
  }
  if (message.type === 'multi_vcard' && message.contactCards?.length === 0) {
    issues.push({
      path: at('contactCards'),
      message: 'a multi_vcard message carries at least one contact card',
    });
  }
  if (message.type === 'revoked') {
    if (!message.deletion)
      issues.push({ path: at('deletion'), message: 'a revoked message must say how it was deleted' });
    if (message.text !== undefined)
      issues.push({ path: at('text'), message: 'a revoked message has no text left' });
  }

  if (message.media) issues.push(...mediaIssues(message, at('media')));
  checkUniqueSorted(
    issues,
    message.reactions,
    (r) => r.senderId,
    at('reactions'),
    'senderId',
    'one reaction per sender',
  );
  if (message.poll) issues.push(...pollIssues(message, at('poll')));
  return issues;
}

function requirePayload(
  issues: SchemaIssue[],
  path: JsonPath,
  message: Message,
  member: 'media' | 'location' | 'contactCards' | 'poll' | 'system',
  expected: boolean,
  expectedFor: string,
): void {
  const present = message[member] !== undefined;
  if (present === expected) return;
  issues.push({
    path: [...path, member],
    message: expected
      ? `a ${message.type} message must have ${member}`
      : `${member} is only allowed for ${expectedFor}, not for a ${message.type} message`,
  });
}

function mediaIssues(message: Message, path: JsonPath): SchemaIssue[] {
  const media = message.media!;
  const issues: SchemaIssue[] = [];
  if (media.status === 'stored' && media.filehash === undefined) {
    issues.push({
      path: [...path, 'filehash'],
      message: 'stored media must have a filehash (it addresses the bytes)',
    });
  }
  if (media.status !== 'stored' && media.reason === undefined) {
    issues.push({ path: [...path, 'reason'], message: `${media.status} media must say why in reason` });
  }
  if ((media.isGif === true) !== (message.type === 'gif')) {
    issues.push({ path: [...path, 'isGif'], message: 'isGif is true exactly for gif messages' });
  }
  if (media.isAnimated === true && message.type !== 'sticker') {
    issues.push({ path: [...path, 'isAnimated'], message: 'isAnimated is only for stickers' });
  }
  return issues;
}

function pollIssues(message: Message, path: JsonPath): SchemaIssue[] {
  const poll = message.poll!;
  const issues: SchemaIssue[] = [];
  const optionIds = new Set<number>();
  poll.options.forEach((option, index) => {
    if (optionIds.has(option.id))
      issues.push({ path: [...path, 'options', index, 'id'], message: `duplicate option id ${option.id}` });
    optionIds.add(option.id);
  });
  checkUniqueSorted(
    issues,
    poll.votes,
    (v) => v.voterId,
    [...path, 'votes'],
    'voterId',
    'one vote entry per voter',
  );
  poll.votes?.forEach((vote, index) => {
    const votePath = [...path, 'votes', index, 'optionIds'];
    if (new Set(vote.optionIds).size !== vote.optionIds.length)
      issues.push({ path: votePath, message: 'an option is chosen twice' });
    const unknown = vote.optionIds.filter((id) => !optionIds.has(id));
    if (unknown.length > 0)
      issues.push({ path: votePath, message: `unknown option id(s) ${unknown.join(', ')}` });
    if (poll.selectableCount > 0 && vote.optionIds.length > poll.selectableCount) {
      issues.push({
        path: votePath,
        message: `more than selectableCount (${poll.selectableCount}) options chosen`,
      });
    }
  });
  return issues;
}

/** Rules about one chat on its own. */
export function chatIssues(chat: Chat, path: JsonPath): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const impliedKind = chatKindOfJid(chat.id);
  if (chat.kind !== impliedKind) {
    issues.push({
      path: [...path, 'kind'],
      message: `a chat with id ${chat.id} is of kind ${impliedKind}, not ${chat.kind}`,
    });
  }
  if (chat.group && chat.kind !== 'group') {
    issues.push({ path: [...path, 'group'], message: 'group info is only allowed for group chats' });
  }
  checkUniqueSorted(
    issues,
    chat.group?.participants,
    (p) => p.id,
    [...path, 'group', 'participants'],
    'id',
    'each participant once',
  );
  return issues;
}

export function contactIssues(contacts: Record<string, Contact>, path: JsonPath): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  for (const [jid, contact] of Object.entries(contacts)) {
    if (contact.phoneJid === undefined) continue;
    if (jidServer(jid) !== 'lid') {
      issues.push({ path: [...path, jid, 'phoneJid'], message: 'phoneJid maps @lid ids only' });
    } else if (jidServer(contact.phoneJid) !== 'c.us') {
      issues.push({ path: [...path, jid, 'phoneJid'], message: 'phoneJid must be an @c.us JID' });
    }
  }
  return issues;
}

/** Every rule, for a whole dataset whose structure is already valid. */
export function datasetIssues(dataset: Dataset): SchemaIssue[] {
  const issues: SchemaIssue[] = [...contactIssues(dataset.contacts, ['contacts'])];
  const chatsById = new Map<string, Chat>();
  dataset.chats.forEach((chat, index) => {
    issues.push(...chatIssues(chat, ['chats', index]));
    chatsById.set(chat.id, chat);
  });
  checkUniqueSorted(issues, dataset.chats, (c) => c.id, ['chats'], 'id', 'each chat once');

  const mediaCounts = new Map<string, { expired: number; failed: number; skipped: number }>();
  const seenIds = new Set<string>();
  dataset.messages.forEach((message, index) => {
    const path = ['messages', index];
    issues.push(...messageIssues(message, path));
    if (!chatsById.has(message.chatId)) {
      issues.push({ path: [...path, 'chatId'], message: `no chat with id ${message.chatId} in chats` });
    }
    if (seenIds.has(message.id))
      issues.push({ path: [...path, 'id'], message: `duplicate message id ${message.id}` });
    seenIds.add(message.id);
    const previous = dataset.messages[index - 1];
    if (previous && compareMessages(previous, message) > 0) {
      issues.push({ path, message: 'messages must be sorted by (chatId, timestamp, id)' });
    }
    const status = message.media?.status;
    if (status && status !== 'stored') {
      const counts = mediaCounts.get(message.chatId) ?? { expired: 0, failed: 0, skipped: 0 };
      counts[status]++;
      mediaCounts.set(message.chatId, counts);
    }
  });

  dataset.chats.forEach((chat, index) => {
    const counts = mediaCounts.get(chat.id) ?? { expired: 0, failed: 0, skipped: 0 };
    const path = ['chats', index, 'completeness'];
    const { expiredMedia, failedMedia, skippedMedia } = chat.completeness;
    if (expiredMedia !== counts.expired)
      issues.push(countIssue(path, 'expiredMedia', expiredMedia, counts.expired));
    if (failedMedia !== counts.failed)
      issues.push(countIssue(path, 'failedMedia', failedMedia, counts.failed));
    if (skippedMedia !== counts.skipped)
      issues.push(countIssue(path, 'skippedMedia', skippedMedia, counts.skipped));
  });
  return issues;
}

function countIssue(path: JsonPath, member: string, stated: number, actual: number): SchemaIssue {
  return { path: [...path, member], message: `says ${stated} but the chat's messages have ${actual}` };
}

/** Reports the first place where `items` is not strictly increasing by `key` (sorted and unique). */
function checkUniqueSorted<T>(
  issues: SchemaIssue[],
  items: readonly T[] | undefined,
  key: (item: T) => string,
  path: JsonPath,
  keyName: string,
  rule: string,
): void {
  if (!items) return;
  for (let index = 1; index < items.length; index++) {
    const order = compareStrings(key(items[index - 1]!), key(items[index]!));
    if (order < 0) continue;
    issues.push({
      path: [...path, index, keyName],
      message:
        order === 0 ? `duplicate ${keyName} (${rule})` : `must be sorted by ${keyName} (UTF-16 code units)`,
    });
  }
}
