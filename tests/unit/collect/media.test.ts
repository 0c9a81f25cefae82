import { createCipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptWhatsAppMedia, MediaDecryptError, mediaKeyFamily } from '@/utils/collect/media-decrypt';
import { fetchMedia, MEDIA_REASONS } from '@/utils/collect/media-fetcher';
import type { MediaSource } from '@/utils/collect/normalize-message';

// WhatsApp's media scheme done independently with Node's crypto (whatsapp-web.md "Media
// encryption"), so the WebCrypto decryption is checked against a second implementation.
const INFO = {
  image: 'WhatsApp Image Keys',
  video: 'WhatsApp Video Keys',
  audio: 'WhatsApp Audio Keys',
  document: 'WhatsApp Document Keys',
};

function encrypt(plaintext: Buffer, mediaKey: Buffer, family: keyof typeof INFO): Buffer {
  const expanded = Buffer.from(hkdfSync('sha256', mediaKey, Buffer.alloc(32), INFO[family], 112));
  const iv = expanded.subarray(0, 16);
  const cipher = createCipheriv('aes-256-cbc', expanded.subarray(16, 48), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const mac = createHmac('sha256', expanded.subarray(48, 80))
    .update(iv)
    .update(ciphertext)
    .digest()
    .subarray(0, 10);
  return Buffer.concat([ciphertext, mac]);
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64');
const u8 = (buffer: Buffer) => new Uint8Array(buffer) as Uint8Array<ArrayBuffer>;

describe('decryptWhatsAppMedia', () => {
  it('decrypts every key family, at sizes around the block boundary', async () => {
    for (const family of ['image', 'video', 'audio', 'document'] as const) {
      for (const size of [0, 1, 15, 16, 17, 1000]) {
        const key = randomBytes(32);
        const plain = randomBytes(size);
        const out = await decryptWhatsAppMedia(u8(encrypt(plain, key, family)), u8(key), family);
        expect(Buffer.from(out).equals(plain)).toBe(true);
      }
    }
  });

  it('refuses a flipped bit, the wrong family, and impossible lengths', async () => {
    const key = randomBytes(32);
    const file = encrypt(randomBytes(100), key, 'image');
    const flipped = Buffer.from(file);
    flipped[5]! ^= 1;
    await expect(decryptWhatsAppMedia(u8(flipped), u8(key), 'image')).rejects.toMatchObject({
      code: 'bad-mac',
    });
    await expect(decryptWhatsAppMedia(u8(file), u8(key), 'video')).rejects.toMatchObject({ code: 'bad-mac' });
    await expect(decryptWhatsAppMedia(u8(file.subarray(1)), u8(key), 'image')).rejects.toMatchObject({
      code: 'bad-length',
    });
    await expect(decryptWhatsAppMedia(u8(file), u8(key.subarray(1)), 'image')).rejects.toBeInstanceOf(
      MediaDecryptError,
    );
  });

  it('maps message types to key families', () => {
    expect(
      ['image', 'sticker', 'video', 'gif', 'audio', 'ptt', 'document', 'chat'].map(mediaKeyFamily),
    ).toEqual(['image', 'image', 'video', 'video', 'audio', 'audio', 'document', undefined]);
  });
});

describe('fetchMedia', () => {
  const key = randomBytes(32);
  const plain = randomBytes(5000);
  const file = encrypt(plain, key, 'audio');
  const source: MediaSource = {
    waType: 'ptt',
    viewOnce: false,
    mimetype: 'audio/ogg',
    filehash: sha(plain),
    encFilehash: sha(file),
    directPath: '/v/t62.7117-24/1_n.enc',
    mediaKey: key.toString('base64'),
  };
  const serving = (status: number, body: Buffer = file) => {
    const urls: string[] = [];
    const fetch = async (url: string) => {
      urls.push(url);
      return new Response(status === 200 ? new Uint8Array(body) : 'x', { status });
    };
    return { fetch, urls };
  };
  const signal = new AbortController().signal;

  it('uses the client download path when there is one, verifying the bytes', async () => {
    const server = serving(200);
    const outcome = await fetchMedia(source, signal, {
      clientDownload: async () => async (request) => {
        expect(request).toMatchObject({
          directPath: source.directPath,
          type: 'ptt',
          filehash: source.filehash,
        });
        return new Uint8Array(plain).buffer;
      },
      fetch: server.fetch,
      timeoutMs: 1000,
    });
    expect(outcome).toMatchObject({ status: 'stored', via: 'client' });
    expect(server.urls).toEqual([]);
  });

  it('decrypts the file itself when the client path is missing or broken', async () => {
    for (const clientDownload of [
      async () => undefined,
      async () => async () => Promise.reject(new TypeError('x is undefined')),
    ]) {
      const server = serving(200);
      const outcome = await fetchMedia(source, signal, {
        clientDownload,
        fetch: server.fetch,
        timeoutMs: 1000,
      });
      expect(outcome.status).toBe('stored');
      expect(outcome.status === 'stored' && Buffer.from(outcome.bytes).equals(plain)).toBe(true);
      expect(server.urls).toEqual([`https://mmg.whatsapp.net${source.directPath}`]);
    }
  });

  it('reports expired media from the stage, from 404/410, and from the client error status', async () => {
    expect((await fetchMedia({ ...source, stage: 'REUPLOADING' }, signal, { timeoutMs: 1000 })).status).toBe(
      'expired',
    );
    for (const status of [404, 410]) {
      const outcome = await fetchMedia(source, signal, { fetch: serving(status).fetch, timeoutMs: 1000 });
      expect(outcome).toEqual({ status: 'expired', reason: MEDIA_REASONS.expired(status) });
    }
    const clientSays404 = async () => async () =>
      Promise.reject(Object.assign(new Error('media server answered 404'), { status: 404 }));
    const server = serving(200);
    expect(
      (
        await fetchMedia(source, signal, {
          clientDownload: clientSays404,
          fetch: server.fetch,
          timeoutMs: 1000,
        })
      ).status,
    ).toBe('expired');
    expect(server.urls).toEqual([]);
  });

  it('fails on server errors and on bytes that do not match their hashes', async () => {
    expect(await fetchMedia(source, signal, { fetch: serving(500).fetch, timeoutMs: 1000 })).toEqual({
      status: 'failed',
      reason: MEDIA_REASONS.http(500),
    });
    const other = encrypt(randomBytes(5000), key, 'audio');
    expect(await fetchMedia(source, signal, { fetch: serving(200, other).fetch, timeoutMs: 1000 })).toEqual({
      status: 'failed',
      reason: MEDIA_REASONS.mismatch,
    });
    const noEncHash = { ...source, encFilehash: undefined };
    expect(
      (await fetchMedia(noEncHash, signal, { fetch: serving(200, other).fetch, timeoutMs: 1000 })).status,
    ).toBe('failed');
  });

  it('gives up on a download that never answers, even one that ignores its signal', async () => {
    const hangs = async () => async () => new Promise<never>(() => {});
    const outcome = await fetchMedia(source, signal, { clientDownload: hangs, timeoutMs: 50 });
    expect(outcome).toEqual({ status: 'failed', reason: MEDIA_REASONS.timeout(50) });
  });

  it('skips view-once media and refuses media it cannot verify, without any request', async () => {
    const server = serving(200);
    expect(
      (await fetchMedia({ ...source, viewOnce: true }, signal, { fetch: server.fetch, timeoutMs: 1000 }))
        .status,
    ).toBe('skipped');
    expect(
      (await fetchMedia({ ...source, filehash: undefined }, signal, { fetch: server.fetch, timeoutMs: 1000 }))
        .status,
    ).toBe('failed');
    expect(
      (
        await fetchMedia({ ...source, directPath: undefined }, signal, {
          fetch: server.fetch,
          timeoutMs: 1000,
        })
      ).status,
    ).toBe('failed');
    expect(server.urls).toEqual([]);
  });

  it('stops at once when cancelled', async () => {
    const controller = new AbortController();
    const hangs = async () => async () => new Promise<never>(() => {});
    const pending = fetchMedia(source, controller.signal, { clientDownload: hangs, timeoutMs: 10_000 });
    controller.abort(new DOMException('stop', 'AbortError'));
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
