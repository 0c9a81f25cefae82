import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page, Target } from 'puppeteer';
import { createDriveEmulator, type DriveEmulator } from '../../support/drive-emulator';
import type { HostRouter } from '../../support/host-router';
import {
  createOAuthServer,
  createTokenRegistry,
  type OAuthServer,
  type TokenRegistry,
} from '../../support/oauth-server';

/** The "Web application" OAuth client id the e2e build is configured with. */
export const E2E_WEB_CLIENT_ID = '424242424242-chatvaulte2e.apps.googleusercontent.com';

/** Google as the extension meets it: consent pages, tokens, revocation and Drive, behind the host router. */
export interface GoogleStandIns {
  tokens: TokenRegistry;
  oauth: OAuthServer;
  drive: DriveEmulator;
  clientId: string;
  /** Registers the client for the launched extension, as one registers its redirect URI at Google. */
  registerExtension(extensionId: string): void;
  dispose(): void;
}

export function startGoogleStandIns(router: HostRouter, clientId = E2E_WEB_CLIENT_ID): GoogleStandIns {
  const tokens = createTokenRegistry();
  const oauth = createOAuthServer({ tokens, clients: [] });
  const drive = createDriveEmulator({ tokens, clientId, fallback: oauth.handle });
  router.route('www.googleapis.com', drive.handle);
  router.route('oauth2.googleapis.com', oauth.handle);
  router.route('accounts.google.com', oauth.handle);
  return {
    tokens,
    oauth,
    drive,
    clientId,
    registerExtension: (extensionId) =>
      oauth.registerClient({ clientId, name: 'ChatVault', extensionIds: [extensionId] }),
    dispose() {
      drive.dispose();
      oauth.dispose();
    },
  };
}

/**
 * Builds the production extension with build-time variables (e.g. its OAuth client ids) into
 * `.output/<name>/chrome-mv3`, beside the default build, and returns that folder. The product is
 * configured exactly as a release would be; it contains nothing that knows about tests.
 */
export async function buildConfiguredExtension(name: string, env: Record<string, string>): Promise<string> {
  const root = resolve('.');
  const outDir = join(root, '.output', name);
  const script = `const { build } = await import('wxt'); await build({ outDir: ${JSON.stringify(outDir)}});`;
  await new Promise<void>((done, fail) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', fail);
    child.on('exit', (code) =>
      code === 0 ? done() : fail(new Error(`wxt build for ${name} failed (${code}):\n${stderr}`)),
    );
  });
  const dir = join(outDir, 'chrome-mv3');
  if (!existsSync(join(dir, 'manifest.json')))
    throw new Error(`The build for ${name} left no manifest in ${dir}`);
  return dir;
}

/**
 * Clicks "Connect Google Drive" on `page` and approves the consent window the OAuth stand-in
 * opens (as a user would). `beforeAllow` may inspect the consent page first.
 */
export async function approveGoogleConsent(
  browser: Browser,
  page: Page,
  beforeAllow?: (consent: Page) => Promise<void>,
): Promise<void> {
  const consentOpened = browser.waitForTarget((target: Target) =>
    target.url().startsWith('https://accounts.google.com/o/oauth2/v2/auth'),
  );
  await page.click('[data-testid="drive-connect"]');
  const consent = await (await consentOpened).asPage();
  await consent.waitForSelector('#allow');
  await beforeAllow?.(consent);
  await consent.click('#allow');
}
