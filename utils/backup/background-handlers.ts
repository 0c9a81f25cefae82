import type { AuthStatus, GoogleAuth } from '@/utils/auth/google-auth';
import type { Catalog } from '@/utils/catalog/catalog';
import { recordWhatsAppStatus } from '@/utils/catalog/whatsapp-tabs';
import { fromHex } from '@/utils/crypto';
import type { RuntimeHandlers } from '@/utils/messages/runtime-router';
import { checkDriveConnection, describeDriveFailure } from '@/utils/storage/drive/connection-check';
import type { DriveStorage } from '@/utils/storage/drive/drive-storage';
import { measureArgon2id } from './measure-kdf';

/** Google sign-in and the Drive backend, made by the background from build-time configuration. */
export interface DriveServices {
  /** getToken/refreshToken serve `drive/access-token`; without them that message fails as not configured. */
  auth: Pick<GoogleAuth, 'status' | 'signIn' | 'signOut'> &
    Partial<Pick<GoogleAuth, 'getToken' | 'refreshToken'>>;
  /** The one DriveStorage of this worker (made on first use). */
  storage(): DriveStorage;
  /** Drops that DriveStorage: after a sign-in or sign-out its cached folder ids may be another account's. */
  forgetStorage(): void;
}

/** The background's answers to every runtime message (runtime-protocol.ts). */
export function createBackgroundHandlers(deps: {
  catalog: Catalog;
  drive: DriveServices;
  now?: () => number;
}): RuntimeHandlers {
  const now = deps.now ?? Date.now;
  const { auth } = deps.drive;
  const failed = (error: unknown) => ({ outcome: 'failed' as const, ...describeDriveFailure(error) });
  return {
    'whatsapp/status': async (status, { tabId }) => {
      if (tabId === undefined) throw new Error('status report without a tab');
      await recordWhatsAppStatus(deps.catalog, tabId, status, now());
      return null;
    },
    'kdf/measure': async ({ params, password, saltHex }) => {
      const salt = fromHex('saltHex', saltHex);
      return measureArgon2id(params, password, salt);
    },
    'drive/status': () => auth.status(),
    'drive/sign-in': async () => {
      try {
        deps.drive.forgetStorage();
        return { outcome: 'signed-in', status: await auth.signIn() };
      } catch (error) {
        return failed(error);
      }
    },
    'drive/sign-out': async () => {
      const { revoked } = await auth.signOut();
      deps.drive.forgetStorage();
      return { revoked, status: await auth.status() };
    },
    'drive/access-token': async ({ refused }) => {
      if (!auth.getToken || !auth.refreshToken)
        return {
          outcome: 'failed',
          code: 'not-configured',
          message: 'This build cannot hand out Drive tokens.',
        };
      try {
        const token = refused === undefined ? await auth.getToken() : await auth.refreshToken(refused);
        return { outcome: 'token', token };
      } catch (error) {
        return failed(error);
      }
    },
    'drive/check': async ({ probeBytes }) => {
      const status: AuthStatus = await auth.status();
      if (!status.configured)
        return { outcome: 'failed', code: 'not-configured', message: status.help ?? '' };
      if (!status.signedIn) {
        return { outcome: 'failed', code: 'sign-in-required', message: 'Connect Google Drive first.' };
      }
      try {
        return { outcome: 'passed', ...(await checkDriveConnection(deps.drive.storage(), { probeBytes })) };
      } catch (error) {
        return failed(error);
      }
    },
  };
}
