import type { IncomingMessage } from 'node:http';
import type { Page } from 'puppeteer';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FOLDER_MIME_TYPE } from '../support/drive-emulator';
import { approveGoogleConsent, buildConfiguredExtension, E2E_WEB_CLIENT_ID } from './support/google';
import { startWorld, type World } from './support/stand-ins';

/**
 * The "quota full and revoked access end with clear errors and nothing half-written
 * visible", from the production service worker, through the options page's "Test connection".
 */

let configuredBuild: string;
let world: World | undefined;

beforeAll(async () => {
  configuredBuild = await buildConfiguredExtension('e2e-google', {
    WXT_GOOGLE_WEB_CLIENT_ID: E2E_WEB_CLIENT_ID,
  });
});

afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function signedIn(): Promise<{ world: World; page: Page }> {
  world = await startWorld({ extensionDir: configuredBuild, google: true });
  const page = await world.session.openPage('options.html');
  await page.waitForSelector('[data-testid="drive-card"][data-state="signed-out"]');
  await approveGoogleConsent(world.session.browser, page);
  await page.waitForSelector('[data-testid="drive-card"][data-state="signed-in"]', { timeout: 30_000 });
  return { world, page };
}

/** Files a user would see in Drive, folders aside. */
function visibleFiles(world: World): string[] {
  return world
    .google!.drive.state.files()
    .filter((file) => file.mimeType !== FOLDER_MIME_TYPE)
    .map((file) => file.name);
}

function isChunk(request: IncomingMessage): boolean {
  return (
    request.method === 'PUT' &&
    /upload_id=/.test(request.url ?? '') &&
    !/^bytes \*/.test(String(request.headers['content-range']))
  );
}

describe('Drive failures the user must act on', () => {
  it('a full Drive: the page says so plainly, and nothing is left in Drive', async () => {
    const { world, page } = await signedIn();
    world.google!.drive.faults.quotaFull({ kind: 'upload.multipart' });
    await page.click('[data-testid="drive-check"]');
    const result = await page.waitForSelector('[data-testid="drive-result"][data-outcome="failed"]', {
      timeout: 60_000,
    });
    expect(await result!.evaluate((element) => element.textContent)).toMatch(
      /Your Google Drive is full.*Free some space/,
    );
    expect(visibleFiles(world)).toEqual([]);
  });

  it('a Drive that fills up in the middle of a resumable upload: quota-exceeded, nothing half-written', async () => {
    const { world, page } = await signedIn();
    world.google!.drive.faults.quotaFull({ kind: 'upload.resumable.chunk', skip: 1 });
    const answer = await page.evaluate(() =>
      chrome.runtime.sendMessage({ type: 'drive/check', request: { probeBytes: 12 * 1024 * 1024 } }),
    );
    expect(answer).toMatchObject({ ok: true, value: { outcome: 'failed', code: 'quota-exceeded' } });
    expect(world.google!.drive.counters.requests['upload.resumable.chunk']).toBe(2);
    expect(visibleFiles(world)).toEqual([]);
  });

  it('access revoked at Google during an upload: asks to sign in again, nothing half-written', async () => {
    const { world, page } = await signedIn();
    const google = world.google!;
    // Revoke just before Drive sees the second chunk, as a user would in their Google Account page.
    let chunks = 0;
    world.router.route('www.googleapis.com', (request, response) => {
      if (isChunk(request) && ++chunks === 2) google.tokens.revokeGrant(E2E_WEB_CLIENT_ID);
      google.drive.handle(request, response);
    });
    const answer = (await page.evaluate(() =>
      chrome.runtime.sendMessage({ type: 'drive/check', request: { probeBytes: 12 * 1024 * 1024 } }),
    )) as { ok: boolean; value: { outcome: string; code: string; message: string } };
    expect(answer).toMatchObject({ ok: true, value: { outcome: 'failed', code: 'sign-in-required' } });
    expect(answer.value.message).toMatch(/sign in/i);
    // The silent renewal was tried (prompt=none) and refused; no consent page was forced on the user.
    expect(google.oauth.counters.consentPagesShown).toBe(1);
    expect(google.oauth.counters.errors).toBeGreaterThanOrEqual(1);
    expect(visibleFiles(world)).toEqual([]);
  });
});
