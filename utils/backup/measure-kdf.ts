import { type Argon2Params, hashWasmArgon2id, toHex } from '@/utils/crypto';

export interface KdfMeasurement {
  elapsedMs: number;
  tagHex: string;
}

/**
 * Runs Argon2id once with the given parameters (through the same function the password slots
 * use) and times it. The options page uses it to tell the user how long unlocking takes on this
 * device; the benchmarks use it to compare the service worker against the native `argon2`.
 */
export async function measureArgon2id(
  params: Argon2Params,
  password: string,
  salt: Uint8Array,
  now: () => number = () => performance.now(),
): Promise<KdfMeasurement> {
  const started = now();
  const tag = await hashWasmArgon2id({
    password: new TextEncoder().encode(password),
    salt,
    params,
    length: 32,
  });
  return { elapsedMs: now() - started, tagHex: toHex(tag) };
}
