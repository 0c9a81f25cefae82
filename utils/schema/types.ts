/**
 * The canonical chat schema, version 1 — the TypeScript mirror of docs/SCHEMA.md.
 *
 * Everything downstream of the collector (catalog, backup segments, restore archive, CLI) speaks
 * these types. They are deliberately client-independent: the collector normalises WhatsApp Web's
 * models into them, so a change in the web client never reaches past utils/collect.
 *
 * Conventions (see docs/SCHEMA.md for the full rules):
 * - Time fields whose name ends in `Ms` are integer unix MILLISECONDS (WhatsApp gives reaction,
 *   edit and vote times that way); every other time field is integer unix SECONDS.
 * - Optional booleans mean `false` when absent and optional arrays mean "none" when absent;
 *   writers omit them rather than writing `false` / `[]`, so identical content gives identical bytes.
 * - Validation lives in validate.ts (zod); these types are the contract, that file enforces it.
 */

export const DATASET_FORMAT = 'chatvault-dataset';
export const DATASET_VERSION = 1;

/** A WhatsApp id: `<user>@c.us`, `<group>@g.us`, `<id>@lid`, `<id>@newsletter`, `status@broadcast`, … */
export type Jid = string;
/** WhatsApp's MsgKey string: `<fromMe>_<remote JID>_<stanza id>[_<participant JID>]`. */
export type MessageId = string;
/** WhatsApp's filehash: standard base64 (with padding) of the SHA-256 of the media's plaintext bytes. */
export type Filehash = string;
/** Whole seconds since 1970-01-01T00:00:00Z. */
export type UnixSeconds = number;
/** Whole milliseconds since 1970-01-01T00:00:00Z. */
export type UnixMillis = number;

export const CHAT_KINDS = ['individual', 'group', 'broadcast', 'newsletter', 'status'] as const;
export type ChatKind = (typeof CHAT_KINDS)[number];

export const MESSAGE_TYPES = [
  'chat',
  'image',
  'video',
  'gif',
  'ptt',
  'audio',
  'document',
  'sticker',
  'location',
  'vcard',
  'multi_vcard',
  'poll',
  'revoked',
  'system',
  'unknown',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Message types that carry a `media` reference. */
export const MEDIA_MESSAGE_TYPES = ['image', 'video', 'gif', 'ptt', 'audio', 'document', 'sticker'] as const;
export type MediaMessageType = (typeof MEDIA_MESSAGE_TYPES)[number];

export const MEDIA_STATUSES = ['stored', 'expired', 'failed', 'skipped'] as const;
export type MediaStatus = (typeof MEDIA_STATUSES)[number];

export const PARTICIPANT_ROLES = ['member', 'admin', 'superadmin'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

export const COLLECTION_SOURCES = ['modules', 'dom', 'mixed'] as const;
export type CollectionSource = (typeof COLLECTION_SOURCES)[number];

export const DELETION_KINDS = ['everyone', 'admin'] as const;
export type DeletionKind = (typeof DELETION_KINDS)[number];

/** WhatsApp's `ack` in words: −1 failed, 0 pending, 1 sent (server), 2 delivered, 3 read, 4 played. */
export const DELIVERY_STATUSES = ['failed', 'pending', 'sent', 'delivered', 'read', 'played'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * System event subtypes readers know how to render. The list is open: any kebab-case subtype is
 * valid, and a reader renders one it does not know generically (see docs/SCHEMA.md).
 */
export const KNOWN_SYSTEM_SUBTYPES = [
  'group-create',
  'group-add',
  'group-remove',
  'group-leave',
  'group-join-via-link',
  'group-promote',
  'group-demote',
  'group-subject',
  'group-description',
  'group-picture',
  'group-settings',
  'e2e-encrypted',
  'security-code-changed',
  'ephemeral-setting',
  'number-changed',
  'call-voice',
  'call-video',
  'call-missed-voice',
  'call-missed-video',
] as const;
export type KnownSystemSubtype = (typeof KNOWN_SYSTEM_SUBTYPES)[number];

/** The unit of import and export: every chat, message and name; media bytes live beside it by filehash. */
export interface Dataset {
  format: typeof DATASET_FORMAT;
  version: typeof DATASET_VERSION;
  /** When this dataset was produced (seconds). */
  exportedAt: UnixSeconds;
  /** The WhatsApp account the chats belong to, when known. */
  account?: Account;
  /** Names and phone numbers by JID, for every sender, participant and chat partner known. */
  contacts: Record<Jid, Contact>;
  /** Sorted by `id`; ids unique. */
  chats: Chat[];
  /** Sorted by (`chatId`, `timestamp`, `id`); ids unique; every `chatId` names a chat above. */
  messages: Message[];
}

export interface Account {
  id: Jid;
  /** The account's own push name. */
  name?: string;
}

export interface Contact {
  /** The name in the user's address book. */
  name?: string;
  /** The name the person chose for themselves (WhatsApp's `pushname` / `notifyName`). */
  pushname?: string;
  /** E.164 phone number with a leading `+`, when known. */
  phone?: string;
  /** For an `@lid` id: the `@c.us` JID of the same person, when WhatsApp's LID cache knows it. */
  phoneJid?: Jid;
}

export interface Chat {
  id: Jid;
  kind: ChatKind;
  /** The title WhatsApp showed for the chat when it was collected. */
  name?: string;
  /** Present only for `kind: 'group'`, when the group's metadata was available. */
  group?: GroupInfo;
  archived?: boolean;
  pinned?: boolean;
  muted?: boolean;
  /** Disappearing-messages timer in seconds, when it was on at collection time. */
  ephemeralDuration?: number;
  /** What the collector could and could not get for this chat. */
  completeness: Completeness;
}

export interface GroupInfo {
  subject: string;
  description?: string;
  ownerId?: Jid;
  /** When the group was created (seconds). */
  createdAt?: UnixSeconds;
  /** Current participants, sorted by `id`, ids unique. */
  participants: Participant[];
}

export interface Participant {
  id: Jid;
  /** Display name at collection time. */
  name?: string;
  /** E.164 phone number with a leading `+`, when known (also for `@lid` participants). */
  phone?: string;
  role: ParticipantRole;
}

export interface Completeness {
  /** The phone holds older history the web client never received (`endOfHistoryTransferType === 0`). */
  moreHistoryOnPhone: boolean;
  /** `modules`: WhatsApp Web's own models (complete fields); `dom`: the visible page only (partial). */
  source: CollectionSource;
  /** Number of this chat's messages whose media has the given status. */
  expiredMedia: number;
  failedMedia: number;
  skippedMedia: number;
}

export interface Message {
  id: MessageId;
  chatId: Jid;
  /** When the message was sent (seconds), WhatsApp's `t`. */
  timestamp: UnixSeconds;
  fromMe: boolean;
  /** Who sent it; in groups the author (may be an `@lid` id). */
  senderId?: Jid;
  /** The sender's display name at the time the message was collected. */
  senderName?: string;
  type: MessageType;
  /** The client's own type name when it says more than `type` (e.g. `gp2`, `call_log`, `ciphertext`). */
  rawType?: string;
  /** Message text, or the caption of media; the current version when edited. */
  text?: string;
  quoted?: QuotedMessage;
  /** Sorted by `senderId`; one reaction per sender. */
  reactions?: Reaction[];
  edit?: EditInfo;
  deletion?: Deletion;
  forwarded?: boolean;
  /** How many times it was forwarded along the way (WhatsApp shows "forwarded many times" from 4). */
  forwardingScore?: number;
  starred?: boolean;
  viewOnce?: boolean;
  ephemeral?: boolean;
  /** JIDs mentioned in the text, in order of appearance. */
  mentions?: Jid[];
  deliveryStatus?: DeliveryStatus;
  /** Present exactly for the media types. */
  media?: MediaRef;
  /** Present exactly for `type: 'location'`. */
  location?: Location;
  /** Present exactly for `vcard` (one card) and `multi_vcard` (one or more). */
  contactCards?: ContactCard[];
  /** Present exactly for `type: 'poll'`. */
  poll?: Poll;
  /** Present exactly for `type: 'system'`. */
  system?: SystemEvent;
}

/** A reply's reference to the message it quotes; the quoted message may be outside the dataset. */
export interface QuotedMessage {
  id: MessageId;
  senderId?: Jid;
  /** A short preview of the quoted text or caption (writers keep it to at most 200 characters). */
  preview?: string;
  type?: MessageType;
}

export interface Reaction {
  emoji: string;
  senderId: Jid;
  timestampMs: UnixMillis;
}

export interface EditInfo {
  /** When the current text was written. */
  editedAtMs: UnixMillis;
  /** Earlier versions, oldest first, when known; the first one is the original text. */
  previousVersions?: EditVersion[];
}

export interface EditVersion {
  text: string;
  /** When this version was written; absent for the original (whose time is the message's). */
  editedAtMs?: UnixMillis;
}

export interface Deletion {
  /** `everyone`: the sender deleted it for everyone; `admin`: a group admin deleted it. */
  kind: DeletionKind;
  byId?: Jid;
  deletedAt?: UnixSeconds;
}

export interface MediaRef {
  /** The media's identity; required when `status` is `stored`. */
  filehash?: Filehash;
  mimetype: string;
  /** Plaintext size in bytes. */
  size?: number;
  filename?: string;
  /** Playing time in whole seconds (audio, voice notes, video, GIF). */
  duration?: number;
  width?: number;
  height?: number;
  /** True exactly for `type: 'gif'` (WhatsApp sends GIFs as short MP4 videos). */
  isGif?: boolean;
  /** Animated sticker; only for `type: 'sticker'`. */
  isAnimated?: boolean;
  /** `stored`: the bytes are in the dataset's media store under `filehash`. */
  status: MediaStatus;
  /** Why the bytes are missing; required unless `status` is `stored`. */
  reason?: string;
}

export interface Location {
  lat: number;
  lng: number;
  name?: string;
  address?: string;
  url?: string;
}

export interface ContactCard {
  displayName: string;
  /** The vCard text as WhatsApp carried it. */
  vcard: string;
}

export interface Poll {
  question: string;
  /** Option ids are unique within the poll. */
  options: PollOption[];
  /** How many options a voter may pick; 0 means any number. */
  selectableCount: number;
  /** Sorted by `voterId`; one entry per voter; only when votes were visible. */
  votes?: PollVote[];
}

export interface PollOption {
  id: number;
  name: string;
}

export interface PollVote {
  voterId: Jid;
  /** Ids of the chosen options. */
  optionIds: number[];
  timestampMs?: UnixMillis;
}

export interface SystemEvent {
  /** Kebab-case; see KNOWN_SYSTEM_SUBTYPES. */
  subtype: string;
  /** Who caused the event (e.g. the admin who added someone). */
  actorId?: Jid;
  /** Who it happened to (e.g. the people added). */
  participantIds?: Jid[];
  /** The new value for changes: new subject, new description, new phone JID, timer seconds as text. */
  value?: string;
  /** Call length in seconds for call events. */
  duration?: number;
}
