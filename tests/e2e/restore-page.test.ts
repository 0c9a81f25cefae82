import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchive } from '@/utils/archive/archive';
import { snapshotArchiveSource } from '@/utils/archive/snapshot-source';
import { backupDataset } from '@/utils/repo/backup';
import { initRepository, type Repository } from '@/utils/repo/repository';
import { staticAccessToken } from '@/utils/storage/drive/access-token';
import { DriveStorage } from '@/utils/storage/drive/drive-storage';
import { SCOPES } from '../support/oauth-server';
import { readStoredZip } from '../unit/archive/helpers';
import { type Media, smallDataset, sourceOf } from '../unit/repo/helpers';
import { approveGoogleConsent, buildConfiguredExtension, E2E_WEB_CLIENT_ID } from './support/google';
import { waitUntil } from './support/launch';
import { startWorld, type World } from './support/stand-ins';

/**
 * Issue 7: "The restore page runs in the production build against the Drive emulator". A real
 * repository (real Argon2id, real encryption) is written into the emulated Drive from Node; the
 * page of the production build signs in, is refused a wrong password, unlocks, lists the
 * backup, restores one chat and the zip it wrote holds that chat's text and media, byte for byte.
 */

const PASSWORD = 'restore page e2e password';
const FAMILY = '120363000000000001@g.us';

let build: string;
let world: World;
let emulatorServer: Server;
let repository: Repository;
let snapshotId: string;
let media: Media;

beforeAll(async () => {
  build = await buildConfiguredExtension('e2e-restore', { WXT_GOOGLE_WEB_CLIENT_ID: E2E_WEB_CLIENT_ID });
  world = await startWorld({ extensionDir: build, google: true });
  const google = world.google!;
  // The same emulator the browser reaches through the HTTPS router, on plain loopback for Node.
  emulatorServer = createServer(google.drive.handle);
  await new Promise<void>((done) => emulatorServer.listen(0, '127.0.0.1', done));
  const { port } = emulatorServer.address() as AddressInfo;
  // A token of ChatVault's own client: drive.file shows the page exactly the files this client made.
  const { token } = google.tokens.issue({ clientId: E2E_WEB_CLIENT_ID, scopes: [SCOPES.driveFile] });
  const storage = new DriveStorage({
    tokens: staticAccessToken(token),
    apiRoot: `http://127.0.0.1:${port}/`,
  });
  ({ repository } = await initRepository(storage, { password: PASSWORD }));
  const small = smallDataset();
  media = small.media;
  ({ snapshotId } = await backupDataset(repository, sourceOf(small.dataset, media)));
});

afterAll(async () => {
  await world?.close();
  await new Promise((done) => emulatorServer?.close(done));
});

/** Opens restore.html and connects Google Drive through the consent page when it asks. */
async function signedInRestorePage(): Promise<Page> {
  const page = await world.session.openPage('restore.html');
  const first = await page.waitForSelector(
    '[data-testid="restore-unlock"], [data-testid="drive-card"]:not([data-state="loading"])',
  );
  if ((await first!.evaluate((element) => element.getAttribute('data-testid'))) === 'drive-card') {
    expect(await first!.evaluate((element) => element.getAttribute('data-state'))).toBe('signed-out');
    await approveGoogleConsent(world.session.browser, page);
  }
  await page.waitForSelector('[data-testid="restore-unlock"]', { timeout: 30_000 });
  return page;
}

async function unlock(page: Page, password: string): Promise<void> {
  const field = await page.waitForSelector('[data-testid="restore-secret"]:not([disabled])');
  await field!.click({ count: 3 });
  await field!.type(password);
  await page.click('[data-testid="restore-unlock-submit"]');
}

/** Opens the only backup and restores the Family chat; resolves once the summary shows. */
async function restoreFamily(page: Page): Promise<string> {
  await page.waitForSelector(`[data-testid="restore-backup"][data-id="${snapshotId}"]`, { timeout: 60_000 });
  await page.click(
    `[data-testid="restore-backup"][data-id="${snapshotId}"] [data-testid="restore-backup-choose"]`,
  );
  await page.waitForSelector('[data-testid="restore-selection"]', { timeout: 60_000 });
  await page.click('[data-testid="restore-some-chats"]');
  await page.click(`[data-testid="restore-chat"][data-chat-id="${FAMILY}"]`);
  await page.click('[data-testid="restore-start"]');
  const summary = await page.waitForSelector('[data-testid="restore-summary"]', { timeout: 120_000 });
  return (await summary!.evaluate((element) => element.textContent)) ?? '';
}

/** What the same snapshot, chat and time zone give when archived in Node. */
async function expectedFiles(timeZone: string): Promise<Map<string, Uint8Array>> {
  const archive = createArchive(await snapshotArchiveSource(repository, snapshotId), {
    chatIds: [FAMILY],
    timeZone,
  });
  const files = new Map<string, Uint8Array>();
  for await (const entry of archive) {
    if (entry.content instanceof Uint8Array) files.set(entry.path, entry.content);
    else {
      const pieces: Uint8Array[] = [];
      for await (const piece of entry.content) pieces.push(piece);
      files.set(entry.path, Buffer.concat(pieces));
    }
  }
  return files;
}

function checkZip(zip: Uint8Array, expected: Map<string, Uint8Array>): void {
  const files = readStoredZip(zip);
  const text = 'chats/Family/WhatsApp Chat with Family.txt';
  expect([...files.keys()]).toContain(text);
  expect([...files.keys()].some((name) => name.startsWith('chats/Ana/'))).toBe(false);
  expect(Buffer.from(files.get(text)!).equals(Buffer.from(expected.get(text)!))).toBe(true);
  const json = 'chats/Family/messages.json';
  expect(Buffer.from(files.get(json)!).equals(Buffer.from(expected.get(json)!))).toBe(true);
  const images = [...files.entries()].filter(([name]) =>
    /^chats\/Family\/IMG-\d{8}-WA\d{4}\.jpg$/.test(name),
  );
  expect(images.map(([, bytes]) => Buffer.from(bytes).toString('base64')).sort()).toEqual(
    [...media.values()].map((bytes) => Buffer.from(bytes).toString('base64')).sort(),
  );
}

describe('the restore page in the production build', () => {
  it('signs in, says so when the password is wrong, and lists the backup once unlocked', async () => {
    const page = await signedInRestorePage();
    await unlock(page, 'not the password');
    const error = await page.waitForSelector('[data-testid="restore-unlock-error"]', { timeout: 60_000 });
    expect(await error!.evaluate((element) => element.textContent)).toBe('Wrong password for this backup.');
    await unlock(page, PASSWORD);
    const backup = await page.waitForSelector(`[data-testid="restore-backup"][data-id="${snapshotId}"]`, {
      timeout: 60_000,
    });
    expect(await backup!.evaluate((element) => element.textContent)).toContain(
      '2 chats, 35 messages, 5 media files',
    );
    await page.close();
  });

  it('restores one chat through the File System Access API: its text and media, byte for byte', async () => {
    const page = await signedInRestorePage();
    // A page-level stand-in for the save dialog: the page's own streaming code path writes into it.
    await page.evaluate(() => {
      const chunks: Uint8Array[] = [];
      const target = window as unknown as Record<string, unknown>;
      target.__restoreChunks = chunks;
      target.showSaveFilePicker = async (options: { suggestedName: string }) => {
        target.__restoreSuggestedName = options.suggestedName;
        return {
          createWritable: async () =>
            new WritableStream<Uint8Array>({ write: (chunk) => void chunks.push(new Uint8Array(chunk)) }),
        };
      };
    });
    await unlock(page, PASSWORD);
    const summary = await restoreFamily(page);
    expect(summary).toContain('1 chats, 5 messages and 5 media files');
    expect(summary).toContain('Everything in the backup was restored.');
    const { base64, name, timeZone } = await page.evaluate(() => {
      const target = window as unknown as Record<string, unknown>;
      const chunks = target.__restoreChunks as Uint8Array[];
      let binary = '';
      for (const chunk of chunks)
        for (let i = 0; i < chunk.length; i += 0x8000)
          binary += String.fromCharCode(...chunk.subarray(i, i + 0x8000));
      return {
        base64: btoa(binary),
        name: target.__restoreSuggestedName as string,
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      };
    });
    expect(name).toMatch(/^ChatVault restore \d{4}-\d{2}-\d{2}\.zip$/);
    checkZip(Buffer.from(base64, 'base64'), await expectedFiles(timeZone));
    await page.close();
  });

  it('falls back to the downloads API where there is no File System Access API', async () => {
    const downloads = mkdtempSync(join(tmpdir(), 'chatvault-restore-downloads-'));
    try {
      const cdp = await world.session.browser.target().createCDPSession();
      await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
      const page = await signedInRestorePage();
      await page.evaluate(() => {
        (window as unknown as Record<string, unknown>).showSaveFilePicker = undefined;
      });
      await unlock(page, PASSWORD);
      const summary = await restoreFamily(page);
      expect(summary).toContain('the download');
      let zipName: string | undefined;
      await waitUntil(
        async () => {
          zipName = readdirSync(downloads).find((file) => file.endsWith('.zip'));
          return zipName !== undefined;
        },
        30_000,
        'the downloaded zip',
      );
      const timeZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
      checkZip(readFileSync(join(downloads, zipName!)), await expectedFiles(timeZone));
      await page.close();
    } finally {
      rmSync(downloads, { recursive: true, force: true });
    }
  });
});
