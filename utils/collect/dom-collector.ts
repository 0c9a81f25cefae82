import { chatKindOfJid, isJid } from '@/utils/schema/jid';
import { isMessageId, parseMessageKey } from '@/utils/schema/message-key';
import type { Chat, Jid, MediaMessageType, Message } from '@/utils/schema/types';
import { digitsHash, localSeconds, mergeSnapshot, parsePrePlainText, type StampParts } from './dom-parse';
import type { CollectRunContext } from './module-collector';
import { abortableSleep, humanPause } from './pace';
import { DOM } from './whatsapp-names';

/**
 * The degraded fallback when WhatsApp Web's modules cannot be found: open each chat in the page,
 * scroll its virtualised timeline up to the start and keep what was rendered, merged by row id
 * (whatsapp-web.md "The DOM"). What the page does not show is not there: sender ids, reactions,
 * edits, exact times (minutes only), media bytes. Every chat is marked `source: 'dom'` and the
 * completeness report calls it partial. Opening a chat is not read-only on the real site (it
 * sends read receipts), which is one more reason this is only a fallback.
 */
export interface DomRow {
  /** The row's id in the merged order: its `data-id`, or a stand-in. */
  key: string;
  dataId?: string;
  stamp?: StampParts;
  sender?: string;
  text?: string;
  fromMe: boolean;
  mediaType?: MediaMessageType;
}

const SETTLE_MS = 60;
const QUIET_CHECKS = 4;
const OPEN_TIMEOUT_MS = 10_000;

export async function collectFromDom(doc: Document, run: CollectRunContext): Promise<void> {
  const { signal, send, progress, start } = run;
  const titles = [...doc.querySelectorAll(DOM.chatListItem)].map(titleOf);
  progress.chatsTotal = titles.length;
  for (let index = 0; index < titles.length; index++) {
    signal.throwIfAborted();
    const item = doc.querySelectorAll(DOM.chatListItem)[index] as HTMLElement | undefined;
    if (!item) break;
    const title = titles[index]!;
    await openChat(doc, item, title, signal);
    const { rows, reachedStart } = await readTimeline(doc, start.options.paceMs, signal);
    const { chat, messages } = toCanonical(title, rows);
    await send({ kind: 'chats', mode: 'dom', chats: [chat], contacts: {} });
    for (let at = 0; at < messages.length; at += start.options.batchSize) {
      const batch = messages.slice(at, at + start.options.batchSize);
      await send({ kind: 'messages', chatId: chat.id, messages: batch });
      progress.messages += batch.length;
    }
    progress.chatsDone++;
    await send({ kind: 'chat-done', chatId: chat.id, chat, reachedStart, messages: messages.length });
    await send({ kind: 'progress', progress: { ...progress } });
  }
}

function titleOf(item: Element): string {
  const titled = item.querySelector(DOM.chatTitle);
  return (titled?.getAttribute('title') ?? item.textContent ?? '').trim();
}

async function openChat(doc: Document, item: HTMLElement, title: string, signal: AbortSignal): Promise<void> {
  item.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
  item.click();
  const deadline = Date.now() + OPEN_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const header = doc.querySelector(`${DOM.main} ${DOM.chatTitle}`);
    if (header?.getAttribute('title') === title && doc.querySelector(DOM.timeline)) return;
    await abortableSleep(SETTLE_MS, signal);
  }
  throw new Error(`the chat "${title.slice(0, 80)}" did not open`);
}

/** Scrolls from the bottom to the top, reading every rendered row on the way. */
async function readTimeline(
  doc: Document,
  paceMs: number,
  signal: AbortSignal,
): Promise<{ rows: DomRow[]; reachedStart: boolean }> {
  const byKey = new Map<string, DomRow>();
  let order: string[] = [];
  const read = () => {
    const snapshot = [...doc.querySelectorAll(DOM.row)].map(readRow).filter((row) => row !== undefined);
    for (const row of snapshot) if (!byKey.has(row.key)) byKey.set(row.key, row);
    order = mergeSnapshot(
      order,
      snapshot.map((row) => row.key),
    );
  };
  read();
  let quiet = 0;
  while (quiet < QUIET_CHECKS) {
    signal.throwIfAborted();
    const timeline = doc.querySelector(DOM.timeline) as HTMLElement | null;
    if (!timeline) break;
    const before = byKey.size;
    const height = timeline.scrollHeight;
    if (timeline.scrollTop > 0) {
      timeline.scrollTop = Math.max(0, timeline.scrollTop - Math.max(1, timeline.clientHeight * 0.7));
      timeline.dispatchEvent(new Event('scroll'));
      quiet = 0;
    } else {
      // At the top the page loads an older slice by itself; wait for it.
      timeline.dispatchEvent(new Event('scroll'));
      quiet++;
    }
    await abortableSleep(SETTLE_MS, signal);
    await humanPause(paceMs, signal);
    read();
    if (byKey.size !== before || timeline.scrollHeight !== height) quiet = 0;
  }
  return { rows: order.map((key) => byKey.get(key)!), reachedStart: quiet >= QUIET_CHECKS };
}

let standIns = 0;

function readRow(row: Element): DomRow | undefined {
  const bubble = row.querySelector(DOM.dataId);
  const dataId = bubble?.getAttribute(DOM.dataIdAttribute) ?? undefined;
  const prefix = row.querySelector(DOM.prePlainText)?.getAttribute(DOM.prePlainTextAttribute) ?? undefined;
  const stamp = prefix === undefined ? undefined : parsePrePlainText(prefix);
  const text = row.querySelector(DOM.text)?.textContent ?? undefined;
  const author = row.querySelector(DOM.author)?.textContent ?? undefined;
  const marker = row.querySelector(DOM.mediaMarker)?.getAttribute(DOM.testIdAttribute) ?? '';
  const mediaType = (DOM.mediaTypes as readonly string[]).find(
    (type) => marker === `${DOM.mediaPrefix}${type}`,
  );
  if (dataId === undefined && text === undefined && !mediaType) return undefined;
  const fromMe = row.querySelector(DOM.outgoing) !== null || (dataId?.startsWith('true_') ?? false);
  const sender = stamp?.sender ?? author;
  return {
    key: dataId ?? `row-${++standIns}`,
    ...(dataId === undefined ? {} : { dataId }),
    ...(stamp ? { stamp } : {}),
    ...(sender ? { sender } : {}),
    ...(text === undefined ? {} : { text }),
    fromMe,
    ...(mediaType ? { mediaType: mediaType as MediaMessageType } : {}),
  };
}

/**
 * Rows (oldest first) as a canonical chat and messages. Ids come from a packed `data-id` when the
 * page still has one; otherwise they are built from the chat's id and the row's bare id. A chat
 * whose id the page never shows gets a stable stand-in id derived from its title.
 */
export function toCanonical(title: string, rows: readonly DomRow[]): { chat: Chat; messages: Message[] } {
  const packed = rows.flatMap((row) =>
    row.dataId && isMessageId(row.dataId) ? [parseMessageKey(row.dataId)] : [],
  );
  // Only group bubbles name their author apart from the prefix (May 2026 DOM).
  const isGroup = rows.some(
    (row) => !row.fromMe && row.sender !== undefined && row.stamp?.sender === undefined,
  );
  const chatId: Jid = packed[0]?.remote ?? `${digitsHash(`chat:${title}`)}@${isGroup ? 'g.us' : 'lid'}`;
  const times = fillTimes(rows);
  const seen = new Set<string>();
  const messages: Message[] = [];
  rows.forEach((row, index) => {
    const id = messageIdOf(row, chatId, index);
    if (!id || seen.has(id) || times[index] === undefined) return;
    seen.add(id);
    messages.push(toMessage(row, id, chatId, times[index]!));
  });
  const chat: Chat = {
    id: chatId,
    kind: chatKindOfJid(chatId),
    ...(title ? { name: title } : {}),
    completeness: {
      moreHistoryOnPhone: false,
      source: 'dom',
      expiredMedia: 0,
      failedMedia: 0,
      skippedMedia: 0,
    },
  };
  if (chat.kind === 'group') chat.group = { subject: title, participants: [] };
  for (const message of messages) if (message.media) chat.completeness.skippedMedia++;
  return { chat, messages };
}

function messageIdOf(row: DomRow, chatId: Jid, index: number): string | undefined {
  if (row.dataId && isMessageId(row.dataId)) return row.dataId;
  const stanza =
    row.dataId && /^\S{1,128}$/.test(row.dataId) && !row.dataId.includes('_')
      ? row.dataId
      : `DOM${digitsHash(`${index}:${row.text ?? ''}:${row.key}`, 12)}`;
  const id = `${row.fromMe}_${chatId}_${stanza}`;
  return isMessageId(id) && isJid(chatId) ? id : undefined;
}

/** Rows without a prefix (media, continuations) take the time of the row above, else below. */
function fillTimes(rows: readonly DomRow[]): (number | undefined)[] {
  const own = rows.map((row) => (row.stamp ? localSeconds(row.stamp) : undefined));
  const filled = [...own];
  let last: number | undefined;
  for (let i = 0; i < filled.length; i++) {
    if (filled[i] === undefined) filled[i] = last;
    else last = filled[i];
  }
  let next: number | undefined;
  for (let i = filled.length - 1; i >= 0; i--) {
    if (own[i] !== undefined) next = own[i];
    if (filled[i] === undefined) filled[i] = next;
  }
  return filled.map((time) => (time !== undefined && time >= 0 ? time : undefined));
}

const MEDIA_REASON = 'read from the visible page only (WhatsApp Web’s modules were not available)';

function toMessage(row: DomRow, id: string, chatId: Jid, timestamp: number): Message {
  const base: Message = {
    id,
    chatId,
    timestamp,
    fromMe: id.startsWith('true_'),
    type: 'chat',
    ...(row.sender ? { senderName: row.sender } : {}),
  };
  const deleted = row.text === undefined ? undefined : DOM.deletedTexts[row.text];
  if (deleted && !row.mediaType) return { ...base, type: 'revoked', deletion: { kind: deleted } };
  if (row.mediaType) {
    return {
      ...base,
      type: row.mediaType,
      ...(row.text === undefined ? {} : { text: row.text }),
      media: {
        mimetype: 'application/octet-stream',
        status: 'skipped',
        reason: MEDIA_REASON,
        ...(row.mediaType === 'gif' ? { isGif: true } : {}),
      },
    };
  }
  return { ...base, ...(row.text === undefined ? {} : { text: row.text }) };
}
