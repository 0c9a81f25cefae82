import { SchemaError } from './schema-error';
import type { Chat, Dataset, Message, Poll } from './types';

/**
 * The canonical order of everything in a dataset. Identical content must serialise to identical
 * bytes (backups deduplicate by content), so arrays whose order carries no meaning get one fixed
 * order; the validator checks it and `sortDataset` establishes it.
 *
 * Strings compare by UTF-16 code units (JavaScript's `<`), never by locale: locale order differs
 * between machines and would make the bytes differ too.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Messages: by chat, then by time, then by id (many messages share a second). */
export function compareMessages(a: Message, b: Message): number {
  return compareStrings(a.chatId, b.chatId) || a.timestamp - b.timestamp || compareStrings(a.id, b.id);
}

/**
 * A copy of `dataset` in canonical order: chats by id, messages by (chatId, timestamp, id),
 * group participants by id, reactions by sender, poll votes by voter. Order-bearing arrays
 * (mentions, edit versions, contact cards, poll options, affected participants) are left alone.
 */
export function sortDataset(dataset: Dataset): Dataset {
  if (
    dataset === null ||
    typeof dataset !== 'object' ||
    !Array.isArray(dataset.chats) ||
    !Array.isArray(dataset.messages)
  ) {
    throw new SchemaError('invalid-argument', 'dataset must be an object with chats and messages arrays');
  }
  return {
    ...dataset,
    chats: dataset.chats.map(sortChat).sort((a, b) => compareStrings(a.id, b.id)),
    messages: dataset.messages.map(sortMessage).sort(compareMessages),
  };
}

export function sortChat(chat: Chat): Chat {
  if (chat === null || typeof chat !== 'object')
    throw new SchemaError('invalid-argument', 'chat must be a Chat object');
  if (!chat.group) return chat;
  const participants = [...chat.group.participants].sort((a, b) => compareStrings(a.id, b.id));
  return { ...chat, group: { ...chat.group, participants } };
}

export function sortMessage(message: Message): Message {
  if (message === null || typeof message !== 'object') {
    throw new SchemaError('invalid-argument', 'message must be a Message object');
  }
  if (!message.reactions && !message.poll?.votes) return message;
  const sorted: Message = { ...message };
  if (message.reactions)
    sorted.reactions = [...message.reactions].sort((a, b) => compareStrings(a.senderId, b.senderId));
  if (message.poll?.votes) sorted.poll = sortPollVotes(message.poll);
  return sorted;
}

function sortPollVotes(poll: Poll): Poll {
  return { ...poll, votes: [...(poll.votes ?? [])].sort((a, b) => compareStrings(a.voterId, b.voterId)) };
}
