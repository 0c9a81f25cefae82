/**
 * Every name ChatVault depends on inside WhatsApp Web, in one place, so an update of the web
 * client is a one-file change. Sources for each are in /shared/guides/whatsapp-web.md
 * (whatsapp-web.js src/Client.js and src/util/Injected, wa-js src/loader and src/whatsapp).
 * Nothing else in utils/collect spells a WhatsApp module, attribute, type or DOM hook.
 */

/** Global set once the main bundle ran; `.VERSION` is the client version. */
export const DEBUG_GLOBAL = 'Debug';

/** The module-system global (client 2.3000+ defines modules with `__d` and exposes `require`). */
export const REQUIRE_GLOBAL = 'require';
export const DEFINE_GLOBAL = '__d';

/** `require('__debug').modulesMap` lists every registered module by name (wa-js src/loader). */
export const DEBUG_MODULE = '__debug';
export const MODULES_MAP_EXPORT = 'modulesMap';
/** Module ids worth scanning when a lookup by name misses (wa-js: `/^(?:use)?WA/`). */
export const SCANNABLE_MODULE_ID = /^(?:use)?WA/;
/** Lazy bundles are forced in with `require('Bootloader').loadModules([...names], callback)`. */
export const BOOTLOADER_MODULE = 'Bootloader';
export const BOOTLOADER_LOAD = 'loadModules';

/** wa-js polls the module registry this often and calls it settled after this long without change. */
export const MODULE_POLL_MS = 250;
export const MODULE_QUIET_MS = 750;

/** Module holding the connection state (`Socket.state`, `Socket.hasSynced`). */
export const SOCKET_MODULES = ['WAWebSocketModel'] as const;
export const SOCKET_EXPORT = 'Socket';
export const SOCKET_STATE = 'state';
export const SOCKET_HAS_SYNCED = 'hasSynced';

/** Socket states while connecting: wait them out. */
export const CONNECTING_SOCKET_STATES = [
  'OPENING',
  'UNLAUNCHED',
  'PAIRING',
  'CONNECTED',
  'RESUMING',
  'SYNCING',
];

/** Socket states meaning the device is not linked: the user must scan the QR code. */
export const UNPAIRED_SOCKET_STATES = ['UNPAIRED', 'UNPAIRED_IDLE'];

/** Where WhatsApp Web lives; content scripts match it and only it may report page data. */
export const WHATSAPP_WEB_ORIGIN = 'https://web.whatsapp.com';

/** WhatsApp's media server; `directPath` is appended to it. */
export const MEDIA_HOST = 'https://mmg.whatsapp.net';

/**
 * What the collector looks for in the module registry. Each role names the modules the record
 * knows (tried first, in order) and the export paths that hold the value; `shape` is what the
 * value must look like. When no named module has it, every scannable module is tried with the
 * same paths, so a renamed module is still found (wa-js issues #3419, #3481, #3618).
 * `lazy: true`: the module may sit in a bundle that loads on demand (Bootloader).
 */
export type ModuleShape = 'collection' | 'function' | 'object';

export interface ModuleRole {
  names: readonly string[];
  /** Export paths, e.g. `['Chat']` for `exports.Chat`, `['downloadManager', 'downloadAndMaybeDecrypt']`. */
  paths: readonly (readonly string[])[];
  shape: ModuleShape;
  lazy?: boolean;
}

export const MODULE_ROLES = {
  socket: { names: SOCKET_MODULES, paths: [[SOCKET_EXPORT]], shape: 'object' },
  chats: {
    names: ['WAWebCollections', 'WAWebChatCollection'],
    paths: [['Chat'], ['ChatCollection']],
    shape: 'collection',
  },
  messages: {
    names: ['WAWebCollections', 'WAWebMsgCollection'],
    paths: [['Msg'], ['MsgCollection']],
    shape: 'collection',
  },
  contacts: {
    names: ['WAWebCollections', 'WAWebContactCollection'],
    paths: [['Contact'], ['ContactCollection']],
    shape: 'collection',
  },
  groupMetadata: {
    names: ['WAWebCollections', 'WAWebGroupMetadataCollection'],
    paths: [['GroupMetadata'], ['GroupMetadataCollection']],
    shape: 'collection',
  },
  reactions: {
    names: ['WAWebCollections', 'WAWebReactionsCollection'],
    paths: [['Reactions'], ['ReactionsCollection']],
    shape: 'collection',
  },
  pollVotes: {
    names: ['WAWebCollections', 'WAWebPollVoteCollection'],
    paths: [['PollVote'], ['PollVoteCollection']],
    shape: 'collection',
  },
  loadEarlierMsgs: {
    names: ['WAWebChatLoadMessages'],
    paths: [['loadEarlierMsgs']],
    shape: 'function',
  },
  findByDirection: {
    names: ['WAWebDBMessageFindLocal'],
    paths: [['msgFindByDirection']],
    shape: 'function',
    lazy: true,
  },
  peerDataRequest: {
    names: ['WAWebSendNonMessageDataRequest'],
    paths: [['sendPeerDataOperationRequest']],
    shape: 'function',
    lazy: true,
  },
  quotedMsg: {
    names: ['WAWebQuotedMsgModelUtils'],
    paths: [['getQuotedMsgObj']],
    shape: 'function',
  },
  lidCache: {
    names: ['WAWebApiContact'],
    paths: [['lidPnCache']],
    shape: 'object',
  },
  meUser: {
    names: ['WAWebUserPrefsMeUser'],
    paths: [['getMaybeMeUser']],
    shape: 'function',
  },
  meDisplayName: {
    names: ['WAWebUserPrefsMeUser'],
    paths: [['getMaybeMeDisplayName']],
    shape: 'function',
  },
  conn: { names: ['WAWebConnModel'], paths: [['Conn']], shape: 'object' },
  downloadManager: {
    names: ['WAWebDownloadManager'],
    paths: [['downloadManager', 'downloadAndMaybeDecrypt']],
    shape: 'function',
    lazy: true,
  },
} as const satisfies Record<string, ModuleRole>;

export type ModuleRoleName = keyof typeof MODULE_ROLES;

/**
 * The Backbone-style API of WhatsApp Web's models and collections (wa-js src/whatsapp/models):
 * `getModelsArray()`, the live `models`, `get(id)`, the database-backed `find(id)`, and a model's
 * plain attributes through `serialize()`.
 */
export const MODEL_API = {
  modelsArray: 'getModelsArray',
  models: 'models',
  get: 'get',
  find: 'find',
  serialize: 'serialize',
} as const;

/** `sendPeerDataOperationRequest(HISTORY_SYNC_ON_DEMAND, {chatId})` asks the phone for older history. */
export const PEER_DATA_HISTORY_REQUEST = 3;
/** `endOfHistoryTransferType` values meaning the phone still holds older messages. */
export const MORE_HISTORY_ON_PHONE = [0, 2] as const;

/** Attribute names on WhatsApp Web's models (whatsapp-web.md "Message model"). */
export const CHAT_ATTR = {
  id: 'id',
  t: 't',
  name: 'name',
  title: 'formattedTitle',
  isGroup: 'isGroup',
  archive: 'archive',
  pin: 'pin',
  muteExpiration: 'muteExpiration',
  mute: 'mute',
  ephemeralDuration: 'ephemeralDuration',
  endOfHistory: 'endOfHistoryTransferType',
  groupMetadata: 'groupMetadata',
  msgs: 'msgs',
  loadState: 'msgLoadState',
  noEarlierMsgs: 'noEarlierMsgs',
} as const;

export const GROUP_ATTR = {
  subject: 'subject',
  description: 'desc',
  owner: 'owner',
  creation: 'creation',
  participants: 'participants',
  participantId: 'id',
  isAdmin: 'isAdmin',
  isSuperAdmin: 'isSuperAdmin',
} as const;

/** `Conn.pushname`: the account's own push name. */
export const CONN_PUSHNAME = 'pushname';

export const CONTACT_ATTR = {
  id: 'id',
  name: 'name',
  pushname: 'pushname',
  isGroup: 'isGroup',
  phoneNumber: 'phoneNumber',
} as const;

/** `lidPnCache.getPhoneNumber(lid)` gives the phone Wid of an `@lid` id. */
export const LID_TO_PHONE = 'getPhoneNumber';

export const MSG_ATTR = {
  id: 'id',
  t: 't',
  type: 'type',
  subtype: 'subtype',
  body: 'body',
  caption: 'caption',
  from: 'from',
  author: 'author',
  notifyName: 'notifyName',
  ack: 'ack',
  isForwarded: 'isForwarded',
  forwardingScore: 'forwardingScore',
  star: 'star',
  isViewOnce: 'isViewOnce',
  isEphemeral: 'isEphemeral',
  quotedStanzaID: 'quotedStanzaID',
  quotedRemoteJid: 'quotedRemoteJid',
  quotedParticipant: 'quotedParticipant',
  quotedMsg: 'quotedMsg',
  mentionedJidList: 'mentionedJidList',
  hasReaction: 'hasReaction',
  mimetype: 'mimetype',
  filename: 'filename',
  size: 'size',
  duration: 'duration',
  width: 'width',
  height: 'height',
  isGif: 'isGif',
  isAnimated: 'isAnimated',
  mediaKey: 'mediaKey',
  mediaKeyTimestamp: 'mediaKeyTimestamp',
  directPath: 'directPath',
  filehash: 'filehash',
  encFilehash: 'encFilehash',
  mediaData: 'mediaData',
  mediaStage: 'mediaStage',
  latestEditSenderTimestampMs: 'latestEditSenderTimestampMs',
  revokeSender: 'revokeSender',
  revokeTimestamp: 'revokeTimestamp',
  lat: 'lat',
  lng: 'lng',
  loc: 'loc',
  clientUrl: 'clientUrl',
  vcardFormattedName: 'vcardFormattedName',
  vcardList: 'vcardList',
  pollName: 'pollName',
  pollOptions: 'pollOptions',
  pollSelectableOptionsCount: 'pollSelectableOptionsCount',
  recipients: 'recipients',
  templateParams: 'templateParams',
  isVideoCall: 'isVideoCall',
  callOutcome: 'callOutcome',
  callDuration: 'callDuration',
} as const;

/** MsgKey: `_serialized` until client 2.3000.1042401057, `toString()` always. */
export const MSG_KEY_SERIALIZED = '_serialized';
/** Wid kept `_serialized`. */
export const WID_SERIALIZED = '_serialized';
/** The wire protocol's user server; WhatsApp Web's models say `c.us`. */
export const WIRE_USER_SERVER = 's.whatsapp.net';

/** `Reactions.find(msgId)` → `.reactions.serialize()` → aggregates with `senders`. */
export const REACTION_ATTR = {
  reactions: 'reactions',
  senders: 'senders',
  text: 'reactionText',
  sender: 'senderUserJid',
  timestamp: 'timestamp',
} as const;

/** Entries of `vcardList` (multi_vcard). */
export const VCARD_ATTR = { displayName: 'displayName', vcard: 'vcard' } as const;

/** `msgFindByDirection` answers `{messages, status}`: database rows, oldest first. */
export const FIND_BY_DIRECTION_ROWS = 'messages';

/** Poll votes: PollVote models pointing at their poll by `parentMsgKey`. */
export const POLL_VOTE_ATTR = {
  parent: 'parentMsgKey',
  sender: 'sender',
  timestampMs: 'senderTimestampMs',
  selected: 'selectedOptionLocalIds',
} as const;
export const POLL_OPTION_ATTR = { name: 'name', id: 'localId' } as const;

/** `mediaData.mediaStage` when the server no longer has the file and the phone must upload it. */
export const MEDIA_STAGE_EXPIRED = 'REUPLOADING';
/** HTTP answers of mmg.whatsapp.net for expired media. */
export const EXPIRED_HTTP_STATUSES = [404, 410] as const;
/** Where the client's download errors carry the HTTP status, when they do. */
export const ERROR_STATUS_FIELDS = ['status', 'httpStatus', 'statusCode'] as const;

/** WhatsApp message types, by what the canonical schema makes of them. */
export const WA_TYPES = {
  text: 'chat',
  video: 'video',
  location: 'location',
  vcard: 'vcard',
  multiVcard: 'multi_vcard',
  poll: 'poll_creation',
  revoked: 'revoked',
  groupNotification: 'gp2',
  e2eNotification: 'e2e_notification',
  callLog: 'call_log',
  template: 'notification_template',
} as const;
/** Media types WhatsApp and the canonical schema spell alike (a GIF is `video` + `isGif`). */
export const WA_MEDIA_TYPES = ['image', 'video', 'ptt', 'audio', 'document', 'sticker'] as const;
/** Types that are system notices (SCHEMA §5.11). */
export const WA_SYSTEM_TYPES = ['gp2', 'e2e_notification', 'call_log', 'notification_template'] as const;
/** `revoked` subtype when a group admin removed it. */
export const REVOKED_BY_ADMIN = 'admin';
/** `call_log` outcome of a call nobody answered. */
export const CALL_MISSED = 'MISSED';

/** `gp2` subtypes → canonical subtypes; any other gp2 subtype is a settings change named by it. */
export const GROUP_NOTIFICATION_SUBTYPES: Readonly<Record<string, string>> = {
  create: 'group-create',
  add: 'group-add',
  remove: 'group-remove',
  leave: 'group-leave',
  invite: 'group-join-via-link',
  promote: 'group-promote',
  demote: 'group-demote',
  subject: 'group-subject',
  description: 'group-description',
  picture: 'group-picture',
};
/** gp2 subtypes whose `body` carries the new value. */
export const GROUP_NOTIFICATION_VALUE_IN_BODY = ['create', 'subject', 'description'] as const;
export const E2E_NOTIFICATION_SUBTYPES: Readonly<Record<string, string>> = {
  encrypt: 'e2e-encrypted',
  identity: 'security-code-changed',
};
export const TEMPLATE_SUBTYPES: Readonly<Record<string, string>> = {
  disappearing_mode: 'ephemeral-setting',
  change_number: 'number-changed',
};

/** `ack` → delivery status (−1 failed … 4 played). */
export const ACK_STATUSES: Readonly<
  Record<string, 'failed' | 'pending' | 'sent' | 'delivered' | 'read' | 'played'>
> = { '-1': 'failed', '0': 'pending', '1': 'sent', '2': 'delivered', '3': 'read', '4': 'played' };

/** HKDF info per key family (whatsapp-web.md "Media encryption"). */
export const MEDIA_KEY_INFO = {
  image: 'WhatsApp Image Keys',
  video: 'WhatsApp Video Keys',
  audio: 'WhatsApp Audio Keys',
  document: 'WhatsApp Document Keys',
} as const;
export type MediaKeyFamily = keyof typeof MEDIA_KEY_INFO;
/** Message type → key family: image/sticker → Image, video/gif → Video, audio/ptt → Audio. */
export const MEDIA_KEY_FAMILY: Readonly<Record<string, MediaKeyFamily>> = {
  image: 'image',
  sticker: 'image',
  video: 'video',
  gif: 'video',
  audio: 'audio',
  ptt: 'audio',
  document: 'document',
};
/** Length of the truncated HMAC at the end of an encrypted media file. */
export const MEDIA_MAC_BYTES = 10;

/**
 * The DOM, for the fallback only (whatsapp-web.md "The DOM"). It changes often: the packed
 * `data-id` went away in April 2026, the sender moved to `span[data-testid="author"]` in May 2026.
 */
export const DOM = {
  chatList: '#pane-side',
  chatListItem: '#pane-side [role="listitem"]',
  chatTitle: 'span[title]',
  main: '#main',
  timeline: '#main [role="application"]',
  row: '#main [role="row"]',
  dataId: '[data-id]',
  dataIdAttribute: 'data-id',
  testIdAttribute: 'data-testid',
  prePlainText: '[data-pre-plain-text]',
  prePlainTextAttribute: 'data-pre-plain-text',
  text: '[data-testid="selectable-text"]',
  author: 'span[data-testid="author"]',
  outgoing: '.message-out',
  mediaPrefix: 'media-',
  mediaMarker: '[data-testid^="media-"]',
  qrCode: 'canvas[aria-label^="Scan this QR code"]',
  /** `data-testid="media-<type>"` on media bubbles; the suffix is the message type. */
  mediaTypes: ['image', 'video', 'gif', 'ptt', 'audio', 'document', 'sticker'],
  /** Bubbles of deleted messages say so in the UI language (English here). */
  deletedTexts: {
    'This message was deleted': 'everyone',
    'This message was deleted by admin': 'admin',
    'You deleted this message': 'everyone',
  } as Readonly<Record<string, 'everyone' | 'admin'>>,
} as const;
