import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { benchCrypto } from './entries/crypto';
import { benchDrive } from './entries/drive';
import { benchKdf } from './entries/kdf';
import { benchRepo } from './entries/repo';
import { benchRestore } from './entries/restore';
import type { BenchResult } from './result';

/**
 * `npm run bench [-- --out FILE] [-- --only PREFIX]`: runs every benchmark entry, prints a
 * table, and optionally writes {"results":[{name,value,unit,reference,ratio}]}. Figures that
 * compare against a reference measure both in the same run, so a busy machine skews both.
 */
const ENTRIES: Record<string, () => Promise<BenchResult[]>> = {
  kdf: benchKdf,
  crypto: benchCrypto,
  repo: benchRepo,
  restore: benchRestore,
  drive: benchDrive,
};

const { values } = parseArgs({ options: { out: { type: 'string' }, only: { type: 'string' } } });
const results: BenchResult[] = [];
for (const [group, run] of Object.entries(ENTRIES)) {
  if (values.only && !group.startsWith(values.only)) continue;
  process.stderr.write(`bench: ${group}…\n`);
  results.push(...(await run()));
}
console.table(
  results.map(({ name, value, unit, reference, ratio, note }) => ({
    name,
    value,
    unit,
    reference,
    ratio,
    note,
  })),
);
if (values.out) {
  writeFileSync(values.out, `${JSON.stringify({ results }, null, 2)}\n`);
  console.log(`bench: wrote ${values.out}`);
}
