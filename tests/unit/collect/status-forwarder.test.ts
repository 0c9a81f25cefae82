import { describe, expect, it, vi } from 'vitest';
import { createStatusForwarder } from '@/utils/collect/status-forwarder';

const status = (state: 'ready' | 'connecting') => ({ state, observedAt: 1 });
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('status forwarder', () => {
  it('retries while the background cannot be reached, until the status arrives', async () => {
    let calls = 0;
    const transport = vi.fn((_m: unknown) =>
      ++calls <= 2
        ? Promise.reject(new Error('Receiving end does not exist'))
        : Promise.resolve({ ok: true, value: null }),
    );
    const timers: (() => void)[] = [];
    const forward = createStatusForwarder(
      transport,
      () => {},
      [10, 20, 40],
      (run) => timers.push(run),
    );
    forward(status('ready'));
    for (let i = 0; i < 3; i++) {
      await flush();
      timers.shift()?.();
    }
    await flush();
    expect(transport).toHaveBeenCalledTimes(3);
    expect(
      transport.mock.calls.every(([m]) => (m as { request: { state: string } }).request.state === 'ready'),
    ).toBe(true);
  });

  it('drops a retry when a newer status came, and never retries a refusal', async () => {
    const transport = vi.fn((_m: unknown): Promise<unknown> => Promise.reject(new Error('no receiver')));
    const timers: (() => void)[] = [];
    const log = vi.fn();
    const forward = createStatusForwarder(transport, log, [10], (run) => timers.push(run));
    forward(status('connecting'));
    await flush();
    transport.mockImplementation(() =>
      Promise.resolve({ ok: false, error: { code: 'malformed-request', message: 'refused' } }),
    );
    forward(status('ready'));
    await flush();
    for (const run of timers.splice(0)) run();
    await flush();
    // connecting (failed), ready (refused); the stale retry of "connecting" sent nothing.
    expect(transport).toHaveBeenCalledTimes(2);
    expect(log).toHaveBeenCalledWith('ChatVault: status not delivered: refused');
  });
});
