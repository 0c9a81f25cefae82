import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveGoogleConsent, buildConfiguredExtension, E2E_WEB_CLIENT_ID } from './support/google';
import { waitUntil } from './support/launch';
import { startWorld, type World } from './support/stand-ins';

/**
 * Google sign-in and Drive from the production build, in Chromium: the options page's "Connect
 * Google Drive" runs identity.launchWebAuthFlow against the OAuth stand-in, and "Test connection"
 * makes the service worker upload, list, download and delete through the Drive emulator.
 */

let configuredBuild: string;

beforeAll(async () => {
  configuredBuild = await buildConfiguredExtension('e2e-google', {
    WXT_GOOGLE_WEB_CLIENT_ID: E2E_WEB_CLIENT_ID,
  });
});

/** The options page's Drive card, once it knows the sign-in state. */
async function driveCard(world: World): Promise<Page> {
  const page = await world.session.openPage('options.html');
  await page.waitForSelector('[data-testid="drive-card"]:not([data-state="loading"])');
  return page;
}

/** Clicks "Connect Google Drive" and "Allow" on Google's consent page in the window it opens. */
async function connect(world: World, page: Page): Promise<void> {
  await approveGoogleConsent(world.session.browser, page, async (consent) => {
    expect(await consent.$eval('#scopes', (list) => list.textContent)).toContain('auth/drive.file');
  });
  await page.waitForSelector('[data-testid="drive-card"][data-state="signed-in"]', { timeout: 30_000 });
}

async function testConnection(page: Page): Promise<{ outcome: string | null; text: string }> {
  await page.click('[data-testid="drive-check"]');
  const result = await page.waitForSelector('[data-testid="drive-result"]', { timeout: 60_000 });
  return {
    outcome: await result!.evaluate((element) => element.getAttribute('data-outcome')),
    text: (await result!.evaluate((element) => element.textContent)) ?? '',
  };
}

describe('Google Drive from the production build', () => {
  let world: World;

  beforeAll(async () => {
    world = await startWorld({ extensionDir: configuredBuild, google: true });
  });

  afterAll(async () => {
    await world?.close();
  });

  it('signs in with launchWebAuthFlow through Google’s consent page, asking only for drive.file', async () => {
    const page = await driveCard(world);
    expect(await page.$eval('[data-testid="drive-card"]', (card) => card.getAttribute('data-state'))).toBe(
      'signed-out',
    );
    await connect(world, page);
    const google = world.google!;
    expect(google.oauth.counters).toMatchObject({ consentPagesShown: 1, tokensIssued: 1, errors: 0 });
    const [token] = google.tokens.records();
    expect(token).toMatchObject({
      clientId: E2E_WEB_CLIENT_ID,
      scopes: ['https://www.googleapis.com/auth/drive.file'],
    });
  });

  it('tests the connection: writes, lists, reads back and deletes a probe, and reports the quota', async () => {
    const drive = world.google!.drive;
    drive.resetCounters();
    const page = await driveCard(world);
    const result = await testConnection(page);
    expect(result.outcome).toBe('passed');
    expect(result.text).toContain('Connection works as chatvault.tester@gmail.com');
    expect(result.text).toContain('ChatVault Backups');
    expect(result.text).toContain('free of 15.0 GiB');
    expect(drive.counters.requests).toMatchObject({ 'upload.multipart': 1, 'files.delete': 1 });
    expect(drive.counters.requests['files.download']).toBeGreaterThanOrEqual(2);
    // The probe is gone; the visible backup folder stays.
    expect(drive.state.files().map((file) => file.name)).toEqual(['ChatVault Backups']);
  });

  it('uploads a multi-chunk object through a resumable session from the service worker', async () => {
    const drive = world.google!.drive;
    drive.resetCounters();
    const page = await driveCard(world);
    const answer = await page.evaluate(() =>
      chrome.runtime.sendMessage({ type: 'drive/check', request: { probeBytes: 12 * 1024 * 1024 } }),
    );
    expect(answer).toMatchObject({ ok: true, value: { outcome: 'passed', probeBytes: 12 * 1024 * 1024 } });
    expect(drive.counters.requests['upload.resumable.start']).toBe(1);
    expect(drive.counters.requests['upload.resumable.chunk']).toBeGreaterThanOrEqual(2);
    expect(drive.state.files().map((file) => file.name)).toEqual(['ChatVault Backups']);
  });

  it('stays signed in when Chrome stops the service worker (no new consent)', async () => {
    await world.session.worker();
    await world.session.stopServiceWorker();
    const page = await driveCard(world);
    expect((await testConnection(page)).outcome).toBe('passed');
    expect(world.google!.oauth.counters.consentPagesShown).toBe(1);
  });

  it('disconnects: revokes the grant at Google and forgets the token', async () => {
    const page = await driveCard(world);
    await page.click('[data-testid="drive-disconnect"]');
    await page.waitForSelector('[data-testid="drive-card"][data-state="signed-out"]');
    const google = world.google!;
    expect(google.oauth.counters.revocations).toBe(1);
    expect(google.tokens.records().every((record) => record.revoked)).toBe(true);
    const answer = await page.evaluate(() =>
      chrome.runtime.sendMessage({ type: 'drive/check', request: {} }),
    );
    expect(answer).toMatchObject({ ok: true, value: { outcome: 'failed', code: 'sign-in-required' } });
  });
});

describe('a build without OAuth client ids', () => {
  let world: World;

  beforeAll(async () => {
    world = await startWorld({ google: true });
  });

  afterAll(async () => {
    await world?.close();
  });

  it('says exactly what to configure, with this extension’s redirect URI', async () => {
    const page = await driveCard(world);
    await waitUntil(
      async () => (await page.$('[data-testid="drive-card"][data-state="not-configured"]')) !== null,
      10_000,
      'the not-configured state',
    );
    const help = await page.$eval('[data-testid="drive-help"]', (element) => element.textContent ?? '');
    expect(help).toContain('WXT_GOOGLE_WEB_CLIENT_ID');
    expect(help).toContain(`https://${world.session.extensionId}.chromiumapp.org/`);
    const answer = await page.evaluate(() =>
      chrome.runtime.sendMessage({ type: 'drive/sign-in', request: {} }),
    );
    expect(answer).toMatchObject({ ok: true, value: { outcome: 'failed', code: 'not-configured' } });
  });
});
