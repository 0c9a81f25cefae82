import { describeValue } from './arguments';
import { invalidArgument } from './errors';
import { type PasswordSlot, parsePasswordSlot } from './password-slot';
import { parseRecoverySlot, type RecoverySlot } from './recovery-slot';

export type KeySlot = PasswordSlot | RecoverySlot;

/** Validates any stored key slot, dispatching on its `type`. */
export function parseKeySlot(value: unknown): KeySlot {
  const type =
    value !== null && typeof value === 'object' ? (value as Record<string, unknown>).type : undefined;
  if (type === 'password') return parsePasswordSlot(value);
  if (type === 'recovery') return parseRecoverySlot(value);
  throw invalidArgument(
    `slot.type must be "password" or "recovery", got ${typeof type === 'string' ? `"${type}"` : describeValue(type)}`,
  );
}
