import { describe, expect, it, vi } from 'vitest';
import { createRuntimeRouter, type RuntimeHandlers } from '@/utils/messages/runtime-router';

const options = {
  extensionId: 'abcdefghijklmnopabcdefghijklmnop',
  extensionOrigin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
  whatsAppOrigin: 'https://web.whatsapp.com',
};
const page = { id: options.extensionId, url: `${options.extensionOrigin}/options.html` };
const contentScript = { id: options.extensionId, url: 'https://web.whatsapp.com/', tab: { id: 7 } };
const status = { state: 'ready', version: '2.3000.1', observedAt: 1 };

function handlers(overrides: Partial<RuntimeHandlers> = {}): RuntimeHandlers {
  return {
    'whatsapp/status': vi.fn(async () => null),
    'kdf/measure': vi.fn(async () => ({ elapsedMs: 5, tagHex: 'ab' })),
    'drive/status': vi.fn(async () => ({ configured: false, signedIn: false })),
    'drive/sign-in': vi.fn(async () => ({ outcome: 'failed' as const, code: 'not-configured', message: '' })),
    'drive/sign-out': vi.fn(async () => ({ revoked: false, status: { configured: false, signedIn: false } })),
    'drive/check': vi.fn(async () => ({ outcome: 'failed' as const, code: 'not-configured', message: '' })),
    'drive/access-token': vi.fn(async () => ({
      outcome: 'failed' as const,
      code: 'not-configured',
      message: '',
    })),
    ...overrides,
  };
}

describe('runtime router', () => {
  it('delivers a valid message from an allowed sender with its tab id', async () => {
    const h = handlers();
    const route = createRuntimeRouter(h, options);
    expect(await route({ type: 'whatsapp/status', request: status }, contentScript)).toEqual({
      ok: true,
      value: null,
    });
    expect(h['whatsapp/status']).toHaveBeenCalledWith(status, { tabId: 7 });
  });

  it('rejects unknown message types without calling any handler', async () => {
    const route = createRuntimeRouter(handlers(), options);
    for (const message of [
      { type: 'nope' },
      { type: 'toString' },
      { type: '__proto__' },
      null,
      42,
      'x',
      {},
    ]) {
      expect(await route(message, page)).toMatchObject({ ok: false, error: { code: 'unknown-message' } });
    }
  });

  it('rejects a sender of the wrong kind', async () => {
    const h = handlers();
    const route = createRuntimeRouter(h, options);
    // A WhatsApp page may not run the KDF; an extension page may not pose as the content script.
    expect(
      await route(
        {
          type: 'kdf/measure',
          request: {
            params: { memoryKiB: 8, iterations: 1, parallelism: 1 },
            password: '',
            saltHex: '00'.repeat(8),
          },
        },
        contentScript,
      ),
    ).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    expect(await route({ type: 'whatsapp/status', request: status }, page)).toMatchObject({
      ok: false,
      error: { code: 'forbidden-sender' },
    });
    // Another extension, or a page on another site.
    expect(
      await route({ type: 'whatsapp/status', request: status }, { ...contentScript, id: 'someone-else' }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    expect(
      await route(
        { type: 'whatsapp/status', request: status },
        { ...contentScript, url: 'https://evil.example/' },
      ),
    ).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    expect(h['whatsapp/status']).not.toHaveBeenCalled();
  });

  it('rejects malformed requests naming the bad field', async () => {
    const route = createRuntimeRouter(handlers(), options);
    const answer = await route(
      { type: 'whatsapp/status', request: { ...status, state: 'hacked' } },
      contentScript,
    );
    expect(answer).toMatchObject({ ok: false, error: { code: 'malformed-request' } });
    expect(!answer.ok && answer.error.message).toContain('state');
  });

  it('turns a throwing handler into a failure result', async () => {
    const route = createRuntimeRouter(
      handlers({
        'whatsapp/status': async () => {
          throw new Error('disk full');
        },
      }),
      options,
    );
    expect(await route({ type: 'whatsapp/status', request: status }, contentScript)).toEqual({
      ok: false,
      error: { code: 'handler-failed', message: 'whatsapp/status failed: disk full' },
    });
  });
});
