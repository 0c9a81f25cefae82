import { describe, expect, it, vi } from 'vitest';
import { mainToIsolated, PAGE_CHANNEL } from '@/utils/messages/page-protocol';
import { createWindowSender, listenOnWindow, type WindowLike } from '@/utils/messages/window-channel';

/** A window whose postMessage delivers synchronously to its listeners, like one event loop turn. */
type FakeWindow = WindowLike & { deliver(data: unknown, source?: unknown): void };

function fakeWindow(): FakeWindow {
  const listeners = new Set<(event: MessageEvent) => void>();
  const self: FakeWindow = {
    location: { origin: 'https://web.whatsapp.com' },
    addEventListener: (_: 'message', l: (event: MessageEvent) => void) => void listeners.add(l),
    removeEventListener: (_: 'message', l: (event: MessageEvent) => void) => void listeners.delete(l),
    postMessage: (data: unknown) => self.deliver(data),
    deliver: (data: unknown, source: unknown = self) => {
      for (const l of listeners) l({ data, source } as MessageEvent);
    },
  };
  return self;
}

describe('window channel', () => {
  it('delivers valid messages of its direction', () => {
    const win = fakeWindow();
    const onStatus = vi.fn();
    listenOnWindow(win, 'main-to-isolated', mainToIsolated, { 'main/status': onStatus });
    createWindowSender(
      win,
      'main-to-isolated',
      mainToIsolated,
    )('main/status', { state: 'ready', observedAt: 3 });
    expect(onStatus).toHaveBeenCalledWith({ state: 'ready', observedAt: 3 });
  });

  it('ignores other directions, other channels, other windows, and rejects malformed payloads', () => {
    const win = fakeWindow();
    const onStatus = vi.fn();
    const rejected = vi.fn();
    listenOnWindow(win, 'main-to-isolated', mainToIsolated, { 'main/status': onStatus }, rejected);
    const valid = { state: 'ready', observedAt: 3 };
    win.deliver({
      channel: PAGE_CHANNEL,
      direction: 'isolated-to-main',
      type: 'main/status',
      payload: valid,
    });
    win.deliver({
      channel: 'someone-else',
      direction: 'main-to-isolated',
      type: 'main/status',
      payload: valid,
    });
    win.deliver(
      { channel: PAGE_CHANNEL, direction: 'main-to-isolated', type: 'main/status', payload: valid },
      {},
    );
    win.deliver('just a string');
    expect(rejected).not.toHaveBeenCalled();
    win.deliver({
      channel: PAGE_CHANNEL,
      direction: 'main-to-isolated',
      type: 'main/status',
      payload: { state: 1 },
    });
    win.deliver({ channel: PAGE_CHANNEL, direction: 'main-to-isolated', type: 'main/evil', payload: {} });
    expect(rejected).toHaveBeenCalledTimes(2);
    expect(onStatus).not.toHaveBeenCalled();
  });

  it('stops listening when asked', () => {
    const win = fakeWindow();
    const onStatus = vi.fn();
    const stop = listenOnWindow(win, 'main-to-isolated', mainToIsolated, { 'main/status': onStatus });
    stop();
    createWindowSender(
      win,
      'main-to-isolated',
      mainToIsolated,
    )('main/status', { state: 'ready', observedAt: 3 });
    expect(onStatus).not.toHaveBeenCalled();
  });
});
