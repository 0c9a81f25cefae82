/**
 * utils/crypto: ChatVault's cryptographic leaf (docs/FORMAT.md §2–6). Pure bytes in, bytes out:
 * no I/O, no logging, no imports from the rest of the project. Runs in a service worker and in Node.
 */

export {
  ARGON2_CEILING,
  ARGON2_FLOOR,
  type Argon2idFunction,
  type Argon2idInput,
  type Argon2Params,
  hashWasmArgon2id,
} from './argon2';
export { fromBase64, fromHex, toBase64, toHex } from './bytes';
export { CALIBRATION_MAX_MEMORY_KIB, type CalibrationOptions, calibrateArgon2 } from './calibrate-argon2';
export type { SealOptions } from './chunk-sealer';
export { CryptoError, type CryptoErrorCode, isCryptoError } from './errors';
export { type KeySlot, parseKeySlot } from './key-slot';
export {
  DEFAULT_CHUNK_SIZE,
  MAX_CHUNK_SIZE,
  MIN_CHUNK_SIZE,
  OBJECT_FORMAT_VERSION,
  OBJECT_HEADER_LENGTH,
} from './object-format';
export {
  createObjectIdHasher,
  isObjectId,
  OBJECT_ID_LENGTH,
  type ObjectIdHasher,
  objectId,
} from './object-id';
export { chunkCount, plainSize, sealedSize } from './object-size';
export { createOpenStream, openObject } from './open-object';
export {
  changePassword,
  createPasswordSlot,
  type OpenPasswordSlotOptions,
  openPasswordSlot,
  type PasswordSlot,
  type PasswordSlotOptions,
  parsePasswordSlot,
} from './password-slot';
export { type RandomSource, systemRandom } from './random';
export {
  formatRecoveryKey,
  generateRecoveryKey,
  parseRecoveryKey,
  RECOVERY_KEY_LENGTH,
} from './recovery-key';
export {
  createRecoverySlot,
  openRecoverySlot,
  parseRecoverySlot,
  type RecoverySlot,
  type RecoverySlotOptions,
} from './recovery-slot';
export {
  deriveRepositoryKeys,
  deriveWriterKeys,
  formatRepositoryId,
  generateMasterSecret,
  generateRepositoryId,
  KEY_LENGTH,
  MASTER_SECRET_LENGTH,
  parseRepositoryId,
  REPOSITORY_ID_LENGTH,
  type RepositoryKeys,
  toWriterKeys,
  type WriterKeys,
} from './repository-keys';
export { createSealStream, sealObject } from './seal-object';
