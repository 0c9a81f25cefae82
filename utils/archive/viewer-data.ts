import type { Filehash, Message } from '@/utils/schema/types';
import type { ChatPlan } from './chat-plan';
import type { ArchiveClock } from './clock';
import { deletedPhrase, type ExportContext, quotePreview } from './export-text';
import type { NameBook } from './names';
import { describeSystemEvent } from './system-text';
import {
  chatDataPath,
  RECEIVER_GLOBAL,
  type ViewerArchive,
  type ViewerChatHead,
  type ViewerMedia,
  type ViewerMediaKind,
  type ViewerMessage,
} from './viewer/model';

/**
 * The viewer's data scripts (see viewer/model.ts). JSON goes in as a JSON.parse('…') string:
 * engines parse JSON several times faster than the same data as an object literal, which is
 * what makes a 100 000-message chat open quickly from file://.
 */
const MESSAGES_PER_CALL = 2000;

export interface ViewerChatInput {
  plan: ChatPlan;
  /** The chat's messages with media statuses as restored. */
  messages: readonly Message[];
  names: NameBook;
  clock: ArchiveClock;
  /** Whether a media file's bytes made it into the archive. */
  inArchive(filehash: Filehash): boolean;
}

export function archiveDataScript(archive: ViewerArchive): string {
  return `${RECEIVER_GLOBAL}.archive(JSON.parse(${jsString(JSON.stringify(archive))}));\n`;
}

export function* chatDataScript(input: ViewerChatInput): Generator<string> {
  const { plan, names } = input;
  const people: string[] = [];
  const personIndex = new Map<string, number>();
  const indexById = new Map<string, number>();
  input.messages.forEach((message, index) => {
    indexById.set(message.id, index);
  });
  const context: ExportContext = {
    clock: input.clock,
    names,
    chat: plan.chat,
    messageById: (id) => {
      const index = indexById.get(id);
      return index === undefined ? undefined : input.messages[index];
    },
  };
  const authorIndex = (message: Message) => {
    const name = names.author(message, plan.chat);
    let index = personIndex.get(name);
    if (index === undefined) {
      index = people.length;
      people.push(name);
      personIndex.set(name, index);
    }
    return index;
  };
  const converted: ViewerMessage[] = input.messages.map((message) =>
    toViewerMessage(message, { ...input, context, indexById, authorIndex }),
  );
  const head: ViewerChatHead = { people, days: dayStarts(input.messages, input.clock) };
  const n = plan.number;
  yield `${RECEIVER_GLOBAL}.chatStart(${n},JSON.parse(${jsString(JSON.stringify(head))}));\n`;
  for (let start = 0; start < converted.length; start += MESSAGES_PER_CALL) {
    const slice = converted.slice(start, start + MESSAGES_PER_CALL);
    yield `${RECEIVER_GLOBAL}.chatMessages(${n},JSON.parse(${jsString(JSON.stringify(slice))}));\n`;
  }
  yield `${RECEIVER_GLOBAL}.chatEnd(${n});\n`;
}

export { chatDataPath };

interface Conversion extends ViewerChatInput {
  context: ExportContext;
  indexById: Map<string, number>;
  authorIndex(message: Message): number;
}

function toViewerMessage(message: Message, c: Conversion): ViewerMessage {
  const out: ViewerMessage = { t: message.timestamp, y: message.type };
  if (message.fromMe) out.me = 1;
  if (message.type === 'system' && message.system) {
    out.x = describeSystemEvent(message.system, c.names);
    return out;
  }
  out.a = c.authorIndex(message);
  if (message.type === 'revoked') out.x = deletedPhrase(message, c.context) ?? 'This message was deleted';
  else if (message.text !== undefined) out.x = message.text;
  else if (message.type === 'unknown')
    out.x = `Unsupported message${message.rawType ? ` (${message.rawType})` : ''}`;
  if (message.media) out.m = viewerMedia(message, c);
  if (message.quoted) {
    const index = c.indexById.get(message.quoted.id);
    out.q = {
      x: quotePreview(message, c.context),
      ...(message.quoted.senderId ? { a: c.names.personOrYou(message.quoted.senderId) } : {}),
      ...(index === undefined ? {} : { i: index }),
    };
  }
  if (message.reactions?.length)
    out.r = message.reactions.map((r) => [r.emoji, c.names.personOrYou(r.senderId)]);
  if (message.edit) out.e = 1;
  if (message.deletion && message.type !== 'revoked') out.d = deletedPhrase(message, c.context);
  if (message.forwarded) out.f = (message.forwardingScore ?? 0) >= 4 ? 2 : 1;
  if (message.starred) out.s = 1;
  if (message.location) {
    const { lat, lng, name, address } = message.location;
    out.l = { lat, lng, ...(name ? { n: name } : {}), ...(address ? { ad: address } : {}) };
  }
  if (message.contactCards) {
    const files = c.plan.contactCards.get(message.id) ?? [];
    out.c = message.contactCards.map((card, index) => ({
      n: card.displayName,
      ...(files[index] ? { f: `${c.plan.folder}/${files[index]}` } : {}),
      tel: phonesOfVcard(card.vcard),
    }));
  }
  if (message.poll) {
    const votes = new Map<number, number>();
    for (const vote of message.poll.votes ?? [])
      for (const id of vote.optionIds) votes.set(id, (votes.get(id) ?? 0) + 1);
    out.p = {
      q: message.poll.question,
      o: message.poll.options.map((option) => [option.name, votes.get(option.id) ?? 0]),
      ...(message.poll.selectableCount === 1 ? {} : { multi: 1 as const }),
    };
  }
  return out;
}

function viewerMedia(message: Message, c: Conversion): ViewerMedia {
  const ref = message.media!;
  const media: ViewerMedia = { k: message.type as ViewerMediaKind };
  if (ref.size !== undefined) media.z = ref.size;
  if (ref.width) media.w = ref.width;
  if (ref.height) media.h = ref.height;
  if (ref.duration !== undefined) media.du = ref.duration;
  const placement = ref.filehash ? c.plan.mediaByHash.get(ref.filehash) : undefined;
  if (ref.status === 'stored' && placement && c.inArchive(placement.filehash)) {
    media.f = placement.path;
    media.n = ref.filename ?? placement.name;
  } else {
    if (ref.filename) media.n = ref.filename;
    media.miss = missingReason(message);
  }
  return media;
}

export function missingReason(message: Message): string {
  const ref = message.media;
  switch (ref?.status) {
    case 'expired':
      return "It had expired on WhatsApp's server before the backup.";
    case 'skipped':
      return `It was not backed up${ref.reason ? ` (${ref.reason})` : ''}.`;
    case 'failed':
      return `It could not be saved${ref.reason ? ` (${ref.reason})` : ''}.`;
    default:
      return 'It could not be restored from this backup.';
  }
}

/** Where each day of the chat begins, in the archive's zone. */
export function dayStarts(messages: readonly Message[], clock: ArchiveClock): [number, string][] {
  const days: [number, string][] = [];
  let previous = '';
  messages.forEach((message, index) => {
    const t = clock.wallTime(message.timestamp);
    const key = `${String(t.year).padStart(4, '0')}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;
    if (key !== previous) days.push([index, key]);
    previous = key;
  });
  return days;
}

function phonesOfVcard(vcard: string): string[] {
  const phones: string[] = [];
  for (const line of vcard.split(/\r\n|\r|\n/)) {
    const match = /^(?:item\d+\.)?TEL[^:]*:(.+)$/i.exec(line.trim());
    if (match) phones.push(match[1]!.trim());
  }
  return phones;
}

/** A single-quoted JS string literal of any text (JSON text in practice). */
export function jsString(text: string): string {
  return `'${text
    .replace(/[\\']/g, '\\$&')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')}'`;
}
