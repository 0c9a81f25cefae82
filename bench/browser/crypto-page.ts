// Runs inside a plain Chromium page (bundled by bench/support/browser-bench.ts): streaming
// object encryption against one-shot WebCrypto AES-256-GCM over the same bytes.
import { createSealStream, deriveRepositoryKeys } from '@/utils/crypto';

const PIECE = 1024 * 1024;

function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  // getRandomValues fills at most 64 KiB per call.
  for (let offset = 0; offset < size; offset += 65536)
    crypto.getRandomValues(out.subarray(offset, offset + 65536));
  return out;
}

async function oneShotMs(data: Uint8Array<ArrayBuffer>): Promise<number> {
  const key = await crypto.subtle.importKey('raw', randomBytes(32), 'AES-GCM', false, ['encrypt']);
  const started = performance.now();
  await crypto.subtle.encrypt({ name: 'AES-GCM', iv: randomBytes(12) }, key, data);
  return performance.now() - started;
}

async function streamingMs(
  data: Uint8Array<ArrayBuffer>,
  publicKey: Uint8Array,
  chunkSize?: number,
): Promise<number> {
  const started = performance.now();
  let offset = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= data.length) return controller.close();
      controller.enqueue(data.subarray(offset, offset + PIECE));
      offset += PIECE;
    },
  });
  const reader = source
    .pipeThrough(createSealStream(publicKey, chunkSize ? { chunkSize } : undefined))
    .getReader();
  let sealed = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    sealed += value.length;
  }
  if (sealed < data.length) throw new Error('sealed output shorter than input');
  return performance.now() - started;
}

(globalThis as Record<string, unknown>).runCryptoBench = async (
  mib: number,
  runs: number,
  chunkSize?: number,
) => {
  const data = randomBytes(mib * 1024 * 1024);
  const { publicKey } = deriveRepositoryKeys(randomBytes(32), randomBytes(32));
  const oneShot: number[] = [];
  const streaming: number[] = [];
  await streamingMs(data.subarray(0, 4 * PIECE), publicKey); // warm-up
  for (let i = 0; i < runs; i++) {
    oneShot.push(await oneShotMs(data));
    streaming.push(await streamingMs(data, publicKey, chunkSize));
  }
  return { oneShot, streaming, bytes: data.length };
};
