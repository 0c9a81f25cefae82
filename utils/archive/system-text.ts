import type { SystemEvent } from '@/utils/schema/types';
import type { NameBook } from './names';

/**
 * System events in words, as WhatsApp's English Android client words them where it has a
 * phrase ("You added Ana", "Ana left"), plainly otherwise. The text export and the viewer
 * both show these strings. People are named through the NameBook; the account is "You".
 */
export function describeSystemEvent(event: SystemEvent, names: NameBook): string {
  const actor = event.actorId ? names.personOrYou(event.actorId) : undefined;
  const people = listNames((event.participantIds ?? []).map((id) => names.personOrYou(id)));
  const by = (verb: string) => `${actor ?? 'Someone'} ${verb}`;
  switch (event.subtype) {
    case 'e2e-encrypted':
      return 'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.';
    case 'group-create':
      return event.value === undefined ? by('created this group') : by(`created group "${event.value}"`);
    case 'group-add':
      return by(`added ${people || 'someone'}`);
    case 'group-remove':
      return by(`removed ${people || 'someone'}`);
    case 'group-leave':
      return `${people || actor || 'Someone'} left`;
    case 'group-join-via-link':
      return `${people || actor || 'Someone'} joined using this group's invite link`;
    case 'group-promote':
      return actor
        ? `${actor} made ${people || 'someone'} an admin`
        : `${people || 'Someone'} is now an admin`;
    case 'group-demote':
      return actor
        ? `${actor} dismissed ${people || 'someone'} as admin`
        : `${people || 'Someone'} is no longer an admin`;
    case 'group-subject':
      return event.value === undefined
        ? by('changed the group name')
        : by(`changed the group name to "${event.value}"`);
    case 'group-description':
      return by('changed the group description');
    case 'group-picture':
      return by("changed this group's icon");
    case 'group-settings':
      return by(describeGroupSetting(event.value));
    case 'security-code-changed':
      return actor && actor !== 'You'
        ? `Your security code with ${actor} changed.`
        : 'Your security code changed.';
    case 'ephemeral-setting':
      return describeEphemeral(actor, event.value);
    case 'number-changed':
      return `${actor ?? 'A participant'} changed their phone number${newNumber(event.value)}.`;
    case 'call-voice':
    case 'call-video':
      return describeCall(event, actor);
    case 'call-missed-voice':
      return actor && actor !== 'You' ? `Missed voice call from ${actor}` : 'Missed voice call';
    case 'call-missed-video':
      return actor && actor !== 'You' ? `Missed video call from ${actor}` : 'Missed video call';
    default:
      return `System event: ${event.subtype}${actor ? ` (${actor})` : ''}`;
  }
}

function describeGroupSetting(value: string | undefined): string {
  switch (value) {
    case 'announce':
      return "changed this group's settings to allow only admins to send messages";
    case 'not_announce':
      return "changed this group's settings to allow all participants to send messages";
    case 'restrict':
      return "changed this group's settings to allow only admins to edit this group's info";
    case 'unrestrict':
    case 'not_restrict':
      return "changed this group's settings to allow all participants to edit this group's info";
    default:
      return value ? `changed this group's settings (${value})` : "changed this group's settings";
  }
}

function describeEphemeral(actor: string | undefined, value: string | undefined): string {
  const seconds = Number(value);
  const who = actor ?? 'Someone';
  if (!Number.isFinite(seconds) || seconds <= 0) return `${who} turned off disappearing messages.`;
  return `${who} turned on disappearing messages. New messages will disappear from this chat ${duration(seconds)} after they're sent.`;
}

function describeCall(event: SystemEvent, actor: string | undefined): string {
  const kind = event.subtype === 'call-video' ? 'Video call' : 'Voice call';
  const from = actor === 'You' ? ' (outgoing)' : actor ? ` from ${actor}` : '';
  const length = event.duration === undefined ? '' : ` (${clockDuration(event.duration)})`;
  return `${kind}${from}${length}`;
}

function newNumber(value: string | undefined): string {
  if (!value) return '';
  const user = value.split('@')[0] ?? '';
  return /^[0-9]+$/.test(user) ? ` to +${user}` : '';
}

/** "7 days", "24 hours", "90 days" — WhatsApp's timer choices, and anything else sensibly. */
export function duration(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  for (const [size, unit] of units) {
    if (seconds >= size && seconds % size === 0) {
      const count = seconds / size;
      return `${count} ${unit}${count === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} seconds`;
}

/** 65 → "1:05", 3725 → "1:02:05". */
export function clockDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

function listNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
