import type { Jid, SystemEvent } from '@/utils/schema/types';
import { attr, countAttr, jidOf, stringAttr } from './wa-values';
import {
  CALL_MISSED,
  E2E_NOTIFICATION_SUBTYPES,
  GROUP_NOTIFICATION_SUBTYPES,
  GROUP_NOTIFICATION_VALUE_IN_BODY,
  MSG_ATTR,
  TEMPLATE_SUBTYPES,
  WA_TYPES,
} from './whatsapp-names';

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * A WhatsApp system notice (`gp2`, `e2e_notification`, `call_log`, `notification_template`) as a
 * canonical SystemEvent (docs/SCHEMA.md §5.10–5.11). Unknown subtypes keep their own name in
 * kebab case: the subtype list is open, so a new WhatsApp event is recorded, not dropped.
 */
export function normalizeSystem(model: unknown, waType: string): SystemEvent {
  const subtype = stringAttr(model, MSG_ATTR.subtype) ?? '';
  const event: SystemEvent = { subtype: systemSubtype(model, waType, subtype) };
  const actor = jidOf(attr(model, MSG_ATTR.author));
  if (actor) event.actorId = actor;
  const participants = jidList(attr(model, MSG_ATTR.recipients));
  if (participants.length > 0) event.participantIds = participants;
  const value = systemValue(model, waType, subtype);
  if (value !== undefined) event.value = value;
  if (waType === WA_TYPES.callLog) {
    const duration = countAttr(model, MSG_ATTR.callDuration);
    if (duration !== undefined && stringAttr(model, MSG_ATTR.callOutcome) !== CALL_MISSED)
      event.duration = duration;
  }
  return event;
}

function systemSubtype(model: unknown, waType: string, subtype: string): string {
  switch (waType) {
    case WA_TYPES.groupNotification:
      return GROUP_NOTIFICATION_SUBTYPES[subtype] ?? 'group-settings';
    case WA_TYPES.e2eNotification:
      return E2E_NOTIFICATION_SUBTYPES[subtype] ?? kebab(subtype, 'security-notice');
    case WA_TYPES.template:
      return TEMPLATE_SUBTYPES[subtype] ?? kebab(subtype, 'notice');
    case WA_TYPES.callLog:
      return callSubtype(model);
    default:
      return kebab(subtype || waType, 'notice');
  }
}

function systemValue(model: unknown, waType: string, subtype: string): string | undefined {
  if (waType === WA_TYPES.groupNotification) {
    if (GROUP_NOTIFICATION_SUBTYPES[subtype] === undefined) return subtype || undefined;
    return (GROUP_NOTIFICATION_VALUE_IN_BODY as readonly string[]).includes(subtype)
      ? stringAttr(model, MSG_ATTR.body)
      : undefined;
  }
  if (waType === WA_TYPES.template) {
    const params = attr(model, MSG_ATTR.templateParams);
    const first = Array.isArray(params) ? params[0] : undefined;
    return typeof first === 'string' ? first : undefined;
  }
  return undefined;
}

/** call-voice, call-video, call-missed-voice, call-missed-video. */
export function callSubtype(model: unknown): string {
  const video = attr(model, MSG_ATTR.isVideoCall) === true ? 'video' : 'voice';
  return stringAttr(model, MSG_ATTR.callOutcome) === CALL_MISSED ? `call-missed-${video}` : `call-${video}`;
}

function kebab(value: string, fallback: string): string {
  const text = value
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return KEBAB.test(text) ? text : fallback;
}

function jidList(value: unknown): Jid[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => jidOf(item) ?? []);
}
