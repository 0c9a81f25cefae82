import { isJid } from '@/utils/schema/jid';
import { isMessageId } from '@/utils/schema/message-key';
import type { Jid, MessageId } from '@/utils/schema/types';
import { MODEL_API, MSG_KEY_SERIALIZED, WID_SERIALIZED, WIRE_USER_SERVER } from './whatsapp-names';

/**
 * Reading values out of WhatsApp Web's objects without trusting their shape. Models expose
 * attributes as accessors (and as `get(name)`), ids are `Wid` and `MsgKey` objects or strings,
 * and any of it may be missing after a client update: every reader returns undefined rather
 * than throwing.
 */
export type Loose = Record<string, unknown>;

/** An attribute of a model (accessor, `get(name)`) or of a plain row. */
export function attr(model: unknown, name: string): unknown {
  if (model === null || typeof model !== 'object') return undefined;
  try {
    const direct = (model as Loose)[name];
    if (direct !== undefined) return direct;
    const get = (model as Loose)[MODEL_API.get];
    return typeof get === 'function' ? (get as (n: string) => unknown).call(model, name) : undefined;
  } catch {
    return undefined;
  }
}

export function stringAttr(model: unknown, name: string): string | undefined {
  const value = attr(model, name);
  return typeof value === 'string' ? value : undefined;
}

export function numberAttr(model: unknown, name: string): number | undefined {
  const value = attr(model, name);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A whole, non-negative number (sizes, seconds); fractional values are rounded down. */
export function countAttr(model: unknown, name: string): number | undefined {
  const value = numberAttr(model, name);
  return value !== undefined && value >= 0 ? Math.floor(value) : undefined;
}

export function flagAttr(model: unknown, name: string): boolean {
  return attr(model, name) === true;
}

/**
 * A JID from a Wid, a string or anything whose `_serialized`/`toString()` spells one. The wire
 * protocol's `@s.whatsapp.net` is WhatsApp Web's `@c.us` (docs/SCHEMA.md "Identifiers").
 */
export function jidOf(value: unknown): Jid | undefined {
  const text = textOf(value, WID_SERIALIZED);
  if (text === undefined) return undefined;
  const jid = text.endsWith(`@${WIRE_USER_SERVER}`) ? `${text.slice(0, -WIRE_USER_SERVER.length)}c.us` : text;
  return isJid(jid) ? jid : undefined;
}

/** The message id (MsgKey string) of a MsgKey, a model holding one, or a string. */
export function messageIdOf(key: unknown): MessageId | undefined {
  const text = textOf(key, MSG_KEY_SERIALIZED);
  if (text === undefined) return undefined;
  const normalised = text.split(`@${WIRE_USER_SERVER}`).join('@c.us');
  return isMessageId(normalised) ? normalised : undefined;
}

function textOf(value: unknown, serializedField: string): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return undefined;
  try {
    const serialized = (value as Loose)[serializedField];
    if (typeof serialized === 'string') return serialized;
    const text = String(value);
    return text === '[object Object]' ? undefined : text;
  } catch {
    return undefined;
  }
}

/** The models of a collection-like value (`getModelsArray()`, `models`, or an array). */
export function modelsOf(collection: unknown): unknown[] {
  if (Array.isArray(collection)) return collection;
  if (collection === null || typeof collection !== 'object') return [];
  try {
    const getter = (collection as Loose)[MODEL_API.modelsArray];
    if (typeof getter === 'function') {
      const models = (getter as () => unknown).call(collection);
      if (Array.isArray(models)) return models;
    }
    const models = (collection as Loose)[MODEL_API.models];
    return Array.isArray(models) ? models.slice() : [];
  } catch {
    return [];
  }
}

/** `collection.get(id)` without throwing. */
export function getFrom(collection: unknown, id: unknown): unknown {
  try {
    const get = (collection as Loose | null)?.[MODEL_API.get];
    return typeof get === 'function' ? (get as (id: unknown) => unknown).call(collection, id) : undefined;
  } catch {
    return undefined;
  }
}

/** A model's plain attributes (`serialize()`), or the value itself when it is plain. */
export function serialized(value: unknown): unknown {
  try {
    const serialize = (value as Loose | null)?.[MODEL_API.serialize];
    return typeof serialize === 'function' ? (serialize as () => unknown).call(value) : value;
  } catch {
    return undefined;
  }
}
