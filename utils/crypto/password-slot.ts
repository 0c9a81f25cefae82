import { GCM_NONCE_LENGTH } from './aes-gcm';
import {
  ARGON2_FLOOR,
  type Argon2idFunction,
  type Argon2Params,
  checkArgon2Params,
  hashWasmArgon2id,
  passwordBytes,
  runArgon2id,
} from './argon2';
import { requireBytes, requireFunction, requireOptions } from './arguments';
import { toBase64 } from './bytes';
import { CryptoError } from './errors';
import { drawRandom, type RandomSource } from './random';
import { formatRepositoryId, MASTER_SECRET_LENGTH, REPOSITORY_ID_LENGTH } from './repository-keys';
import {
  readBase64Field,
  readLiteral,
  readRecord,
  SLOT_SALT_LENGTH,
  unwrapSlotMaster,
  WRAPPED_MASTER_LENGTH,
  wrapMaster,
} from './slot-fields';

/** The master secret wrapped under a password (FORMAT §4.2). JSON-serialisable as is. */
export interface PasswordSlot {
  readonly type: 'password';
  readonly kdf: {
    readonly name: 'argon2id';
    readonly memoryKiB: number;
    readonly iterations: number;
    readonly parallelism: number;
    /** base64, 16 bytes */
    readonly salt: string;
  };
  /** base64, 12 bytes */
  readonly nonce: string;
  /** base64, 48 bytes: AES-256-GCM of the 32-byte master secret and its tag */
  readonly wrapped: string;
}

export interface PasswordSlotOptions {
  /** Argon2id parameters (from calibrateArgon2). Default: the floor. */
  readonly params?: Argon2Params;
  readonly random?: RandomSource;
  /** Replaces the Argon2id computation (tests). Production leaves it unset. */
  readonly argon2id?: Argon2idFunction;
}

export interface OpenPasswordSlotOptions {
  readonly argon2id?: Argon2idFunction;
}

/**
 * The parameters are authenticated with the wrapped secret: editing memoryKiB (or anything else)
 * in the stored JSON makes the slot fail to open instead of silently weakening it. The repository
 * id ties a slot to its repository, so a slot copied from another repository does not open.
 */
function passwordSlotAssociatedData(params: Argon2Params, repoId: Uint8Array): string {
  return `chatvault/v1/slot|password|argon2id|${params.memoryKiB}|${params.iterations}|${params.parallelism}|${formatRepositoryId(repoId)}`;
}

function argon2Of(options: Record<string, unknown>): Argon2idFunction {
  return requireFunction<Argon2idFunction>('options.argon2id', options.argon2id ?? hashWasmArgon2id);
}

export async function createPasswordSlot(
  master: Uint8Array,
  password: string,
  repoId: Uint8Array,
  options?: PasswordSlotOptions,
): Promise<PasswordSlot> {
  requireBytes('master', master, MASTER_SECRET_LENGTH);
  const secret = passwordBytes('password', password);
  requireBytes('repoId', repoId, REPOSITORY_ID_LENGTH);
  const opts = requireOptions('options', options);
  const params = checkArgon2Params('options.params', opts.params ?? ARGON2_FLOOR);
  const argon2 = argon2Of(opts);
  const random = opts.random as RandomSource | undefined;

  const salt = drawRandom(random, SLOT_SALT_LENGTH, 'password slot salt');
  const kek = await runArgon2id(argon2, secret, salt, params);
  const { nonce, wrapped } = await wrapMaster(
    kek,
    master,
    passwordSlotAssociatedData(params, repoId),
    random,
  );
  kek.fill(0);
  return {
    type: 'password',
    kdf: { name: 'argon2id', ...params, salt: toBase64(salt) },
    nonce,
    wrapped,
  };
}

/** Validates a stored password slot (strictly: unknown fields and out-of-range parameters are refused). */
export function parsePasswordSlot(value: unknown): PasswordSlot {
  const slot = readRecord('slot', value, ['type', 'kdf', 'nonce', 'wrapped']);
  readLiteral('slot.type', slot.type, 'password');
  const kdf = readRecord('slot.kdf', slot.kdf, ['name', 'memoryKiB', 'iterations', 'parallelism', 'salt']);
  readLiteral('slot.kdf.name', kdf.name, 'argon2id');
  const params = checkArgon2Params('slot.kdf', kdf);
  readBase64Field('slot.kdf.salt', kdf.salt, SLOT_SALT_LENGTH);
  readBase64Field('slot.nonce', slot.nonce, GCM_NONCE_LENGTH);
  readBase64Field('slot.wrapped', slot.wrapped, WRAPPED_MASTER_LENGTH);
  return {
    type: 'password',
    kdf: { name: 'argon2id', ...params, salt: kdf.salt as string },
    nonce: slot.nonce as string,
    wrapped: slot.wrapped as string,
  };
}

/** Opens a password slot: resolves to the 32-byte master secret, or rejects with `wrong-password`. */
export async function openPasswordSlot(
  slot: unknown,
  password: string,
  repoId: Uint8Array,
  options?: OpenPasswordSlotOptions,
): Promise<Uint8Array> {
  const parsed = parsePasswordSlot(slot);
  const secret = passwordBytes('password', password);
  requireBytes('repoId', repoId, REPOSITORY_ID_LENGTH);
  const argon2 = argon2Of(requireOptions('options', options));

  const salt = readBase64Field('slot.kdf.salt', parsed.kdf.salt, SLOT_SALT_LENGTH);
  const kek = await runArgon2id(argon2, secret, salt, parsed.kdf);
  return unwrapSlotMaster(
    kek,
    parsed,
    passwordSlotAssociatedData(parsed.kdf, repoId),
    () =>
      new CryptoError(
        'wrong-password',
        'Wrong password (or this key slot belongs to another repository, or it was altered)',
      ),
  );
}

/**
 * Opens `slot` with the old password and wraps the same master secret under the new one, with a
 * fresh salt and nonce. Nothing else changes: every object stays readable and nothing is
 * re-uploaded except this slot. Parameters stay as they were unless `options.params` is given.
 */
export async function changePassword(
  slot: unknown,
  oldPassword: string,
  newPassword: string,
  repoId: Uint8Array,
  options?: PasswordSlotOptions,
): Promise<PasswordSlot> {
  const parsed = parsePasswordSlot(slot);
  passwordBytes('newPassword', newPassword);
  const opts = requireOptions('options', options);
  const argon2 = opts.argon2id as Argon2idFunction | undefined;
  const master = await openPasswordSlot(
    parsed,
    oldPassword,
    repoId,
    argon2 ? { argon2id: argon2 } : undefined,
  );
  const { memoryKiB, iterations, parallelism } = parsed.kdf;
  try {
    return await createPasswordSlot(master, newPassword, repoId, {
      params: (opts.params as Argon2Params | undefined) ?? { memoryKiB, iterations, parallelism },
      random: opts.random as RandomSource | undefined,
      argon2id: argon2,
    });
  } finally {
    master.fill(0);
  }
}
