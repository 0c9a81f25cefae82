import { isCryptoError } from '@/utils/crypto';
import { isRepoError } from '@/utils/repo/errors';
import { isStorageError } from '@/utils/storage/storage';

/** Exit codes scripts can rely on (README "Command line"). */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  wrongCredentials: 3,
  damaged: 4,
  notARepository: 5,
} as const;

export class UsageError extends Error {}

/** Maps any error to the message and exit code a user sees. */
export function explain(error: unknown): { message: string; code: number } {
  if (error instanceof UsageError) return { message: error.message, code: EXIT.usage };
  if (isRepoError(error)) {
    switch (error.code) {
      case 'wrong-password':
      case 'wrong-recovery-key':
      case 'no-key-slot':
        return { message: error.message, code: EXIT.wrongCredentials };
      case 'not-a-repository':
      case 'unsupported-version':
      case 'already-initialised':
        return { message: error.message, code: EXIT.notARepository };
      case 'corrupt':
      case 'missing-data':
      case 'config-mismatch':
        return { message: error.message, code: EXIT.damaged };
      case 'invalid-argument':
      case 'snapshot-not-found':
        return { message: error.message, code: EXIT.usage };
    }
  }
  if (isCryptoError(error)) return { message: error.message, code: EXIT.failure };
  if (isStorageError(error)) return { message: `Storage: ${error.message}`, code: EXIT.failure };
  return { message: error instanceof Error ? error.message : String(error), code: EXIT.failure };
}
