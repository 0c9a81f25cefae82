import {
  ARGON2_CEILING,
  ARGON2_FLOOR,
  ARGON2_SALT_LENGTH,
  type Argon2Params,
  hashWasmArgon2id,
} from './argon2';
import { requireFunction, requireInteger, requireOptions, requirePositiveNumber } from './arguments';
import { CryptoError } from './errors';

/** Calibration never picks more memory than this: a service worker must survive the unlock. */
export const CALIBRATION_MAX_MEMORY_KIB = 1024 * 1024;

export interface CalibrationOptions {
  /** Milliseconds clock. Default: performance.now. */
  readonly now?: () => number;
  /** Runs one Argon2id with these parameters. Default: hash-wasm on a throwaway password. */
  readonly run?: (params: Argon2Params) => Promise<void>;
  /** Upper bound for memory, KiB (floor..1 GiB). Default 1 GiB. */
  readonly maxMemoryKiB?: number;
}

const defaultRun = async (params: Argon2Params): Promise<void> => {
  const salt = new Uint8Array(ARGON2_SALT_LENGTH);
  await hashWasmArgon2id({ password: new Uint8Array(8), salt, params, length: 32 });
};

/**
 * Picks Argon2id parameters that take about `targetMs` on this device, never below the floor.
 * Memory rises first, doubling while a measured run stays within the target, because memory is
 * what makes guessing costly on GPUs; then iterations rise on the per-pass estimate.
 */
export async function calibrateArgon2(targetMs: number, options?: CalibrationOptions): Promise<Argon2Params> {
  requirePositiveNumber('targetMs', targetMs);
  const opts = requireOptions('options', options);
  const now = requireFunction<() => number>('options.now', opts.now ?? (() => performance.now()));
  const run = requireFunction<(params: Argon2Params) => Promise<void>>('options.run', opts.run ?? defaultRun);
  const maxMemoryKiB = requireInteger(
    'options.maxMemoryKiB',
    opts.maxMemoryKiB ?? CALIBRATION_MAX_MEMORY_KIB,
    ARGON2_FLOOR.memoryKiB,
    CALIBRATION_MAX_MEMORY_KIB,
  );
  const parallelism = ARGON2_FLOOR.parallelism;
  const iterations = ARGON2_FLOOR.iterations;

  const measure = async (memoryKiB: number): Promise<number> => {
    const start = now();
    await run({ memoryKiB, iterations, parallelism });
    const elapsed = now() - start;
    if (!Number.isFinite(elapsed) || elapsed < 0) {
      throw new CryptoError(
        'invalid-argument',
        `the calibration clock went backwards or broke (${elapsed} ms)`,
      );
    }
    // A clock too coarse to see the run would make every setting look free; assume 1 ms.
    return Math.max(elapsed, 1);
  };

  let memoryKiB = ARGON2_FLOOR.memoryKiB;
  let elapsed = await measure(memoryKiB);
  if (elapsed >= targetMs) return { ...ARGON2_FLOOR };

  // Cost per KiB per pass, from the largest run that fitted; re-measured at each doubling since
  // bigger memory is often slower per KiB (caches, page faults).
  let costPerUnit = elapsed / (memoryKiB * iterations);
  while (memoryKiB * 2 <= maxMemoryKiB && costPerUnit * memoryKiB * 2 * iterations <= targetMs) {
    elapsed = await measure(memoryKiB * 2);
    if (elapsed > targetMs) break;
    memoryKiB *= 2;
    costPerUnit = elapsed / (memoryKiB * iterations);
  }

  let chosenIterations = iterations;
  while (
    chosenIterations < ARGON2_CEILING.iterations &&
    costPerUnit * memoryKiB * (chosenIterations + 1) <= targetMs
  ) {
    chosenIterations++;
  }
  return { memoryKiB, iterations: chosenIterations, parallelism };
}
