import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * "Bounded": after close() neither server leaves a timer, socket or server handle behind, even
 * with requests held by latency and bandwidth faults. Checked in a fresh Node process, where
 * nothing else (Vitest's own handles) muddies process.getActiveResourcesInfo().
 */
describe('lifetime', () => {
  it('leaves no open handles after close()', async () => {
    const child = fileURLToPath(new URL('./open-handles.child.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', child], {
      timeout: 30_000,
    });
    expect(JSON.parse(stdout)).toEqual({ resources: [], pendingTimers: 0 });
  });
});
