import type { CollectProgress, CollectStart, PageCollectItem } from '@/utils/messages/collect-protocol';
import type { Chat, Jid } from '@/utils/schema/types';
import { type HistoryTools, readChatHistory } from './history-reader';
import { createMediaSettler } from './media-batch';
import type { ClientDownload } from './media-fetcher';
import { createMessageExtras } from './message-extras';
import type { ModuleFinder } from './module-finder';
import { normalizeChat } from './normalize-chat';
import { type NormalizedMessage, normalizeMessage } from './normalize-message';
import { humanPause } from './pace';
import { createPeople, type People } from './people';
import { attr, getFrom, jidOf, messageIdOf, modelsOf, numberAttr, stringAttr } from './wa-values';
import { CHAT_ATTR, CONN_PUSHNAME, MSG_ATTR } from './whatsapp-names';

/**
 * The collector proper, on WhatsApp Web's own modules: every chat and group with names and
 * participants, each chat's history through the paging loop (only what is new, plus the
 * look-back window, when the background sends a cursor), every canonical field, and the media.
 * Items go out through `send`, which waits while the extension catches up (backpressure).
 */
export class ModulesMissingError extends Error {
  override readonly name = 'ModulesMissingError';
}

export interface CollectRunContext {
  start: CollectStart;
  signal: AbortSignal;
  send: (item: PageCollectItem) => Promise<void>;
  progress: CollectProgress;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

export async function collectWithModules(finder: ModuleFinder, run: CollectRunContext): Promise<void> {
  const { start, signal, send, progress } = run;
  const { options } = start;
  const chats = finder.find('chats');
  if (chats === undefined) throw new ModulesMissingError('WhatsApp Web’s chat collection was not found');

  const people = peopleOf(finder);
  const groups = finder.find('groupMetadata');
  const chatModels = modelsOf(chats)
    .filter((model) => jidOf(attr(model, CHAT_ATTR.id)) !== undefined)
    .sort((a, b) => (numberAttr(b, CHAT_ATTR.t) ?? 0) - (numberAttr(a, CHAT_ATTR.t) ?? 0));
  const normalizeWithGroup = (model: unknown) =>
    normalizeChat(model, people, { groupMetadata: getFrom(groups, attr(model, CHAT_ATTR.id)) });
  const canonicalChats = chatModels.flatMap((model) => normalizeWithGroup(model) ?? []);
  progress.chatsTotal = canonicalChats.length;
  await send({
    kind: 'chats',
    mode: 'modules',
    chats: canonicalChats,
    contacts: people.contacts(),
    ...(people.account ? { account: people.account } : {}),
  });

  const tools: HistoryTools = {
    loadEarlierMsgs: finder.find('loadEarlierMsgs') as HistoryTools['loadEarlierMsgs'],
    msgFindByDirection: (await finder.findLoading(
      'findByDirection',
      signal,
    )) as HistoryTools['msgFindByDirection'],
    sendPeerDataOperationRequest: (await finder.findLoading(
      'peerDataRequest',
      signal,
    )) as HistoryTools['sendPeerDataOperationRequest'],
  };
  const quoted = finder.find('quotedMsg') as ((msg: unknown) => unknown) | undefined;
  const extras = createMessageExtras({
    reactions: finder.find('reactions'),
    pollVotes: finder.find('pollVotes'),
  });
  let client: Promise<ClientDownload | undefined> | undefined;
  const media = createMediaSettler({
    options,
    known: new Set(start.knownMedia),
    clientDownload: () =>
      (client ??= finder.findLoading('downloadManager', signal) as Promise<ClientDownload | undefined>),
    send,
    progress,
    ...(run.fetch ? { fetch: run.fetch } : {}),
  });

  for (const model of chatModels) {
    signal.throwIfAborted();
    const chatId = jidOf(attr(model, CHAT_ATTR.id)) as Jid;
    const context = {
      chatId,
      people,
      reactionsOf: extras.reactionsOf,
      votesOf: extras.votesOf,
      ...(quoted ? { quotedOf: (msg: unknown) => quoted(msg) } : {}),
    };
    let pending: NormalizedMessage[] = [];
    let count = 0;
    const flush = async () => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      await media.settle(batch, signal);
      await send({ kind: 'messages', chatId, messages: batch.map((entry) => entry.message) });
      count += batch.length;
      progress.messages += batch.length;
      await send({ kind: 'progress', progress: { ...progress } });
    };
    const history = await readChatHistory(
      model,
      tools,
      {
        ...(start.cursors[chatId] ? { since: start.cursors[chatId].since } : {}),
        findCount: Math.max(50, options.batchSize),
        askPhone: options.askPhone,
        phoneWaitMs: options.phoneWaitMs,
        phoneRounds: options.phoneRounds,
        pause: () => humanPause(options.paceMs, signal),
        signal,
        onLoad: () => {
          progress.historyLoads++;
        },
      },
      async (models) => {
        await extras.prefetchReactions(
          models.flatMap((msg) => {
            const id = messageIdOf(attr(msg, MSG_ATTR.id));
            return id ? [{ id, model: msg }] : [];
          }),
        );
        for (const msg of models) {
          const normalized = normalizeMessage(msg, context);
          if (normalized) pending.push(normalized);
          if (pending.length >= options.batchSize) await flush();
        }
      },
    );
    await flush();
    const chat: Chat | undefined = normalizeWithGroup(model);
    progress.chatsDone++;
    await send({
      kind: 'chat-done',
      chatId,
      chat: chat
        ? { ...chat, completeness: { ...chat.completeness, moreHistoryOnPhone: history.moreOnPhone } }
        : {},
      reachedStart: history.reachedStart,
      messages: count,
    });
    await send({ kind: 'progress', progress: { ...progress } });
  }
}

function peopleOf(finder: ModuleFinder): People {
  const call = (role: 'meUser' | 'meDisplayName'): unknown => {
    const fn = finder.find(role);
    try {
      return typeof fn === 'function' ? (fn as () => unknown)() : undefined;
    } catch {
      return undefined;
    }
  };
  const me = jidOf(call('meUser'));
  const meName =
    (call('meDisplayName') as string | undefined) ?? stringAttr(finder.find('conn'), CONN_PUSHNAME);
  return createPeople({
    contacts: finder.find('contacts'),
    lidCache: finder.find('lidCache'),
    ...(me ? { me } : {}),
    ...(typeof meName === 'string' && meName.length > 0 ? { meName } : {}),
  });
}
