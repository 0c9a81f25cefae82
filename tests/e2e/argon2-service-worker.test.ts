import { argon2id } from 'hash-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type World } from './support/stand-ins';

// hash-wasm compiles WebAssembly at run time, which the default MV3 policy forbids; this proves
// the production build's CSP allows it in the service worker and that the result is right.
describe('Argon2id in the production service worker', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  it('derives the same tag as hash-wasm in Node, at the RFC 9106 floor parameters', async () => {
    const params = { memoryKiB: 65536, iterations: 3, parallelism: 4 };
    const saltHex = '000102030405060708090a0b0c0d0e0f';
    const page = await world.session.openPage('options.html');
    const answer = await page.evaluate(
      (request) => chrome.runtime.sendMessage({ type: 'kdf/measure', request }),
      { params, password: 'correct horse battery staple', saltHex },
    );
    const expected = await argon2id({
      password: 'correct horse battery staple',
      salt: Buffer.from(saltHex, 'hex'),
      memorySize: params.memoryKiB,
      iterations: params.iterations,
      parallelism: params.parallelism,
      hashLength: 32,
      outputType: 'hex',
    });
    expect(answer).toMatchObject({ ok: true, value: { tagHex: expected } });
  });

  it('refuses a malformed request with a clear failure instead of throwing', async () => {
    const page = await world.session.openPage('options.html');
    const answer = await page.evaluate(() =>
      chrome.runtime.sendMessage({ type: 'kdf/measure', request: { params: { memoryKiB: -1 } } }),
    );
    expect(answer).toMatchObject({ ok: false, error: { code: 'malformed-request' } });
  });

  it('shows the unlock time on the options page', async () => {
    const page = await world.session.openPage('options.html');
    await page.click('button');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="kdf-result"]')?.textContent?.includes('One unlock takes'),
      { timeout: 60_000 },
    );
  });
});
