import { afterEach, describe, expect, it } from 'vitest';
import { AuthError } from '@/utils/auth/auth-errors';
import { createBackgroundHandlers, type DriveServices } from '@/utils/backup/background-handlers';
import type { Catalog } from '@/utils/catalog/catalog';
import { checkDriveConnection, describeDriveFailure } from '@/utils/storage/drive/connection-check';
import { StorageError } from '@/utils/storage/storage';
import { type DriveFixture, startDriveFixture } from './drive-fixture';
import { rejectionOf } from './helpers';

/** The settings page's "Test connection", and the background's answers to the drive/* messages. */

let fixture: DriveFixture;

afterEach(async () => {
  await fixture?.close();
});

const objectFiles = () =>
  fixture.running.emulator.state
    .files()
    .filter((file) => file.mimeType !== 'application/vnd.google-apps.folder');

describe('checkDriveConnection', () => {
  it('writes, lists, reads back (whole and in part) and deletes a probe, and reports the quota', async () => {
    fixture = await startDriveFixture();
    const report = await checkDriveConnection(fixture.storage, { probeBytes: 100_000 });
    expect(report).toMatchObject({
      folder: 'Google Drive folder "ChatVault Backups"',
      email: 'chatvault.tester@gmail.com',
      limitBytes: 15 * 1024 ** 3,
      probeBytes: 100_000,
    });
    const requests = fixture.running.emulator.counters.requests;
    expect(requests).toMatchObject({
      'about.get': 1,
      'upload.multipart': 1,
      'files.download': 2,
      'files.delete': 1,
    });
    expect(objectFiles()).toEqual([]);
  });

  it('deletes the probe even when a step after writing it fails', async () => {
    fixture = await startDriveFixture();
    fixture.running.emulator.faults.serverError(503, { kind: 'files.download' });
    const error = await rejectionOf(checkDriveConnection(fixture.storage));
    expect(error).toMatchObject({ code: 'unavailable', retryable: true });
    expect(objectFiles()).toEqual([]);
  });

  it('refuses a probe size outside 1 byte to 64 MiB', async () => {
    fixture = await startDriveFixture();
    expect(await rejectionOf(checkDriveConnection(fixture.storage, { probeBytes: 0 }))).toMatchObject({
      code: 'internal',
    });
  });
});

describe('describeDriveFailure', () => {
  it('gives the sign-in’s own code when a sign-in failure stopped a Drive request', () => {
    const auth = new AuthError('sign-in-required', 'Google needs you to sign in again');
    const wrapped = new StorageError('unauthorized', 'reading the Drive quota: not signed in', {
      cause: auth,
    });
    expect(describeDriveFailure(wrapped)).toEqual({ code: 'sign-in-required', message: wrapped.message });
    expect(describeDriveFailure(new StorageError('quota-exceeded', 'full'))).toEqual({
      code: 'quota-exceeded',
      message: 'full',
    });
    expect(describeDriveFailure('odd')).toEqual({ code: 'failed', message: 'odd' });
  });
});

describe('background drive/* handlers', () => {
  function handlersWith(
    status: { configured: boolean; signedIn: boolean; help?: string },
    storage?: () => never,
  ) {
    let forgotten = 0;
    const drive: DriveServices = {
      auth: {
        status: async () => status,
        signIn: async () => {
          throw new AuthError('cancelled', 'The Google sign-in was cancelled');
        },
        signOut: async () => ({ revoked: true }),
      },
      storage: storage ?? (() => fixture.storage),
      forgetStorage: () => {
        forgotten += 1;
      },
    };
    return {
      handlers: createBackgroundHandlers({ catalog: {} as Catalog, drive }),
      forgotten: () => forgotten,
    };
  }

  it('answers drive/check with what is missing before touching Drive', async () => {
    const never = () => {
      throw new Error('Drive must not be used');
    };
    const unconfigured = handlersWith(
      { configured: false, signedIn: false, help: 'set WXT_GOOGLE_WEB_CLIENT_ID' },
      never,
    );
    expect(await unconfigured.handlers['drive/check']({}, {})).toEqual({
      outcome: 'failed',
      code: 'not-configured',
      message: 'set WXT_GOOGLE_WEB_CLIENT_ID',
    });
    const signedOut = handlersWith({ configured: true, signedIn: false }, never);
    expect(await signedOut.handlers['drive/check']({}, {})).toMatchObject({
      outcome: 'failed',
      code: 'sign-in-required',
    });
  });

  it('runs the check when signed in, and turns a failed sign-in into a failure with its code', async () => {
    fixture = await startDriveFixture();
    const { handlers, forgotten } = handlersWith({ configured: true, signedIn: true });
    expect(await handlers['drive/check']({ probeBytes: 10 }, {})).toMatchObject({
      outcome: 'passed',
      probeBytes: 10,
    });
    expect(await handlers['drive/sign-in']({}, {})).toMatchObject({ outcome: 'failed', code: 'cancelled' });
    expect(await handlers['drive/sign-out']({}, {})).toMatchObject({ revoked: true });
    expect(forgotten()).toBe(2);
  });
});
