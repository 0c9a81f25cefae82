import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { startWorld } from '../../tests/e2e/support/stand-ins';
import { ARGON2_FLOOR } from '../../utils/crypto';
import { type BenchResult, median, round } from '../result';

const RUNS = 5;
const PASSWORD = 'benchmark password';
// ASCII, because the argon2 program takes the salt as a command-line string.
const SALT = 'chatvault-bench!';
const SALT_HEX = Buffer.from(SALT, 'latin1').toString('hex');

/**
 * Argon2id at the password floor (64 MiB, t=3, p=4) in the production service worker, against
 * Debian's native `argon2` program with the same parameters in the same run. The native
 * program uses as many threads as lanes; hash-wasm computes lanes one after another.
 */
export async function benchKdf(): Promise<BenchResult[]> {
  const world = await startWorld();
  let swMs: number[];
  let swTag: string;
  try {
    const page = await world.session.openPage('options.html');
    const answers: { elapsedMs: number; tagHex: string }[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const answer = (await page.evaluate(
        (request) => chrome.runtime.sendMessage({ type: 'kdf/measure', request }),
        { params: ARGON2_FLOOR, password: PASSWORD, saltHex: SALT_HEX },
      )) as { ok: boolean; value: { elapsedMs: number; tagHex: string }; error?: { message: string } };
      if (!answer.ok) throw new Error(`kdf/measure failed: ${answer.error?.message}`);
      answers.push(answer.value);
    }
    // The first run includes compiling the WebAssembly module: a warm-up, not a measurement.
    swMs = answers.slice(1).map((a) => a.elapsedMs);
    swTag = answers[0]!.tagHex;
  } finally {
    await world.close();
  }

  const nativeMs: number[] = [];
  let nativeTag = '';
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const run = spawnSync(
      'argon2',
      [
        SALT,
        '-id',
        '-t',
        String(ARGON2_FLOOR.iterations),
        '-k',
        String(ARGON2_FLOOR.memoryKiB),
        '-p',
        String(ARGON2_FLOOR.parallelism),
        '-l',
        '32',
        '-r',
      ],
      { input: PASSWORD, encoding: 'latin1' },
    );
    nativeMs.push(performance.now() - started);
    if (run.error || run.status !== 0) {
      throw new Error(
        `Debian's argon2 program failed (install it with apt-get install argon2): ${run.error ?? run.stderr}`,
      );
    }
    nativeTag = run.stdout.trim();
  }
  if (nativeTag !== swTag) {
    throw new Error(`Argon2id tags differ: native ${nativeTag}, service worker ${swTag}`);
  }
  const sw = median(swMs);
  const native = median(nativeMs);
  return [
    { name: 'kdf.argon2id.sw_ms', value: round(sw, 1), unit: 'ms', note: '64 MiB, t=3, p=4, median of 5' },
    {
      name: 'kdf.argon2id.ratio_vs_native',
      value: round(sw / native),
      unit: 'x',
      reference: round(native, 1),
      ratio: round(sw / native),
      note: 'native argon2 -p 4 uses threads; same tag checked',
    },
  ];
}
