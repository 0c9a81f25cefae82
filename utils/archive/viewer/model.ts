/**
 * The data the offline viewer reads, written by utils/archive/viewer-data.ts and read by the
 * viewer app (viewer/src). Keys are short because a 100 000-message chat is tens of megabytes
 * of it; every key is spelled out here.
 *
 * Data reaches the viewer as classic scripts next to index.html (Chromium blocks fetch() of
 * file:// URLs, but not <script src>): `viewer/chats.js` calls `ChatVaultArchive.archive(…)`,
 * and `viewer/data/chat-0001.js` calls `chatStart`, `chatMessages` (in slices) and `chatEnd`.
 */
export const RECEIVER_GLOBAL = 'ChatVaultArchive';

export interface ViewerArchive {
  /** Layout version of this data. */
  v: 1;
  /** IANA zone all times are shown in (the same as the .txt files). */
  timeZone: string;
  /** When the backed-up data was collected (unix seconds). */
  exportedAt: number;
  /** The backup this archive came from, in words (snapshot id and time). */
  source?: string;
  /** The account's own display name. */
  account?: string;
  /** How many problems problems.txt lists. */
  problems: number;
  chats: ViewerChatSummary[];
}

export interface ViewerChatSummary {
  /** 1-based number: data file `viewer/data/chat-<nnnn>.js`. */
  n: number;
  title: string;
  kind: string;
  /** The chat folder from the archive root, `/`-separated and not URL-encoded. */
  folder: string;
  /** Data script path from index.html. */
  data: string;
  count: number;
  /** Time of the first and last message (unix seconds). */
  first?: number;
  last?: number;
  /** The last message in a few words. */
  preview?: string;
  /** Group participants, when known. */
  members?: number;
  /** What is missing from this chat and why, in sentences. */
  notes: string[];
}

export interface ViewerChatHead {
  /** Author names, indexed by ViewerMessage.a. */
  people: string[];
  /**
   * The days of the chat in the archive's zone: [index of the day's first message, `YYYY-MM-DD`],
   * in order. Written by the archive's clock (the same days as the .txt), so the viewer needs no
   * time-zone arithmetic per message — 100 000 Intl calls would cost it a second at startup.
   */
  days: [number, string][];
}

export type ViewerMediaKind = 'image' | 'video' | 'gif' | 'ptt' | 'audio' | 'document' | 'sticker';

export interface ViewerMedia {
  k: ViewerMediaKind;
  /** Path from index.html (`/`-separated, not URL-encoded) when the file is in the archive. */
  f?: string;
  /** File name to show (documents: the original name). */
  n?: string;
  /** Size in bytes. */
  z?: number;
  w?: number;
  h?: number;
  /** Duration in seconds. */
  du?: number;
  /** Why the file is not in the archive. */
  miss?: string;
}

export interface ViewerQuote {
  /** Who wrote the quoted message. */
  a?: string;
  /** Preview text. */
  x: string;
  /** Index of the quoted message in this chat, when it is here. */
  i?: number;
}

export interface ViewerMessage {
  /** Unix seconds. */
  t: number;
  /** Index into ViewerChatHead.people; absent for system messages. */
  a?: number;
  /** 1 when the account sent it. */
  me?: 1;
  /** Message type (docs/SCHEMA.md §5.1). */
  y: string;
  /** Text or caption; for system messages the event in words. */
  x?: string;
  m?: ViewerMedia;
  q?: ViewerQuote;
  /** Reactions: [emoji, who]. */
  r?: [string, string][];
  /** 1 when edited. */
  e?: 1;
  /** How it was deleted, in words. */
  d?: string;
  /** 1 forwarded, 2 forwarded many times. */
  f?: 1 | 2;
  /** 1 when starred. */
  s?: 1;
  /** Location: lat, lng, name, address. */
  l?: { lat: number; lng: number; n?: string; ad?: string };
  /** Contact cards: name, .vcf path from index.html, phone numbers. */
  c?: { n: string; f?: string; tel: string[] }[];
  /** Poll: question, [option, votes], any number selectable (1) or not. */
  p?: { q: string; o: [string, number][]; multi?: 1 };
}

/** The receiver the data scripts call; defined by the viewer before they load. */
export interface ViewerReceiver {
  archive(data: ViewerArchive): void;
  chatStart(n: number, head: ViewerChatHead): void;
  chatMessages(n: number, messages: ViewerMessage[]): void;
  chatEnd(n: number): void;
}

/** Data script path of chat `n`, from index.html. */
export function chatDataPath(n: number): string {
  return `viewer/data/chat-${String(n).padStart(4, '0')}.js`;
}
