import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from './support/launch';
import { startWorld, type World } from './support/stand-ins';

// The first path through every context: WhatsApp Web page → MAIN-world script → isolated
// content script → background service worker → Dexie catalog → popup (live query).
describe('WhatsApp Web status reaches the popup', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  const popupState = async (world: World) => {
    const popup = await world.session.openPage('popup.html');
    await popup.waitForSelector('[data-testid="whatsapp-status"] [data-state]');
    return popup;
  };

  it('shows a linked, synced WhatsApp Web as ready with its version', async () => {
    world = await startWorld({ whatsApp: { version: '2.3000.1099999999' } });
    const wa = await world.session.browser.newPage();
    await wa.goto('https://web.whatsapp.com/');
    const popup = await popupState(world);
    await popup.waitForSelector('[data-state="ready"]', { timeout: 15_000 });
    const text = await popup.$eval('[data-testid="whatsapp-status"]', (el) => el.textContent);
    expect(text).toContain('open and signed in');
    expect(text).toContain('2.3000.1099999999');
  });

  it('causes no Content-Security-Policy violation on WhatsApp Web (which could report us)', async () => {
    world = await startWorld();
    const wa = await world.session.browser.newPage();
    const consoleErrors: string[] = [];
    wa.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await wa.evaluateOnNewDocument(() => {
      (window as unknown as { __violations: string[] }).__violations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { __violations: string[] }).__violations.push(
          `${e.violatedDirective} ${e.blockedURI}`,
        ),
      );
    });
    await wa.goto('https://web.whatsapp.com/');
    const popup = await popupState(world);
    await popup.waitForSelector('[data-state="ready"]', { timeout: 15_000 });
    expect(await wa.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual(
      [],
    );
    expect(consoleErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
  });

  it('tells the user to scan the QR code when the device is not linked', async () => {
    world = await startWorld({ whatsApp: { paired: false } });
    const wa = await world.session.browser.newPage();
    await wa.goto('https://web.whatsapp.com/');
    const popup = await popupState(world);
    await popup.waitForSelector('[data-state="needs-qr-scan"]', { timeout: 15_000 });
    expect(await popup.$eval('[data-state]', (el) => el.textContent)).toContain('scan the QR code');
  });

  it('says WhatsApp Web is closed once its tab closes', async () => {
    world = await startWorld();
    const wa = await world.session.browser.newPage();
    await wa.goto('https://web.whatsapp.com/');
    const popup = await popupState(world);
    await popup.waitForSelector('[data-state="ready"]', { timeout: 15_000 });
    await wa.close();
    await popup.waitForSelector('[data-state="closed"]', { timeout: 15_000 });
  });

  it('keeps working after Chrome stops the service worker', async () => {
    world = await startWorld();
    await world.session.worker();
    await world.session.stopServiceWorker();
    const wa = await world.session.browser.newPage();
    // The content script's message wakes a new service worker, which records the status.
    await wa.goto('https://web.whatsapp.com/');
    const popup = await popupState(world);
    await popup.waitForSelector('[data-state="ready"]', { timeout: 15_000 });
    await waitUntil(
      () => world!.session.browser.targets().some((t) => t.type() === 'service_worker'),
      10_000,
      'a restarted service worker',
    );
  });
});
