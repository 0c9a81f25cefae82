import { FILEHASH_PATTERN } from './filehash';
import { JID_PATTERN, PHONE_PATTERN } from './jid';
import { MESSAGE_ID_PATTERN } from './message-key';
import {
  CHAT_KINDS,
  COLLECTION_SOURCES,
  DATASET_FORMAT,
  DATASET_VERSION,
  DELETION_KINDS,
  DELIVERY_STATUSES,
  MEDIA_STATUSES,
  MESSAGE_TYPES,
  PARTICIPANT_ROLES,
} from './types';
import { z } from './zod';

/**
 * Structural zod schemas mirroring types.ts member for member (a type test keeps them equal).
 * Cross-field rules (ordering, uniqueness, "media present exactly for media types", …) live in
 * invariants.ts, where they can report precise paths without zod's refinement plumbing.
 *
 * `keep`: members this version does not know are kept as they are (a newer writer's additions
 * survive a round trip through an older reader). `reject`: they are errors — for data from our
 * own collector, where an unknown member means the two sides drifted apart.
 */
export type UnknownKeys = 'keep' | 'reject';

export function buildSchemas(unknownKeys: UnknownKeys) {
  // looseObject's inferred type grows an index signature; typing both modes as strictObject keeps
  // the inferred types identical to types.ts, while unknown members still pass through at run time.
  const object = (unknownKeys === 'keep' ? z.looseObject : z.strictObject) as typeof z.strictObject;

  const jid = z.string().max(256).regex(JID_PATTERN, 'must be a WhatsApp JID like 123@c.us or 123-456@g.us');
  const messageId = z
    .string()
    .max(512)
    .regex(MESSAGE_ID_PATTERN, 'must be a message key like true_<chat JID>_<id>[_<participant JID>]');
  const filehash = z.string().regex(FILEHASH_PATTERN, 'must be base64 of a 32-byte SHA-256 (44 characters)');
  const phone = z.string().regex(PHONE_PATTERN, 'must be an E.164 phone number like +4915112345678');
  const seconds = z.int().nonnegative();
  const millis = z.int().nonnegative();
  const count = z.int().nonnegative();
  const mimetype = z
    .string()
    .max(255)
    .regex(/^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(\s*;.*)?$/, 'must be a MIME type like image/jpeg');
  const systemSubtype = z
    .string()
    .max(64)
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a kebab-case system event subtype like group-add');

  const account = object({ id: jid, name: z.string().optional() });

  const contact = object({
    name: z.string().optional(),
    pushname: z.string().optional(),
    phone: phone.optional(),
    phoneJid: jid.optional(),
  });
  const contacts = z.record(jid, contact);

  const participant = object({
    id: jid,
    name: z.string().optional(),
    phone: phone.optional(),
    role: z.enum(PARTICIPANT_ROLES),
  });

  const group = object({
    subject: z.string(),
    description: z.string().optional(),
    ownerId: jid.optional(),
    createdAt: seconds.optional(),
    participants: z.array(participant),
  });

  const completeness = object({
    moreHistoryOnPhone: z.boolean(),
    source: z.enum(COLLECTION_SOURCES),
    expiredMedia: count,
    failedMedia: count,
    skippedMedia: count,
  });

  const chat = object({
    id: jid,
    kind: z.enum(CHAT_KINDS),
    name: z.string().optional(),
    group: group.optional(),
    archived: z.boolean().optional(),
    pinned: z.boolean().optional(),
    muted: z.boolean().optional(),
    ephemeralDuration: z.int().positive().optional(),
    completeness,
  });

  const messageType = z.enum(MESSAGE_TYPES);

  const quoted = object({
    id: messageId,
    senderId: jid.optional(),
    preview: z.string().optional(),
    type: messageType.optional(),
  });

  const reaction = object({
    emoji: z.string().min(1).max(64),
    senderId: jid,
    timestampMs: millis,
  });

  const editVersion = object({ text: z.string(), editedAtMs: millis.optional() });
  const edit = object({ editedAtMs: millis, previousVersions: z.array(editVersion).optional() });

  const deletion = object({
    kind: z.enum(DELETION_KINDS),
    byId: jid.optional(),
    deletedAt: seconds.optional(),
  });

  const media = object({
    filehash: filehash.optional(),
    mimetype,
    size: count.optional(),
    filename: z.string().max(1024).optional(),
    duration: count.optional(),
    width: count.optional(),
    height: count.optional(),
    isGif: z.boolean().optional(),
    isAnimated: z.boolean().optional(),
    status: z.enum(MEDIA_STATUSES),
    reason: z.string().min(1).optional(),
  });

  const location = object({
    lat: z.number().min(-90).max(90),
    lng: z.number().min(-180).max(180),
    name: z.string().optional(),
    address: z.string().optional(),
    url: z.string().optional(),
  });

  const contactCard = object({ displayName: z.string(), vcard: z.string() });

  const pollOption = object({ id: count, name: z.string() });
  const pollVote = object({ voterId: jid, optionIds: z.array(count), timestampMs: millis.optional() });
  const poll = object({
    question: z.string(),
    options: z.array(pollOption).min(1),
    selectableCount: count,
    votes: z.array(pollVote).optional(),
  });

  const system = object({
    subtype: systemSubtype,
    actorId: jid.optional(),
    participantIds: z.array(jid).optional(),
    value: z.string().optional(),
    duration: count.optional(),
  });

  const message = object({
    id: messageId,
    chatId: jid,
    timestamp: seconds,
    fromMe: z.boolean(),
    senderId: jid.optional(),
    senderName: z.string().optional(),
    type: messageType,
    rawType: z.string().max(64).optional(),
    text: z.string().optional(),
    quoted: quoted.optional(),
    reactions: z.array(reaction).optional(),
    edit: edit.optional(),
    deletion: deletion.optional(),
    forwarded: z.boolean().optional(),
    forwardingScore: count.optional(),
    starred: z.boolean().optional(),
    viewOnce: z.boolean().optional(),
    ephemeral: z.boolean().optional(),
    mentions: z.array(jid).optional(),
    deliveryStatus: z.enum(DELIVERY_STATUSES).optional(),
    media: media.optional(),
    location: location.optional(),
    contactCards: z.array(contactCard).optional(),
    poll: poll.optional(),
    system: system.optional(),
  });

  const dataset = object({
    format: z.literal(DATASET_FORMAT),
    version: z.literal(DATASET_VERSION),
    exportedAt: seconds,
    account: account.optional(),
    contacts,
    chats: z.array(chat),
    messages: z.array(message),
  });

  return { account, contact, contacts, participant, group, completeness, chat, message, media, dataset };
}

export type Schemas = ReturnType<typeof buildSchemas>;
