import { describe, expect, it } from 'vitest';
import { isRestorePageError, RestorePageError } from '@/utils/archive/restore-errors';
import { AuthError } from '@/utils/auth/auth-errors';
import { createBackgroundHandlers, type DriveServices } from '@/utils/backup/background-handlers';
import { backgroundTokenSource } from '@/utils/backup/page-drive-tokens';
import type { Catalog } from '@/utils/catalog/catalog';
import { createRuntimeRouter } from '@/utils/messages/runtime-router';

const extensionId = 'abcdefghijklmnopabcdefghijklmnop';
const extensionOrigin = `chrome-extension://${extensionId}`;
const restorePage = { id: extensionId, url: `${extensionOrigin}/restore.html` };
const contentScript = { id: extensionId, url: 'https://web.whatsapp.com/', tab: { id: 3 } };

/** The background's router with a sign-in whose tokens are counted and revocable. */
function background(options: { withTokens?: boolean } = {}) {
  const calls: string[] = [];
  let revoked = false;
  let issued = 0;
  const auth: DriveServices['auth'] = {
    status: async () => ({ configured: true, signedIn: !revoked }),
    signIn: async () => ({ configured: true, signedIn: true }),
    signOut: async () => ({ revoked: true }),
    ...(options.withTokens !== false && {
      getToken: async () => {
        calls.push('get');
        if (revoked) throw new AuthError('sign-in-required', 'Connect Google Drive first.');
        issued += 1;
        return `token-${issued}`;
      },
      refreshToken: async (stale: string) => {
        calls.push(`refresh ${stale}`);
        issued += 1;
        return `token-${issued}`;
      },
    }),
  };
  const handlers = createBackgroundHandlers({
    catalog: {} as Catalog,
    drive: { auth, storage: () => never(), forgetStorage: () => {} },
  });
  const route = createRuntimeRouter(handlers, {
    extensionId,
    extensionOrigin,
    whatsAppOrigin: 'https://web.whatsapp.com',
  });
  return {
    calls,
    revoke: () => {
      revoked = true;
    },
    // What browser.runtime.sendMessage does from the restore page: the router answers.
    transport: (message: unknown) => route(message, restorePage),
    route,
  };
}

function never(): never {
  throw new Error('the token message must not touch the Drive storage');
}

describe('drive/access-token and the page token source', () => {
  it('gives the page a token, and a fresh one for a token Drive refused', async () => {
    const world = background();
    const tokens = backgroundTokenSource(world.transport);
    expect(await tokens.getToken()).toBe('token-1');
    expect(await tokens.refreshToken('token-1')).toBe('token-2');
    expect(world.calls).toEqual(['get', 'refresh token-1']);
  });

  it('turns a sign-in failure into a RestorePageError carrying the background’s code', async () => {
    const world = background();
    world.revoke();
    const failure = await backgroundTokenSource(world.transport)
      .getToken()
      .catch((error: unknown) => error);
    expect(isRestorePageError(failure, 'drive-token')).toBe(true);
    expect(failure).toMatchObject({ reason: 'sign-in-required', message: 'Connect Google Drive first.' });
  });

  it('answers not-configured when the sign-in cannot hand out tokens', async () => {
    const world = background({ withTokens: false });
    const failure = await backgroundTokenSource(world.transport)
      .getToken()
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'drive-token', reason: 'not-configured' });
  });

  it('refuses the message from a content script: tokens go to extension pages only', async () => {
    const world = background();
    const answer = await world.route({ type: 'drive/access-token', request: {} }, contentScript);
    expect(answer).toMatchObject({ ok: false });
    expect(world.calls).toEqual([]);
  });

  it('reports an unreachable background as a drive-token error, and checks its arguments', async () => {
    const tokens = backgroundTokenSource(async () => {
      throw new Error('Extension context invalidated.');
    });
    await expect(tokens.getToken()).rejects.toMatchObject({ code: 'drive-token', reason: 'transport' });
    await expect(tokens.refreshToken('')).rejects.toMatchObject({ code: 'invalid-argument' });
    expect(() => backgroundTokenSource(undefined as never)).toThrow(RestorePageError);
  });
});
