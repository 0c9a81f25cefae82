import { chatKindOfJid } from '@/utils/schema/jid';
import { formatMessageKey } from '@/utils/schema/message-key';
import { compareStrings } from '@/utils/schema/order';
import {
  type ContactCard,
  type Jid,
  type Location,
  MESSAGE_TYPES,
  type MediaRef,
  type Message,
  type MessageType,
  type Poll,
  type PollVote,
  type QuotedMessage,
  type Reaction,
} from '@/utils/schema/types';
import { normalizeSystem } from './normalize-system';
import type { People } from './people';
import { attr, countAttr, flagAttr, jidOf, messageIdOf, numberAttr, stringAttr } from './wa-values';
import {
  ACK_STATUSES,
  MSG_ATTR,
  POLL_OPTION_ATTR,
  REVOKED_BY_ADMIN,
  VCARD_ATTR,
  WA_MEDIA_TYPES,
  WA_SYSTEM_TYPES,
  WA_TYPES,
} from './whatsapp-names';

/**
 * One WhatsApp Web message (a Msg model, or a row of the client's local database) as a canonical
 * Message (docs/SCHEMA.md §5). Everything that lives outside the model — reactions, poll votes,
 * the quoted message — comes through `MessageContext`, so this stays a pure function that unit
 * tests can feed with plain objects. Media comes back with the facts needed to download it; its
 * status is settled later (media-fetcher.ts).
 */
export interface MessageContext {
  chatId: Jid;
  people: People;
  /** Reactions to the message, when the client has any. */
  reactionsOf?(messageId: string, model: unknown): Reaction[] | undefined;
  votesOf?(messageId: string): PollVote[] | undefined;
  /** `getQuotedMsgObj(msg)`: the quoted message's model, when the client can give it. */
  quotedOf?(model: unknown): unknown;
}

/** What downloading a message's media needs. */
export interface MediaSource {
  filehash?: string;
  directPath?: string;
  mediaKey?: string;
  mediaKeyTimestamp?: number;
  encFilehash?: string;
  /** WhatsApp's type (decides the HKDF key family). */
  waType: string;
  /** `mediaData.mediaStage` at read time. */
  stage?: string;
  viewOnce: boolean;
  mimetype: string;
}

export interface NormalizedMessage {
  message: Message;
  media?: MediaSource;
}

const PREVIEW_MAX = 200;
const UNKNOWN_MIME = 'application/octet-stream';

export function normalizeMessage(model: unknown, context: MessageContext): NormalizedMessage | undefined {
  const id = messageIdOf(attr(model, MSG_ATTR.id));
  const timestamp = countAttr(model, MSG_ATTR.t);
  if (!id || timestamp === undefined) return undefined;
  const fromMe = id.startsWith('true_');
  const waType = stringAttr(model, MSG_ATTR.type) ?? 'unknown';
  const type = canonicalType(waType, flagAttr(model, MSG_ATTR.isGif));
  const message: Message = { id, chatId: context.chatId, timestamp, fromMe, type };

  if (type === 'system') {
    message.rawType = waType;
    message.system = normalizeSystem(model, waType);
    return { message };
  }
  const senderId = senderOf(model, context, fromMe);
  if (senderId) {
    message.senderId = senderId;
    const name = context.people.displayName(
      senderId,
      fromMe ? undefined : stringAttr(model, MSG_ATTR.notifyName),
    );
    if (name !== undefined) message.senderName = name;
  }
  if (fromMe) {
    const status = ACK_STATUSES[String(numberAttr(model, MSG_ATTR.ack))];
    if (status) message.deliveryStatus = status;
  }
  if (flagAttr(model, MSG_ATTR.isEphemeral)) message.ephemeral = true;
  if (type === 'revoked') {
    message.rawType = waType;
    message.deletion = deletionOf(model);
    return { message };
  }
  if (type === 'unknown') {
    message.rawType = waType;
    return { message };
  }

  const text = textOf(model, type);
  if (text !== undefined) message.text = text;
  const quoted = quotedOf(model, context);
  if (quoted) message.quoted = quoted;
  const reactions = context.reactionsOf?.(id, model);
  if (reactions && reactions.length > 0) message.reactions = reactions;
  const editedAtMs = countAttr(model, MSG_ATTR.latestEditSenderTimestampMs);
  if (editedAtMs !== undefined && editedAtMs > 0) message.edit = { editedAtMs };
  if (flagAttr(model, MSG_ATTR.isForwarded)) message.forwarded = true;
  const score = countAttr(model, MSG_ATTR.forwardingScore);
  if (score !== undefined && score > 0) message.forwardingScore = score;
  if (flagAttr(model, MSG_ATTR.star)) message.starred = true;
  if (flagAttr(model, MSG_ATTR.isViewOnce)) message.viewOnce = true;
  const mentions = jidList(attr(model, MSG_ATTR.mentionedJidList));
  if (mentions.length > 0) message.mentions = mentions;

  let media: MediaSource | undefined;
  switch (type) {
    case 'location':
      message.location = locationOf(model);
      break;
    case 'vcard':
    case 'multi_vcard':
      message.contactCards = contactCardsOf(model, type);
      break;
    case 'poll':
      message.poll = pollOf(model, context.votesOf?.(id));
      break;
    case 'image':
    case 'video':
    case 'gif':
    case 'ptt':
    case 'audio':
    case 'document':
    case 'sticker':
      ({ ref: message.media, source: media } = mediaOf(model, type, waType));
      break;
  }
  return media ? { message, media } : { message };
}

/** WhatsApp's message type (and `isGif`) in the schema's words (SCHEMA §5.1). */
export function canonicalType(waType: string, isGif: boolean): MessageType {
  if (waType === WA_TYPES.video && isGif) return 'gif';
  if ((WA_MEDIA_TYPES as readonly string[]).includes(waType)) return waType as MessageType;
  switch (waType) {
    case WA_TYPES.text:
      return 'chat';
    case WA_TYPES.location:
      return 'location';
    case WA_TYPES.vcard:
      return 'vcard';
    case WA_TYPES.multiVcard:
      return 'multi_vcard';
    case WA_TYPES.poll:
      return 'poll';
    case WA_TYPES.revoked:
      return 'revoked';
  }
  return (WA_SYSTEM_TYPES as readonly string[]).includes(waType) ? 'system' : 'unknown';
}

function senderOf(model: unknown, context: MessageContext, fromMe: boolean): Jid | undefined {
  if (fromMe) return context.people.account?.id ?? jidOf(attr(model, MSG_ATTR.from));
  const author = jidOf(attr(model, MSG_ATTR.author));
  if (author) return author;
  const kind = chatKindOfJid(context.chatId);
  return kind === 'individual' ? (jidOf(attr(model, MSG_ATTR.from)) ?? context.chatId) : undefined;
}

function textOf(model: unknown, type: MessageType): string | undefined {
  if (type === 'chat') return stringAttr(model, MSG_ATTR.body);
  // Media keep a thumbnail in `body`; their text is the caption.
  if (type === 'image' || type === 'video' || type === 'gif' || type === 'document') {
    return stringAttr(model, MSG_ATTR.caption);
  }
  return undefined;
}

function deletionOf(model: unknown): NonNullable<Message['deletion']> {
  const deletion: NonNullable<Message['deletion']> = {
    kind: stringAttr(model, MSG_ATTR.subtype) === REVOKED_BY_ADMIN ? 'admin' : 'everyone',
  };
  const by = jidOf(attr(model, MSG_ATTR.revokeSender));
  if (by) deletion.byId = by;
  const at = countAttr(model, MSG_ATTR.revokeTimestamp);
  if (at !== undefined) deletion.deletedAt = at;
  return deletion;
}

function quotedOf(model: unknown, context: MessageContext): QuotedMessage | undefined {
  const stanza = stringAttr(model, MSG_ATTR.quotedStanzaID);
  if (!stanza) return undefined;
  let loaded: unknown;
  try {
    loaded = context.quotedOf?.(model);
  } catch {
    loaded = undefined;
  }
  const senderId = jidOf(attr(model, MSG_ATTR.quotedParticipant));
  const id = messageIdOf(attr(loaded, MSG_ATTR.id)) ?? quotedIdFromParts(model, context, stanza, senderId);
  if (!id) return undefined;
  const quoted: QuotedMessage = { id };
  if (senderId) quoted.senderId = senderId;
  const snapshot = attr(model, MSG_ATTR.quotedMsg);
  const snapshotType = stringAttr(snapshot, MSG_ATTR.type);
  const preview = quotedPreview(snapshot, snapshotType);
  if (preview !== undefined) quoted.preview = preview;
  // The snapshot is what the quote looked like when the reply was sent (the quoted message may
  // have been deleted since); the loaded message only adds what the snapshot cannot say (GIF).
  const loadedType = stringAttr(loaded, MSG_ATTR.type);
  const loadedGif = loadedType === WA_TYPES.video && flagAttr(loaded, MSG_ATTR.isGif);
  const type = snapshotType
    ? quotedSnapshotType(snapshotType, flagAttr(snapshot, MSG_ATTR.isGif) || loadedGif)
    : loadedType
      ? canonicalType(loadedType, loadedGif)
      : undefined;
  if (type) quoted.type = type;
  return quoted;
}

/** The key of a quoted message as WhatsApp forms it: the participant only for others in groups. */
function quotedIdFromParts(model: unknown, context: MessageContext, stanza: string, sender?: Jid) {
  const remote = jidOf(attr(model, MSG_ATTR.quotedRemoteJid)) ?? context.chatId;
  const me = context.people.account?.id;
  const fromMe = sender !== undefined && sender === me;
  const participant = remote.endsWith('@g.us') && !fromMe ? sender : undefined;
  try {
    return formatMessageKey({ fromMe, remote, id: stanza, ...(participant ? { participant } : {}) });
  } catch {
    return undefined;
  }
}

function quotedSnapshotType(type: string, isGif: boolean): MessageType {
  if (type === WA_TYPES.video) return isGif ? 'gif' : 'video';
  // The snapshot may already use a canonical name (it is not a full model).
  if ((MESSAGE_TYPES as readonly string[]).includes(type)) return type as MessageType;
  return canonicalType(type, isGif);
}

function quotedPreview(snapshot: unknown, type: string | undefined): string | undefined {
  const text =
    type === WA_TYPES.text
      ? stringAttr(snapshot, MSG_ATTR.body)
      : (stringAttr(snapshot, MSG_ATTR.caption) ??
        stringAttr(snapshot, MSG_ATTR.pollName) ??
        stringAttr(snapshot, MSG_ATTR.loc)?.split('\n')[0]);
  return text === undefined ? undefined : truncate(text, PREVIEW_MAX);
}

/** At most `max` UTF-16 units, never cutting a surrogate pair in half. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

function locationOf(model: unknown): Location {
  const location: Location = {
    lat: numberAttr(model, MSG_ATTR.lat) ?? 0,
    lng: numberAttr(model, MSG_ATTR.lng) ?? 0,
  };
  // `loc` is the place's description: its name, then its address on the next line.
  const description = stringAttr(model, MSG_ATTR.loc);
  if (description !== undefined) {
    const newline = description.indexOf('\n');
    const name = newline < 0 ? description : description.slice(0, newline);
    const address = newline < 0 ? undefined : description.slice(newline + 1);
    if (name) location.name = name;
    if (address) location.address = address;
  }
  const url = stringAttr(model, MSG_ATTR.clientUrl);
  if (url) location.url = url;
  return location;
}

function contactCardsOf(model: unknown, type: 'vcard' | 'multi_vcard'): ContactCard[] {
  if (type === 'vcard') {
    return [
      {
        displayName: stringAttr(model, MSG_ATTR.vcardFormattedName) ?? '',
        vcard: stringAttr(model, MSG_ATTR.body) ?? '',
      },
    ];
  }
  const list = attr(model, MSG_ATTR.vcardList);
  const cards = (Array.isArray(list) ? list : []).flatMap((card): ContactCard[] => {
    const displayName = stringAttr(card, VCARD_ATTR.displayName);
    const vcard = stringAttr(card, VCARD_ATTR.vcard);
    return vcard === undefined ? [] : [{ displayName: displayName ?? '', vcard }];
  });
  return cards;
}

function pollOf(model: unknown, votes: PollVote[] | undefined): Poll {
  const options = attr(model, MSG_ATTR.pollOptions);
  const seen = new Set<number>();
  const poll: Poll = {
    question: stringAttr(model, MSG_ATTR.pollName) ?? '',
    options: (Array.isArray(options) ? options : []).flatMap((option) => {
      const id = countAttr(option, POLL_OPTION_ATTR.id);
      const name = stringAttr(option, POLL_OPTION_ATTR.name);
      if (id === undefined || name === undefined || seen.has(id)) return [];
      seen.add(id);
      return [{ id, name }];
    }),
    selectableCount: countAttr(model, MSG_ATTR.pollSelectableOptionsCount) ?? 0,
  };
  const valid = (votes ?? []).filter((vote) => vote.optionIds.every((option) => seen.has(option)));
  if (valid.length > 0) poll.votes = valid.sort((a, b) => compareStrings(a.voterId, b.voterId));
  return poll;
}

function mediaOf(model: unknown, type: MessageType, waType: string): { ref: MediaRef; source: MediaSource } {
  const mimetype = stringAttr(model, MSG_ATTR.mimetype) || UNKNOWN_MIME;
  const ref: MediaRef = { mimetype, status: 'failed', reason: 'not downloaded yet' };
  const filehash = stringAttr(model, MSG_ATTR.filehash);
  if (filehash) ref.filehash = filehash;
  const size = countAttr(model, MSG_ATTR.size);
  if (size !== undefined) ref.size = size;
  const filename = stringAttr(model, MSG_ATTR.filename);
  if (filename !== undefined) ref.filename = filename;
  for (const field of ['duration', 'width', 'height'] as const) {
    const value = countAttr(model, MSG_ATTR[field]);
    if (value !== undefined) ref[field] = value;
  }
  if (type === 'gif') ref.isGif = true;
  if (type === 'sticker' && flagAttr(model, MSG_ATTR.isAnimated)) ref.isAnimated = true;
  const data = attr(model, MSG_ATTR.mediaData);
  const stage = stringAttr(data, MSG_ATTR.mediaStage) ?? stringAttr(model, MSG_ATTR.mediaStage);
  const source: MediaSource = { waType, viewOnce: flagAttr(model, MSG_ATTR.isViewOnce), mimetype };
  if (filehash) source.filehash = filehash;
  const directPath = stringAttr(model, MSG_ATTR.directPath);
  if (directPath) source.directPath = directPath;
  const mediaKey = stringAttr(model, MSG_ATTR.mediaKey);
  if (mediaKey) source.mediaKey = mediaKey;
  const keyTime = numberAttr(model, MSG_ATTR.mediaKeyTimestamp);
  if (keyTime !== undefined) source.mediaKeyTimestamp = keyTime;
  const encFilehash = stringAttr(model, MSG_ATTR.encFilehash);
  if (encFilehash) source.encFilehash = encFilehash;
  if (stage) source.stage = stage;
  return { ref, source };
}

function jidList(value: unknown): Jid[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => jidOf(item) ?? []);
}
