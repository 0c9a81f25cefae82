import { RestorePageError } from '@/utils/archive/restore-errors';
import { type RuntimeTransport, sendRuntimeMessage } from '@/utils/messages/runtime-client';
import type { AccessTokenSource } from '@/utils/storage/drive/access-token';

/**
 * Drive tokens for an extension page that reads Drive itself, fetched from the background's
 * sign-in (`drive/access-token`): the page never sees the refresh machinery, and the background
 * never sees the backup password. A refresh tells the background which token Drive refused.
 */
export function backgroundTokenSource(transport: RuntimeTransport): AccessTokenSource {
  if (typeof transport !== 'function') {
    throw new RestorePageError(
      'invalid-argument',
      'backgroundTokenSource needs a message transport function',
    );
  }
  const ask = async (refused?: string): Promise<string> => {
    const result = await sendRuntimeMessage(transport, 'drive/access-token', refused ? { refused } : {});
    if (!result.ok) {
      throw new RestorePageError('drive-token', result.error.message, { reason: result.error.code });
    }
    if (result.value.outcome !== 'token') {
      throw new RestorePageError('drive-token', result.value.message, { reason: result.value.code });
    }
    return result.value.token;
  };
  return {
    getToken: () => ask(),
    refreshToken: (staleToken) => {
      if (typeof staleToken !== 'string' || staleToken.length === 0) {
        return Promise.reject(
          new RestorePageError('invalid-argument', 'refreshToken needs the refused token'),
        );
      }
      return ask(staleToken);
    },
  };
}
