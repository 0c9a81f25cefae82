import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer';

/**
 * Starts Debian's Chromium with the production build of the extension installed, every known
 * Google/WhatsApp host mapped to the tests' local stand-ins, and nothing reaching the network.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const EXTENSION_DIR = resolve(process.env.CHATVAULT_EXTENSION_DIR ?? '.output/chrome-mv3');

export interface LaunchOptions {
  /** Port of the local HTTPS host router that answers for the mapped hosts. */
  routerPort: number;
  hosts: readonly string[];
  /** Reuse a profile (e.g. to restart the browser mid-backup); a fresh one otherwise. */
  userDataDir?: string;
  /** Another build of the extension (e.g. one configured with OAuth client ids); EXTENSION_DIR otherwise. */
  extensionDir?: string;
}

export interface ExtensionSession {
  browser: Browser;
  extensionId: string;
  /** The background service worker, started and ready for evaluate(). */
  worker(): Promise<WebWorker>;
  /** Opens chrome-extension://<id>/<path> in a new tab. */
  openPage(path: string): Promise<Page>;
  /** Stops the extension's service worker the way Chrome does when it is idle. */
  stopServiceWorker(): Promise<void>;
  close(): Promise<void>;
}

export async function launchWithExtension(options: LaunchOptions): Promise<ExtensionSession> {
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built extension in ${extensionDir}: run \`npm run build\` first.`);
  }
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium or set CHROMIUM_PATH.`,
    );
  }
  const ownProfile = options.userDataDir === undefined;
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'chatvault-profile-'));
  const rules = options.hosts.map((host) => `MAP ${host} 127.0.0.1:${options.routerPort}`);
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    pipe: true,
    enableExtensions: [extensionDir],
    userDataDir,
    args: [
      // Root in a container has no user namespaces for Chromium's sandbox.
      '--no-sandbox',
      '--ignore-certificate-errors',
      `--host-resolver-rules=${[...rules, 'MAP * ~NOTFOUND', 'EXCLUDE localhost'].join(', ')}`,
      // Keep Chromium itself off the (absent) network.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
      '--no-first-run',
      '--disable-features=NetworkTimeServiceQuerying',
    ],
  });

  const workerTarget = await browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().endsWith('/background.js'),
    { timeout: 30_000 },
  );
  const extensionId = new URL(workerTarget.url()).host;

  const session: ExtensionSession = {
    browser,
    extensionId,
    async worker() {
      // After a stop, any extension event (such as opening one of its pages) restarts it.
      let target = browser
        .targets()
        .find(
          (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extensionId}/`),
        );
      if (!target) {
        // A message wakes a stopped worker (opening a page alone does not): any message will do,
        // the router answers an unknown one with a failure.
        const page = await session.openPage('options.html');
        await page.evaluate(() =>
          chrome.runtime.sendMessage({ type: 'harness/wake' }).catch(() => undefined),
        );
        target = await browser.waitForTarget(
          (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extensionId}/`),
        );
        await page.close();
      }
      const worker = (await target.worker())!;
      // Right after start the worker may evaluate before the extension APIs are bound
      // ("chrome is not defined"): poll until chrome.runtime.id is there.
      for (let i = 0; i < 100; i++) {
        const ready = await worker
          .evaluate(() => typeof chrome !== 'undefined' && Boolean(chrome.runtime?.id))
          .catch(() => false);
        if (ready) return worker;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('The extension service worker never became ready.');
    },
    async openPage(path) {
      const page = await browser.newPage();
      await page.goto(`chrome-extension://${extensionId}/${path}`, { waitUntil: 'domcontentloaded' });
      return page;
    },
    async stopServiceWorker() {
      // While puppeteer is attached Chrome never stops the worker for idleness, so force it:
      // closing a service-worker target stops the worker as Chrome's idle timer would.
      const target = browser
        .targets()
        .find(
          (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extensionId}/`),
        );
      if (!target) return;
      await (await target.worker())?.close();
      await waitUntil(
        () =>
          !browser
            .targets()
            .some(
              (t) =>
                t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extensionId}/`),
            ),
        10_000,
        'service worker to stop',
      );
    },
    async close() {
      await browser.close();
      if (ownProfile) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
  return session;
}

/** Polls `condition` until it holds; fails with a message naming what was awaited. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
}
