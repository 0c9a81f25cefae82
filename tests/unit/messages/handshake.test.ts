import { afterEach, describe, expect, it, vi } from 'vitest';
import { startIsolatedBridge } from '@/utils/collect/isolated-bridge';
import { startMainWorld } from '@/utils/collect/main-world';

function fakePage(extra: Record<string, unknown> = {}) {
  const listeners = new Set<(event: MessageEvent) => void>();
  const page: Record<string, unknown> & {
    location: { origin: string };
    addEventListener: (t: 'message', l: (event: MessageEvent) => void) => void;
    removeEventListener: (t: 'message', l: (event: MessageEvent) => void) => void;
    postMessage: (data: unknown) => void;
  } = {
    ...extra,
    location: { origin: 'https://web.whatsapp.com' },
    addEventListener: (_t, l) => void listeners.add(l),
    removeEventListener: (_t, l) => void listeners.delete(l),
    // Like the real window: delivered asynchronously, to every listener, with the window as source.
    postMessage: (data) =>
      queueMicrotask(() => {
        for (const l of listeners) l({ data, source: page } as unknown as MessageEvent);
      }),
  };
  return page;
}

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

describe('MAIN world ↔ isolated handshake', () => {
  const synced = {
    Debug: { VERSION: '2.3000.5' },
    require: () => ({ Socket: { state: 'CONNECTED', hasSynced: true } }),
  };

  it('delivers the status when the MAIN script loads first', async () => {
    const page = fakePage(synced);
    stops.push(startMainWorld(page));
    await new Promise((r) => setTimeout(r, 5));
    const transport = vi.fn(async (_message: unknown) => ({ ok: true, value: null }));
    stops.push(startIsolatedBridge(page, transport));
    await vi.waitFor(() => expect(transport).toHaveBeenCalled());
    expect(transport.mock.calls[0]).toEqual([
      { type: 'whatsapp/status', request: expect.objectContaining({ state: 'ready', version: '2.3000.5' }) },
    ]);
  });

  it('delivers the status when the isolated script loads first', async () => {
    const page = fakePage(synced);
    const transport = vi.fn(async (_message: unknown) => ({ ok: true, value: null }));
    stops.push(startIsolatedBridge(page, transport));
    await new Promise((r) => setTimeout(r, 5));
    stops.push(startMainWorld(page));
    await vi.waitFor(() => expect(transport).toHaveBeenCalled());
    expect(transport.mock.calls[0]?.[0]).toMatchObject({ request: { state: 'ready' } });
  });
});
