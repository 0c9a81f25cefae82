/**
 * Cipher and chunk-size benchmark behind DEFAULT_CHUNK_SIZE (figures recorded in
 * cipher-choice.bench-note.md and docs/FORMAT.md §5.7). Not a test: run it by hand with
 *
 *   node --import tsx tests/unit/crypto/cipher-choice.measure.ts [MiB] [rounds]
 *
 * It seals the same pseudo-random bytes (64 MiB by default) through createSealStream at several
 * chunk sizes and compares with one-shot WebCrypto AES-256-GCM and one-shot noble
 * XChaCha20-Poly1305 on the same bytes. Each figure is the median of `rounds` runs.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { createSealStream, deriveRepositoryKeys } from '../../../utils/crypto/index';

const MiB = 1024 * 1024;
const totalMiB = Number(process.argv[2] ?? 64);
const rounds = Number(process.argv[3] ?? 5);
const pieceSize = MiB;

function pseudoRandom(length: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += 65536) {
    crypto.getRandomValues(out.subarray(offset, Math.min(offset + 65536, length)));
  }
  return out;
}

async function timed(run: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function sealThroughStream(
  data: Uint8Array,
  publicKey: Uint8Array,
  chunkSize: number,
): Promise<number> {
  const stream = createSealStream(publicKey, { chunkSize });
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  const drained = (async () => {
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return total;
      total += value.length;
    }
  })();
  for (let offset = 0; offset < data.length; offset += pieceSize) {
    await writer.write(data.subarray(offset, offset + pieceSize));
  }
  await writer.close();
  return drained;
}

async function main(): Promise<void> {
  const data = pseudoRandom(totalMiB * MiB);
  const keys = deriveRepositoryKeys(new Uint8Array(32).fill(1), new Uint8Array(32).fill(2));
  const aesKey = await crypto.subtle.importKey('raw', new Uint8Array(32).fill(3), 'AES-GCM', false, [
    'encrypt',
  ]);
  const nonce12 = new Uint8Array(12);
  const key32 = new Uint8Array(32).fill(4);
  const nonce24 = new Uint8Array(24);

  const cases: [string, () => Promise<unknown> | unknown][] = [
    [
      'WebCrypto AES-256-GCM one-shot',
      () => crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce12 }, aesKey, data),
    ],
    ['noble XChaCha20-Poly1305 one-shot', () => xchacha20poly1305(key32, nonce24).encrypt(data)],
  ];
  for (const kib of [16, 64, 256, 1024, 4096]) {
    cases.push([
      `createSealStream ${kib} KiB chunks`,
      () => sealThroughStream(data, keys.publicKey, kib * 1024),
    ]);
  }

  console.log(
    `node ${process.version}, ${totalMiB} MiB, ${rounds} rounds, input pieces of ${pieceSize / MiB} MiB`,
  );
  for (const [name, run] of cases) {
    await run(); // warm-up (JIT, WebCrypto thread pool)
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) times.push(await timed(run));
    const rate = (ms: number) => ((data.length / 1e6 / ms) * 1000).toFixed(0).padStart(5);
    const runs = times.map((t) => t.toFixed(0)).join(', ');
    console.log(
      `${name.padEnd(36)} median ${rate(median(times))} MB/s, best ${rate(Math.min(...times))} MB/s  (${runs} ms)`,
    );
  }
}

await main();
