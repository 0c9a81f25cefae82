import type { Chat, Message, MessageType } from '@/utils/schema/types';
import type { ArchiveClock } from './clock';
import type { NameBook } from './names';
import { describeSystemEvent } from './system-text';
import { EDITED_MARKER, escapeUserText, exportName, exportSystemText } from './text-escape';

/**
 * One chat as WhatsApp's Android "Export chat" writes it (24-hour, day-first variant):
 *
 *   28/04/2021, 09:15 - Ana Müller: Hi!
 *   28/04/2021, 09:16 - Ana Müller: IMG-20210428-WA0001.jpg (file attached)
 *   the caption, on the next line
 *   28/04/2021, 09:17 - Ana Müller added Bob
 *
 * WhatsApp's own conventions are used wherever it has one (attachments, `<Media omitted>`,
 * deleted and edited messages, polls, locations, contact cards as .vcf attachments); what its
 * export leaves out (replies, reactions, a kept text that was later deleted) is added as
 * `<…>` lines after the message, so parsers still see author, time and text. docs/ARCHIVE.md
 * §4 lists every rule.
 */
export interface ExportContext {
  clock: ArchiveClock;
  names: NameBook;
  chat: Chat;
  /** A message of this chat by id, for reply previews that the quote itself lacks. */
  messageById(id: string): Message | undefined;
}

/** The files a message's lines point at, when they made it into the archive. */
export interface MessageFiles {
  /** The media file's name in the chat folder; absent when the bytes are not in the archive. */
  attachment?: string;
  /** One .vcf file name per contact card. */
  contactCards?: readonly string[];
}

/** How a message's content reads in words where it has no text (reply previews, the viewer). */
export const TYPE_LABEL: Record<MessageType, string> = {
  chat: 'message',
  image: 'photo',
  video: 'video',
  gif: 'GIF',
  ptt: 'voice message',
  audio: 'audio',
  document: 'document',
  sticker: 'sticker',
  location: 'location',
  vcard: 'contact',
  multi_vcard: 'contacts',
  poll: 'poll',
  revoked: 'deleted message',
  system: 'system message',
  unknown: 'message',
};

const PREVIEW_LENGTH = 100;

/** One message as export lines, without the final line break. */
export function exportMessage(message: Message, files: MessageFiles, context: ExportContext): string {
  const stamp = context.clock.exportStamp(message.timestamp);
  if (message.type === 'system' && message.system) {
    return `${stamp} - ${exportSystemText(describeSystemEvent(message.system, context.names))}`;
  }
  let body = messageBody(message, files, context);
  if (message.edit) body += ` ${EDITED_MARKER}`;
  const notes = annotations(message, context);
  const author = exportName(context.names.author(message, context.chat));
  return `${stamp} - ${author}: ${[body, ...notes].join('\n')}`;
}

function messageBody(message: Message, files: MessageFiles, context: ExportContext): string {
  const caption = message.text === undefined ? '' : `\n${escapeUserText(message.text, 'line-start')}`;
  switch (message.type) {
    case 'chat':
      return escapeUserText(message.text ?? '', 'body-start');
    case 'image':
    case 'video':
    case 'gif':
    case 'ptt':
    case 'audio':
    case 'document':
    case 'sticker':
      return `${files.attachment ? `${files.attachment} (file attached)` : '<Media omitted>'}${caption}`;
    case 'location': {
      const place = message.location;
      if (!place) return '<Media omitted>';
      const extra = [place.name, place.address]
        .filter((line): line is string => line !== undefined && line !== '')
        .map((line) => `\n${escapeUserText(line, 'line-start')}`)
        .join('');
      return `location: https://maps.google.com/?q=${place.lat},${place.lng}${extra}`;
    }
    case 'vcard':
    case 'multi_vcard': {
      const names = files.contactCards ?? [];
      return names.length === 0
        ? '<Media omitted>'
        : names.map((name) => `${name} (file attached)`).join('\n');
    }
    case 'poll':
      return pollBody(message);
    case 'revoked':
      return deletedPhrase(message, context) ?? 'This message was deleted';
    case 'system':
      return 'System event';
    case 'unknown':
      // No colon: `<word: word>` is an iOS attachment line to parsers.
      return `<Unsupported message${message.rawType ? ` (${message.rawType})` : ''}>${caption}`;
  }
}

function pollBody(message: Message): string {
  const poll = message.poll;
  if (!poll) return 'POLL:';
  const votes = new Map<number, number>();
  for (const vote of poll.votes ?? [])
    for (const id of vote.optionIds) votes.set(id, (votes.get(id) ?? 0) + 1);
  const options = poll.options.map((option) => {
    const count = votes.get(option.id) ?? 0;
    return `\nOPTION: ${escapeUserText(option.name, 'inline')} (${count} ${count === 1 ? 'vote' : 'votes'})`;
  });
  return `POLL:\n${escapeUserText(poll.question, 'line-start')}${options.join('')}`;
}

/** WhatsApp's words for a deleted message; undefined when it was not deleted. */
export function deletedPhrase(message: Message, context: Pick<ExportContext, 'names'>): string | undefined {
  const deletion = message.deletion;
  if (!deletion && message.type !== 'revoked') return undefined;
  if (deletion?.kind === 'admin') {
    return deletion.byId
      ? `This message was deleted by admin ${exportName(context.names.personOrYou(deletion.byId))}`
      : 'This message was deleted by an admin';
  }
  return message.fromMe ? 'You deleted this message' : 'This message was deleted';
}

/** What WhatsApp's export leaves out, as `<…>` lines after the message. */
function annotations(message: Message, context: ExportContext): string[] {
  const notes: string[] = [];
  if (message.deletion && message.type !== 'revoked') {
    const phrase = deletedPhrase(message, context)!;
    notes.push(`<${phrase.replace(/^You deleted this message$/, 'This message was deleted by you')}>`);
  }
  if (message.quoted) {
    const quoted = message.quoted;
    const who = quoted.senderId
      ? exportName(context.names.personOrYou(quoted.senderId))
      : 'an earlier message';
    notes.push(`<Reply to ${who}: ${quotePreview(message, context)}>`);
  }
  if (message.reactions && message.reactions.length > 0) {
    const list = message.reactions.map(
      (r) => `${r.emoji} ${exportName(context.names.personOrYou(r.senderId))}`,
    );
    notes.push(`<Reactions: ${list.join(', ')}>`);
  }
  return notes;
}

/** The quote's own preview, else the quoted message's text, else what kind of message it was. */
export function quotePreview(message: Message, context: ExportContext): string {
  const quoted = message.quoted;
  if (!quoted) return '';
  const original = context.messageById(quoted.id);
  const text = quoted.preview ?? original?.text;
  if (text !== undefined && text.trim() !== '') return oneLine(text, PREVIEW_LENGTH);
  return TYPE_LABEL[quoted.type ?? original?.type ?? 'chat'];
}

/** Single line (breaks become spaces), at most `length` characters, never cutting a surrogate pair. */
export function oneLine(text: string, length: number): string {
  const flat = text.replace(/\s*(?:\r\n|\r|\n|\u2028|\u2029)\s*/g, ' ').trim();
  if (flat.length <= length) return flat;
  let end = length;
  const code = flat.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${flat.slice(0, end)}…`;
}
