/**
 * The one error type utils/crypto throws. Callers branch on `code`, never on the message: the
 * message is for people (it may be shown in the UI or printed by the CLI) and may be reworded.
 */
export type CryptoErrorCode =
  /** A caller passed a value of the wrong type, length or range (a programming or config error). */
  | 'invalid-argument'
  /** The bytes do not start with the ChatVault object magic: this is not a sealed object. */
  | 'bad-magic'
  /** A sealed object with a format version this code does not know. */
  | 'unsupported-version'
  /** The object ends before its final chunk (cut at a chunk boundary, inside the header, or short of a tag). */
  | 'truncated'
  /** More bytes follow the chunk flagged as final. */
  | 'trailing-data'
  /** A chunk failed authentication: a flipped bit, reordered or spliced chunks, or a malformed header. */
  | 'corrupt'
  /** The header's key commitment does not match this secret key: sealed to another key (or the header is damaged). */
  | 'wrong-key'
  /** A password slot did not open with this password. */
  | 'wrong-password'
  /** A recovery slot did not open with this recovery key. */
  | 'wrong-recovery-key'
  /** A typed recovery key has the wrong number of hex digits. */
  | 'recovery-key-length'
  /** A typed recovery key contains a character that is not a hex digit, space, dash or newline. */
  | 'recovery-key-character'
  /** A typed recovery key has the right shape but its checksum does not match (a mistyped digit). */
  | 'recovery-key-checksum';

export class CryptoError extends Error {
  override readonly name = 'CryptoError';
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True when `error` is a CryptoError, and (if given) carries `code`. */
export function isCryptoError(error: unknown, code?: CryptoErrorCode): error is CryptoError {
  return error instanceof CryptoError && (code === undefined || error.code === code);
}

/** Shorthand for the most common failure: a bad argument, named in the message. */
export function invalidArgument(message: string): CryptoError {
  return new CryptoError('invalid-argument', message);
}
