import { GCM_NONCE_LENGTH } from './aes-gcm';
import { requireBytes, requireOptions } from './arguments';
import { toBase64 } from './bytes';
import { CryptoError } from './errors';
import { hkdfSha256 } from './hkdf';
import { drawRandom, type RandomSource } from './random';
import { recoveryKeyEntropy } from './recovery-key';
import {
  formatRepositoryId,
  KEY_LENGTH,
  MASTER_SECRET_LENGTH,
  REPOSITORY_ID_LENGTH,
} from './repository-keys';
import {
  readBase64Field,
  readLiteral,
  readRecord,
  SLOT_SALT_LENGTH,
  unwrapSlotMaster,
  WRAPPED_MASTER_LENGTH,
  wrapMaster,
} from './slot-fields';

export const LABEL_RECOVERY_SLOT = 'chatvault/v1/slot/recovery';

/** The master secret wrapped under the recovery key (FORMAT §4.3). JSON-serialisable as is. */
export interface RecoverySlot {
  readonly type: 'recovery';
  /** base64, 16 bytes */
  readonly salt: string;
  /** base64, 12 bytes */
  readonly nonce: string;
  /** base64, 48 bytes */
  readonly wrapped: string;
}

export interface RecoverySlotOptions {
  readonly random?: RandomSource;
}

/** 240 random bits need no password stretching: HKDF is enough to make a KEK. */
function recoveryKek(entropy: Uint8Array, salt: Uint8Array): Uint8Array {
  return hkdfSha256(entropy, salt, LABEL_RECOVERY_SLOT, KEY_LENGTH);
}

function recoverySlotAssociatedData(repoId: Uint8Array): string {
  return `chatvault/v1/slot|recovery|${formatRepositoryId(repoId)}`;
}

export async function createRecoverySlot(
  master: Uint8Array,
  recoveryKey: Uint8Array,
  repoId: Uint8Array,
  options?: RecoverySlotOptions,
): Promise<RecoverySlot> {
  requireBytes('master', master, MASTER_SECRET_LENGTH);
  const entropy = recoveryKeyEntropy('recoveryKey', recoveryKey);
  requireBytes('repoId', repoId, REPOSITORY_ID_LENGTH);
  const random = requireOptions('options', options).random as RandomSource | undefined;
  const salt = drawRandom(random, SLOT_SALT_LENGTH, 'recovery slot salt');
  const kek = recoveryKek(entropy, salt);
  const { nonce, wrapped } = await wrapMaster(kek, master, recoverySlotAssociatedData(repoId), random);
  kek.fill(0);
  return { type: 'recovery', salt: toBase64(salt), nonce, wrapped };
}

export function parseRecoverySlot(value: unknown): RecoverySlot {
  const slot = readRecord('slot', value, ['type', 'salt', 'nonce', 'wrapped']);
  readLiteral('slot.type', slot.type, 'recovery');
  readBase64Field('slot.salt', slot.salt, SLOT_SALT_LENGTH);
  readBase64Field('slot.nonce', slot.nonce, GCM_NONCE_LENGTH);
  readBase64Field('slot.wrapped', slot.wrapped, WRAPPED_MASTER_LENGTH);
  return {
    type: 'recovery',
    salt: slot.salt as string,
    nonce: slot.nonce as string,
    wrapped: slot.wrapped as string,
  };
}

/** Opens a recovery slot: resolves to the master secret, or rejects with `wrong-recovery-key`. */
export async function openRecoverySlot(
  slot: unknown,
  recoveryKey: Uint8Array,
  repoId: Uint8Array,
): Promise<Uint8Array> {
  const parsed = parseRecoverySlot(slot);
  const entropy = recoveryKeyEntropy('recoveryKey', recoveryKey);
  requireBytes('repoId', repoId, REPOSITORY_ID_LENGTH);
  const kek = recoveryKek(entropy, readBase64Field('slot.salt', parsed.salt, SLOT_SALT_LENGTH));
  return unwrapSlotMaster(
    kek,
    parsed,
    recoverySlotAssociatedData(repoId),
    () =>
      new CryptoError(
        'wrong-recovery-key',
        'This recovery key does not open this repository (or the key slot was altered)',
      ),
  );
}
