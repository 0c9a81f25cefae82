import { chatKindOfJid } from '@/utils/schema/jid';
import { compareStrings } from '@/utils/schema/order';
import type { Chat, CollectionSource, GroupInfo, Jid, Participant } from '@/utils/schema/types';
import type { People } from './people';
import { attr, countAttr, jidOf, modelsOf, numberAttr, stringAttr } from './wa-values';
import { CHAT_ATTR, GROUP_ATTR, MORE_HISTORY_ON_PHONE } from './whatsapp-names';

/**
 * A WhatsApp Web Chat model as a canonical Chat (docs/SCHEMA.md §4). The media counts of
 * `completeness` are left at zero: the catalog keeps them equal to the stored messages.
 * Returns undefined for a model without a usable id.
 */
export function normalizeChat(
  model: unknown,
  people: People,
  options: { source?: CollectionSource; groupMetadata?: unknown } = {},
): Chat | undefined {
  const id = jidOf(attr(model, CHAT_ATTR.id));
  if (!id) return undefined;
  const kind = chatKindOfJid(id);
  const chat: Chat = {
    id,
    kind,
    completeness: {
      moreHistoryOnPhone: moreHistoryOnPhone(model),
      source: options.source ?? 'modules',
      expiredMedia: 0,
      failedMedia: 0,
      skippedMedia: 0,
    },
  };
  const name = stringAttr(model, CHAT_ATTR.title) || stringAttr(model, CHAT_ATTR.name);
  if (name) chat.name = name;
  if (kind === 'group') {
    const group = normalizeGroup(attr(model, CHAT_ATTR.groupMetadata) ?? options.groupMetadata, people);
    if (group) chat.group = group;
  }
  if (attr(model, CHAT_ATTR.archive) === true) chat.archived = true;
  const pin = attr(model, CHAT_ATTR.pin);
  if (pin === true || (typeof pin === 'number' && pin > 0)) chat.pinned = true;
  if (isMuted(model)) chat.muted = true;
  const ephemeral = countAttr(model, CHAT_ATTR.ephemeralDuration);
  if (ephemeral !== undefined && ephemeral > 0) chat.ephemeralDuration = ephemeral;
  return chat;
}

/** The phone still holds older history (`endOfHistoryTransferType` 0 or 2). */
export function moreHistoryOnPhone(model: unknown): boolean {
  const value = numberAttr(model, CHAT_ATTR.endOfHistory);
  return value !== undefined && (MORE_HISTORY_ON_PHONE as readonly number[]).includes(value);
}

function isMuted(model: unknown): boolean {
  const expiration = numberAttr(model, CHAT_ATTR.muteExpiration);
  if (expiration !== undefined) return expiration !== 0;
  const mute = attr(model, CHAT_ATTR.mute) as { isMuted?: unknown } | undefined;
  return mute?.isMuted === true;
}

export function normalizeGroup(metadata: unknown, people: People): GroupInfo | undefined {
  if (metadata === null || typeof metadata !== 'object') return undefined;
  const subject = stringAttr(metadata, GROUP_ATTR.subject);
  if (subject === undefined) return undefined;
  const group: GroupInfo = { subject, participants: participantsOf(metadata, people) };
  const description = stringAttr(metadata, GROUP_ATTR.description);
  if (description) group.description = description;
  const owner = jidOf(attr(metadata, GROUP_ATTR.owner));
  if (owner) group.ownerId = owner;
  const created = countAttr(metadata, GROUP_ATTR.creation);
  if (created !== undefined) group.createdAt = created;
  return group;
}

function participantsOf(metadata: unknown, people: People): Participant[] {
  const byId = new Map<Jid, Participant>();
  for (const model of modelsOf(attr(metadata, GROUP_ATTR.participants))) {
    const id = jidOf(attr(model, GROUP_ATTR.participantId));
    if (!id || byId.has(id)) continue;
    const role =
      attr(model, GROUP_ATTR.isSuperAdmin) === true
        ? 'superadmin'
        : attr(model, GROUP_ATTR.isAdmin) === true
          ? 'admin'
          : 'member';
    const name = people.participantName(id);
    const phone = people.phoneOf(id);
    byId.set(id, {
      id,
      ...(name === undefined ? {} : { name }),
      ...(phone === undefined ? {} : { phone }),
      role,
    });
  }
  return [...byId.values()].sort((a, b) => compareStrings(a.id, b.id));
}
