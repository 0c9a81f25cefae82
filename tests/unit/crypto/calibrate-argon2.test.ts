import { describe, expect, it } from 'vitest';
import { ARGON2_FLOOR, type Argon2Params, calibrateArgon2 } from '../../../utils/crypto/index';
import { expectCryptoError } from './helpers';

/** A fake device: each run advances a fake clock by a cost model, so no real time is measured. */
function fakeDevice(msFor: (params: Argon2Params) => number) {
  let clock = 0;
  const runs: Argon2Params[] = [];
  return {
    runs,
    options: {
      now: () => clock,
      run: async (params: Argon2Params) => {
        runs.push(params);
        clock += msFor(params);
      },
    },
  };
}

// Linear cost: the floor (64 MiB, t=3) takes 100 ms.
const linear = (params: Argon2Params) => (100 * params.memoryKiB * params.iterations) / (65536 * 3);

describe('calibrateArgon2', () => {
  it('raises memory in powers of two while a measured run fits, then iterations on the estimate', async () => {
    const device = fakeDevice(linear);
    // 512 MiB at t=3 costs 800 ms; 1 GiB would cost 1600 ms; t=4 at 512 MiB would cost 1067 ms.
    expect(await calibrateArgon2(1000, device.options)).toEqual({
      memoryKiB: 524288,
      iterations: 3,
      parallelism: 4,
    });
    expect(device.runs.map((r) => r.memoryKiB)).toEqual([65536, 131072, 262144, 524288]);
  });

  it('raises iterations once memory hits its cap', async () => {
    const device = fakeDevice(linear);
    const params = await calibrateArgon2(1010, { ...device.options, maxMemoryKiB: 131072 });
    // 128 MiB costs 66.7 ms per pass: 15 passes (1000 ms) fit in 1010 ms, 16 (1067 ms) do not.
    expect(params).toEqual({ memoryKiB: 131072, iterations: 15, parallelism: 4 });
  });

  it('never goes above 1 GiB of memory', async () => {
    const params = await calibrateArgon2(60_000, fakeDevice(linear).options);
    expect(params.memoryKiB).toBe(1024 * 1024);
    expect(params.iterations).toBeGreaterThan(3);
  });

  it('stops doubling when the measured run is slower than the linear estimate predicted', async () => {
    // Beyond 256 MiB every KiB costs 4× (swapping): 512 MiB measures 3200 ms, over the target.
    const device = fakeDevice((p) => linear(p) * (p.memoryKiB > 262144 ? 4 : 1));
    const params = await calibrateArgon2(1000, device.options);
    expect(params.memoryKiB).toBe(262144);
    expect(params.iterations).toBe(7); // 400/3 ms per pass at 256 MiB: 7 passes = 933 ms
  });

  it('never goes below the floor, even on a slow device or with a tiny target', async () => {
    const slow = fakeDevice((p) => linear(p) * 50);
    expect(await calibrateArgon2(1000, slow.options)).toEqual(ARGON2_FLOOR);
    expect(slow.runs).toEqual([ARGON2_FLOOR]);
    expect(await calibrateArgon2(1, fakeDevice(linear).options)).toEqual(ARGON2_FLOOR);
  });

  it('survives a clock too coarse to see a run', async () => {
    const params = await calibrateArgon2(1000, fakeDevice(() => 0).options);
    expect(params.memoryKiB).toBe(1024 * 1024);
    expect(params.iterations).toBeLessThanOrEqual(64);
  });

  it('checks its arguments', async () => {
    await expectCryptoError(calibrateArgon2(0), 'invalid-argument');
    await expectCryptoError(calibrateArgon2(Number.NaN), 'invalid-argument');
    await expectCryptoError(
      calibrateArgon2(1000, { ...fakeDevice(linear).options, maxMemoryKiB: 4 * 1024 * 1024 }),
      'invalid-argument',
    );
    await expectCryptoError(
      calibrateArgon2(1000, { ...fakeDevice(linear).options, maxMemoryKiB: 1024 }),
      'invalid-argument',
    );
    let t = 100;
    const backwards = { now: () => (t -= 10), run: async () => {} };
    await expectCryptoError(calibrateArgon2(1000, backwards), 'invalid-argument');
  });
});
