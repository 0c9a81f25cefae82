import { resolve } from 'node:path';
import { build } from 'esbuild';
import puppeteer, { type Page } from 'puppeteer';
import { CHROMIUM_PATH } from '../../tests/e2e/support/launch';
import { startHostRouter } from '../../tests/support/host-router';

/**
 * Bundles a bench script for the browser and runs it in a Chromium page served from loopback
 * (a secure context, so WebCrypto is there), with the same Chromium the e2e tests use.
 */
export async function withBenchPage<T>(entry: string, run: (page: Page) => Promise<T>): Promise<T> {
  const router = await startHostRouter({ tls: false });
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const bundle = await build({
      entryPoints: [resolve(entry)],
      bundle: true,
      format: 'esm',
      write: false,
      platform: 'browser',
      alias: { '@': resolve('.') },
    });
    const script = bundle.outputFiles[0]!.text;
    router.route('127.0.0.1', (req, res) => {
      if (req.url === '/bench.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      else
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<!doctype html><script type="module" src="/bench.js"></script>');
    });
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${router.port}/`);
    return await run(page);
  } finally {
    await browser.close();
    await router.close();
  }
}
