import { abortableSleep } from './pace';
import { attr, modelsOf, numberAttr } from './wa-values';
import {
  CHAT_ATTR,
  FIND_BY_DIRECTION_ROWS,
  MORE_HISTORY_ON_PHONE,
  MSG_ATTR,
  PEER_DATA_HISTORY_REQUEST,
} from './whatsapp-names';

/**
 * Reads one chat's history, newest to oldest, the way the client loads it when a person scrolls
 * up (whatsapp-web.md "Where the data is"): `loadEarlierMsgs(chat, chat.msgs)` in a loop until it
 * returns nothing or `msgLoadState.noEarlierMsgs` is set; when that loop is missing or broken,
 * the paged local query `msgFindByDirection`. When the web client has no more and the phone
 * does (`endOfHistoryTransferType`), it can ask the phone for more and wait a little for it.
 *
 * Incremental runs pass `since`: reading stops once the messages are older than that.
 * Models are handed to `emit` one page behind the newest load, so a reply's quoted message (at
 * most a page older) is already loaded when the reply is normalised.
 */
export interface HistoryTools {
  loadEarlierMsgs?: (chat: unknown, msgs: unknown) => Promise<unknown>;
  msgFindByDirection?: (query: { anchor: unknown; count: number; direction: 'before' }) => Promise<unknown>;
  sendPeerDataOperationRequest?: (type: number, parameters: { chatId: unknown }) => Promise<unknown>;
}

export interface HistoryOptions {
  /** Unix seconds: messages older than this are not needed (incremental run). */
  since?: number;
  /** Messages per `msgFindByDirection` call. */
  findCount: number;
  askPhone: boolean;
  phoneWaitMs: number;
  phoneRounds: number;
  /** The pause between two loads (human pace). */
  pause: () => Promise<void>;
  signal: AbortSignal;
  /** Told about every history call the client makes (progress, tests). */
  onLoad?: (kind: 'loadEarlierMsgs' | 'msgFindByDirection' | 'phone') => void;
}

export interface HistoryResult {
  /** The web client has nothing older (or everything since `since` was read). */
  reachedStart: boolean;
  /** The phone still holds older messages the web client could not get. */
  moreOnPhone: boolean;
  loads: number;
  /** How many times the loop had to fall back to msgFindByDirection. */
  fellBack: boolean;
}

/** After this many empty pages without `noEarlierMsgs` the client is considered done. */
const EMPTY_PAGES_LIMIT = 3;

export async function readChatHistory(
  chat: unknown,
  tools: HistoryTools,
  options: HistoryOptions,
  emit: (models: unknown[]) => Promise<void>,
): Promise<HistoryResult> {
  const msgs = attr(chat, CHAT_ATTR.msgs);
  const loadState = () => attr(msgs, CHAT_ATTR.loadState);
  const noEarlier = () => attr(loadState(), CHAT_ATTR.noEarlierMsgs) === true;
  const emitted = new Set<unknown>();
  const result: HistoryResult = { reachedStart: false, moreOnPhone: false, loads: 0, fellBack: false };
  const wanted = (model: unknown) =>
    options.since === undefined || (numberAttr(model, MSG_ATTR.t) ?? 0) >= options.since;

  /** Emits every loaded model not yet emitted, except the `hold` oldest ones. */
  const flush = async (hold: number) => {
    const models = modelsOf(msgs);
    const ready = models.slice(hold).filter((model) => !emitted.has(model) && wanted(model));
    for (const model of ready) emitted.add(model);
    // Newest first, like the reading itself.
    if (ready.length > 0) await emit(ready.reverse());
  };
  const oldEnough = () => {
    if (options.since === undefined) return false;
    const oldest = modelsOf(msgs)[0];
    return oldest !== undefined && (numberAttr(oldest, MSG_ATTR.t) ?? 0) < options.since;
  };

  let empties = 0;
  let phoneRounds = 0;
  let loopWorks = typeof tools.loadEarlierMsgs === 'function' && msgs !== undefined;
  while (loopWorks) {
    options.signal.throwIfAborted();
    if (oldEnough()) {
      result.reachedStart = true;
      break;
    }
    if (noEarlier()) {
      if (await askPhone()) continue;
      result.reachedStart = true;
      break;
    }
    await options.pause();
    let page: unknown;
    try {
      options.onLoad?.('loadEarlierMsgs');
      result.loads++;
      page = await tools.loadEarlierMsgs!(chat, msgs);
    } catch {
      loopWorks = false;
      break;
    }
    const added = Array.isArray(page) ? page.length : modelsOf(page).length;
    empties = added === 0 ? empties + 1 : 0;
    if (empties >= EMPTY_PAGES_LIMIT) {
      result.reachedStart = true;
      break;
    }
    await flush(added);
  }
  await flush(0);
  if (!loopWorks && !result.reachedStart) await readByDirection();
  result.moreOnPhone = phoneHasMore();
  return result;

  function phoneHasMore(): boolean {
    const value = numberAttr(chat, CHAT_ATTR.endOfHistory);
    return value !== undefined && (MORE_HISTORY_ON_PHONE as readonly number[]).includes(value);
  }

  /** Asks the phone for older history and waits for it; true when more arrived. */
  async function askPhone(): Promise<boolean> {
    if (!options.askPhone || options.since !== undefined || phoneRounds >= options.phoneRounds) return false;
    if (!phoneHasMore() || typeof tools.sendPeerDataOperationRequest !== 'function') return false;
    phoneRounds++;
    try {
      options.onLoad?.('phone');
      await tools.sendPeerDataOperationRequest(PEER_DATA_HISTORY_REQUEST, {
        chatId: attr(chat, CHAT_ATTR.id),
      });
    } catch {
      return false;
    }
    const deadline = Date.now() + options.phoneWaitMs;
    while (Date.now() < deadline) {
      await abortableSleep(Math.min(100, options.phoneWaitMs), options.signal);
      if (!noEarlier()) return true;
    }
    return false;
  }

  async function readByDirection(): Promise<void> {
    if (typeof tools.msgFindByDirection !== 'function') return;
    result.fellBack = true;
    let anchor: unknown = attr(modelsOf(msgs)[0], MSG_ATTR.id);
    while (anchor !== undefined) {
      options.signal.throwIfAborted();
      await options.pause();
      let answer: unknown;
      try {
        options.onLoad?.('msgFindByDirection');
        result.loads++;
        answer = await tools.msgFindByDirection!({ anchor, count: options.findCount, direction: 'before' });
      } catch {
        return;
      }
      const rows = attr(answer, FIND_BY_DIRECTION_ROWS);
      const list = Array.isArray(rows) ? rows : [];
      if (list.length === 0) {
        result.reachedStart = true;
        return;
      }
      const ready = list.filter(wanted);
      if (ready.length > 0) await emit([...ready].reverse());
      anchor = attr(list[0], MSG_ATTR.id);
      if (ready.length < list.length || list.length < options.findCount) {
        result.reachedStart = true;
        return;
      }
    }
  }
}
