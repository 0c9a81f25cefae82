import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ViewerHandle } from '../../utils/archive/viewer/src/main';
import type { ViewerFixture } from '../unit/archive/viewer-fixture';
import { CHROMIUM_PATH } from './support/launch';

/**
 * Issue 7: the archive's index.html, opened from file:// with no server and no network, shows
 * the chat list and a 100 000-message chat, and its search finds a given message.
 * Screenshots go to test-artifacts/ (git-ignored).
 */
const ARTIFACTS = resolve('test-artifacts');
const NEEDLE = 'the-needle-7f3a: meet at the old lighthouse';
const BIG = 100_000;

type ViewerWindow = Window & { ChatVaultViewer: ViewerHandle };

/** Writes the fixture archive in a tsx child: the e2e project has no `@/` alias for utils/. */
async function writeFixture(dir: string): Promise<ViewerFixture> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', resolve('tests/unit/archive/viewer-fixture.ts'), dir],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ViewerFixture;
}

describe('offline viewer (file://)', () => {
  let work: string;
  let browser: Browser;
  let page: Page;
  let fixture: ViewerFixture;
  const offline: string[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'chatvault-viewer-'));
    fixture = await writeFixture(join(work, 'archive'));
    await mkdir(ARTIFACTS, { recursive: true });

    browser = await puppeteer.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      // file:// is the archive; data: URLs are Chromium's own icons for media and date controls.
      if (/^(file|data):/.test(request.url())) return request.continue();
      offline.push(request.url());
      return request.abort();
    });
    await page.goto(pathToFileURL(join(work, 'archive', 'index.html')).href);
  });

  afterAll(async () => {
    await browser?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('shows the chat list', async () => {
    await page.waitForFunction(() => (window as unknown as ViewerWindow).ChatVaultViewer?.ready === true);
    const titles = await page.$$eval('[data-testid="chat-item"] .chat-title', (items) =>
      items.map((i) => i.textContent),
    );
    expect(titles).toHaveLength(fixture.chats);
    expect(await page.$eval('.archive-facts', (el) => el.textContent)).toContain('times in UTC');
  });

  it('opens the 100 000-message chat, drawing only what is on screen', async () => {
    await page.click(`[data-testid="chat-item"][data-chat="${fixture.bigChatNumber}"]`);
    await page.waitForFunction(
      (n) => (window as unknown as ViewerWindow).ChatVaultViewer.renderedAt[n] !== undefined,
      { timeout: 60_000 },
      fixture.bigChatNumber,
    );
    const heading = await page.$eval('[data-testid="chat"] small', (el) => el.textContent);
    expect(heading).toContain('100,000 messages');
    const rows = await page.$$eval('[data-testid="message"]', (els) =>
      els.map((el) => Number(el.getAttribute('data-index'))),
    );
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(200);
    // Opened at the newest message, as WhatsApp does.
    expect(Math.max(...rows)).toBe(BIG - 1);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-100k.png') });

    // Scrolling to the middle draws the middle, still only a screenful.
    await page.$eval('[data-testid="messages"]', (el) => {
      el.scrollTop = el.scrollHeight / 2;
    });
    await page.waitForFunction(() => {
      const indexes = [...document.querySelectorAll('[data-testid="message"]')].map((el) =>
        Number(el.getAttribute('data-index')),
      );
      return indexes.length > 0 && Math.min(...indexes) > 20_000 && Math.max(...indexes) < 80_000;
    });
    expect(await page.$$eval('[data-testid="message"]', (els) => els.length)).toBeLessThan(200);
  });

  it('finds a given message with search', async () => {
    await page.click('[data-testid="search"]');
    await page.type('[data-testid="search"]', 'NEEDLE-7F3A');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="search-count"]')?.textContent === '1 of 1',
    );
    const found = await page.waitForSelector(
      `[data-testid="message"][data-index="${fixture.needleIndex}"] mark`,
    );
    expect(await found!.evaluate((el) => el.textContent)).toBe('needle-7f3a');
    const visible = await found!.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const view = document.querySelector('[data-testid="messages"]')!.getBoundingClientRect();
      return box.top >= view.top && box.bottom <= view.bottom;
    });
    expect(visible).toBe(true);
    const text = await page.$eval(
      `[data-testid="message"][data-index="${fixture.needleIndex}"] .text`,
      (el) => el.textContent,
    );
    expect(text).toBe(NEEDLE);
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-100k-search.png') });
  });

  it('jumps to a date', async () => {
    const day = fixture.jumpDay;
    const index = await page.evaluate(
      (d) => (window as unknown as ViewerWindow).ChatVaultViewer.jumpToDay(d),
      day,
    );
    const first = fixture.jumpIndex;
    expect(index).toBe(first);
    await page.waitForSelector(`[data-testid="message"][data-index="${first}"] .day`);
    const label = await page.$eval(
      `[data-testid="message"][data-index="${first}"] .day`,
      (el) => el.textContent,
    );
    const [year, month, date] = day.split('-').map(Number);
    expect(label).toContain(String(year));
    expect(label).toContain(
      new Date(Date.UTC(year!, month! - 1, date!)).toLocaleString('en-GB', {
        month: 'long',
        timeZone: 'UTC',
      }),
    );
  });

  it('switches between light and dark', async () => {
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    expect(await theme()).toBe('auto');
    await page.click('[data-testid="theme"]');
    expect(await theme()).toBe('light');
    await page.click('[data-testid="theme"]');
    expect(await theme()).toBe('dark');
    const background = await page.$eval('.main', (el) => getComputedStyle(el).backgroundColor);
    expect(background).toBe('rgb(11, 20, 26)');
    await page.screenshot({ path: join(ARTIFACTS, 'viewer-100k-dark.png') });
  });

  it('never touched the network', () => {
    expect(offline).toEqual([]);
  });
});
