/** Why a call into the emulator's own API (options, state helpers, fault knobs) was refused. */
export type DriveEmulatorErrorCode = 'invalid-argument' | 'not-found' | 'corrupt-state';

/**
 * Thrown when a test misuses the emulator. What Drive itself would report is an HTTP error
 * response (see google-errors.ts), never this.
 */
export class DriveEmulatorError extends Error {
  override readonly name = 'DriveEmulatorError';
  readonly code: DriveEmulatorErrorCode;

  constructor(code: DriveEmulatorErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
  }
}

export function invalidArgument(message: string): DriveEmulatorError {
  return new DriveEmulatorError('invalid-argument', message);
}
