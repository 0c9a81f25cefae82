import { compareStrings } from '@/utils/schema/order';
import type { PollVote, Reaction } from '@/utils/schema/types';
import { attr, countAttr, getFrom, jidOf, messageIdOf, modelsOf, serialized, stringAttr } from './wa-values';
import { MODEL_API, MSG_ATTR, POLL_VOTE_ATTR, REACTION_ATTR } from './whatsapp-names';

/**
 * What hangs off a message in other collections: reactions (`Reactions`, one model per reacted
 * message) and poll votes (`PollVote`, one model per voter, pointing at the poll). Reading them
 * must stay cheap for 100 000 messages, so reactions are looked up only for messages that say
 * they have some (or already have a model), and votes are indexed once per collection size.
 */
export interface MessageExtras {
  reactionsOf(messageId: string, model: unknown): Reaction[] | undefined;
  votesOf(messageId: string): PollVote[] | undefined;
  /** Loads reaction models the client keeps in its database (`Reactions.find`) for these messages. */
  prefetchReactions(items: readonly { id: string; model: unknown }[]): Promise<void>;
}

export function createMessageExtras(collections: {
  reactions?: unknown;
  pollVotes?: unknown;
}): MessageExtras {
  const fetched = new Map<string, unknown>();
  let voteIndex: Map<string, PollVote[]> | undefined;
  let indexedSize = -1;

  const reactionModel = (messageId: string) =>
    fetched.get(messageId) ?? getFrom(collections.reactions, messageId);

  return {
    async prefetchReactions(items) {
      const find = (collections.reactions as Record<string, unknown> | undefined)?.[MODEL_API.find];
      if (typeof find !== 'function') return;
      for (const { id, model } of items) {
        if (attr(model, MSG_ATTR.hasReaction) !== true || getFrom(collections.reactions, id) !== undefined)
          continue;
        try {
          const found = await (find as (id: string) => Promise<unknown>).call(collections.reactions, id);
          if (found !== undefined && found !== null) fetched.set(id, found);
        } catch {
          // The reactions stay unknown; the message itself is still collected.
        }
      }
    },
    reactionsOf(messageId) {
      const model = reactionModel(messageId);
      if (model === undefined) return undefined;
      return flattenReactions(serialized(attr(model, REACTION_ATTR.reactions)));
    },
    votesOf(messageId) {
      const models = modelsOf(collections.pollVotes);
      if (!voteIndex || models.length !== indexedSize) {
        voteIndex = indexVotes(models);
        indexedSize = models.length;
      }
      return voteIndex.get(messageId);
    },
  };
}

/**
 * `reactions.serialize()` gives one aggregate per emoji with its `senders`; the schema wants one
 * reaction per sender (their latest), sorted by sender. An empty reaction text means "removed".
 */
export function flattenReactions(aggregates: unknown): Reaction[] {
  const bySender = new Map<string, Reaction>();
  for (const aggregate of Array.isArray(aggregates) ? aggregates : []) {
    const senders = serialized(attr(aggregate, REACTION_ATTR.senders));
    for (const sender of Array.isArray(senders) ? senders : []) {
      const emoji = stringAttr(sender, REACTION_ATTR.text);
      const senderId = jidOf(attr(sender, REACTION_ATTR.sender));
      const timestampMs = countAttr(sender, REACTION_ATTR.timestamp);
      if (!senderId || timestampMs === undefined || emoji === undefined) continue;
      const known = bySender.get(senderId);
      if (known && known.timestampMs > timestampMs) continue;
      if (emoji.length === 0 || emoji.length > 64) bySender.delete(senderId);
      else bySender.set(senderId, { emoji, senderId, timestampMs });
    }
  }
  return [...bySender.values()].sort((a, b) => compareStrings(a.senderId, b.senderId));
}

function indexVotes(models: unknown[]): Map<string, PollVote[]> {
  const index = new Map<string, Map<string, PollVote>>();
  for (const model of models) {
    const parent = messageIdOf(attr(model, POLL_VOTE_ATTR.parent));
    const voterId = jidOf(attr(model, POLL_VOTE_ATTR.sender));
    const selected = attr(model, POLL_VOTE_ATTR.selected);
    if (!parent || !voterId || !Array.isArray(selected)) continue;
    const optionIds = [...new Set(selected.filter((id): id is number => Number.isInteger(id) && id >= 0))];
    const timestampMs = countAttr(model, POLL_VOTE_ATTR.timestampMs);
    const vote: PollVote = { voterId, optionIds, ...(timestampMs === undefined ? {} : { timestampMs }) };
    let votes = index.get(parent);
    if (!votes) {
      votes = new Map();
      index.set(parent, votes);
    }
    const known = votes.get(voterId);
    if (!known || (known.timestampMs ?? 0) <= (timestampMs ?? 0)) votes.set(voterId, vote);
  }
  return new Map([...index].map(([parent, votes]) => [parent, [...votes.values()]]));
}
