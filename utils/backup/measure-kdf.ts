import { argon2id } from 'hash-wasm';

export interface KdfMeasurement {
  elapsedMs: number;
  tagHex: string;
}

/**
 * Runs Argon2id once with the given parameters and times it. The options page uses it to tell
 * the user how long unlocking takes on this device; the benchmarks use it to compare the
 * service worker against the native `argon2` program.
 */
export async function measureArgon2id(
  params: { memoryKiB: number; iterations: number; parallelism: number },
  password: string,
  salt: Uint8Array,
  now: () => number = () => performance.now(),
): Promise<KdfMeasurement> {
  const started = now();
  const tagHex = await argon2id({
    password,
    salt,
    memorySize: params.memoryKiB,
    iterations: params.iterations,
    parallelism: params.parallelism,
    hashLength: 32,
    outputType: 'hex',
  });
  return { elapsedMs: now() - started, tagHex };
}
