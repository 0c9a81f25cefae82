import { describe, expect, it } from 'vitest';
import { readWhatsAppStatus } from '@/utils/collect/page-status';

const withSocket = (socket: unknown, version = '2.3000.1') => ({
  Debug: { VERSION: version },
  require: (name: string) => {
    if (name === 'WAWebSocketModel') return { Socket: socket };
    throw new Error(`unknown module ${name}`);
  },
});

describe('readWhatsAppStatus', () => {
  it('is loading before the module system exists', () => {
    expect(readWhatsAppStatus({}, 1)).toEqual({ state: 'loading', version: undefined, observedAt: 1 });
  });

  it('is loading while the socket module is not registered yet', () => {
    const page = {
      require: () => {
        throw new Error('Requiring unknown module');
      },
    };
    expect(readWhatsAppStatus(page, 1).state).toBe('loading');
  });

  it('asks for a QR scan when unpaired', () => {
    expect(readWhatsAppStatus(withSocket({ state: 'UNPAIRED' }), 1).state).toBe('needs-qr-scan');
    expect(readWhatsAppStatus(withSocket({ state: 'UNPAIRED_IDLE' }), 1).state).toBe('needs-qr-scan');
  });

  it('is connecting until history has synced, then ready', () => {
    expect(readWhatsAppStatus(withSocket({ state: 'OPENING', hasSynced: false }), 1).state).toBe(
      'connecting',
    );
    expect(readWhatsAppStatus(withSocket({ state: 'CONNECTED', hasSynced: true }), 1)).toEqual({
      state: 'ready',
      version: '2.3000.1',
      detail: 'CONNECTED',
      observedAt: 1,
    });
  });

  it('reports an unrecognised state instead of guessing', () => {
    expect(readWhatsAppStatus(withSocket({ state: 'TIMEOUT' }), 1)).toMatchObject({
      state: 'unknown',
      detail: 'TIMEOUT',
    });
  });

  it('survives hostile values', () => {
    const page = {
      Debug: { VERSION: 42 },
      require: () => ({ Socket: { state: { toString: () => 'X'.repeat(500) } } }),
    };
    const status = readWhatsAppStatus(page, 1);
    expect(status.version).toBeUndefined();
    expect(status.detail?.length).toBe(200);
  });
});
