import { type BenchResult, median, round } from '../result';
import { withBenchPage } from '../support/browser-bench';

const MIB = 256;
const RUNS = 5;

/**
 * Streaming object encryption (X25519 + HKDF + STREAM AES-256-GCM, 64 KiB chunks) of 256 MiB in
 * Chromium, against one-shot WebCrypto AES-256-GCM of the same bytes in the same page.
 */
export async function benchCrypto(): Promise<BenchResult[]> {
  const { oneShot, streaming, bytes } = await withBenchPage('bench/browser/crypto-page.ts', async (page) => {
    await page.waitForFunction(() => 'runCryptoBench' in globalThis);
    return page.evaluate(
      (mib, runs) =>
        (
          globalThis as unknown as {
            runCryptoBench(
              m: number,
              r: number,
            ): Promise<{ oneShot: number[]; streaming: number[]; bytes: number }>;
          }
        ).runCryptoBench(mib, runs),
      MIB,
      RUNS,
    );
  });
  const mbps = (ms: number) => bytes / 1e6 / (ms / 1000);
  const stream = mbps(median(streaming));
  const reference = mbps(median(oneShot));
  return [
    {
      name: 'crypto.encrypt.mb_s',
      value: round(stream, 1),
      unit: 'MB/s',
      note: `${MIB} MiB in Chromium, median of ${RUNS}`,
    },
    {
      name: 'crypto.encrypt.ratio_vs_webcrypto',
      value: round(stream / reference),
      unit: 'x',
      reference: round(reference, 1),
      ratio: round(stream / reference),
      note: 'goal >= 0.9',
    },
  ];
}
