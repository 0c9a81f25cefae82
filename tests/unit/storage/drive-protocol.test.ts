import { describe, expect, it } from 'vitest';
import { staticAccessToken } from '@/utils/storage/drive/access-token';
import { ChunkPacer, DEFAULT_CHUNK_POLICY, UPLOAD_GRANULE } from '@/utils/storage/drive/chunk-pacer';
import { errorFromResponse, parseRetryAfter } from '@/utils/storage/drive/drive-errors';
import { filesNamedQuery, quoteQueryString } from '@/utils/storage/drive/drive-query';
import { DriveStorage } from '@/utils/storage/drive/drive-storage';
import { parseKeptBytes } from '@/utils/storage/drive/resumable-upload';
import { MiB } from './helpers';

/** The small pure pieces of the Drive backend: error mapping, headers, queries, chunk sizing. */

function googleError(status: number, reason: string, headers: Record<string, string> = {}): Response {
  const body = {
    error: { code: status, message: `message for ${reason}`, errors: [{ domain: 'global', reason }] },
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

describe('errorFromResponse', () => {
  it.each([
    [403, 'storageQuotaExceeded', 'quota-exceeded', false],
    [403, 'userRateLimitExceeded', 'rate-limited', true],
    [403, 'rateLimitExceeded', 'rate-limited', true],
    [429, 'rateLimitExceeded', 'rate-limited', true],
    [403, 'insufficientPermissions', 'forbidden', false],
    [401, 'authError', 'unauthorized', false],
    [404, 'notFound', 'not-found', false],
    [500, 'backendError', 'unavailable', true],
    [503, 'backendError', 'unavailable', true],
    [400, 'invalid', 'internal', false],
  ])('maps %i %s to %s (retryable: %s)', async (status, reason, code, retryable) => {
    const error = await errorFromResponse(googleError(status, reason), 'upload of data/x');
    expect(error).toMatchObject({ name: 'StorageError', code, retryable });
    expect(error.message).toContain('upload of data/x');
    expect(error.message).toContain(reason);
  });

  it('reads an HTML error page (Google’s 502) without choking', async () => {
    const page = new Response('<!DOCTYPE html><title>Error 502</title>', { status: 502 });
    expect(await errorFromResponse(page, 'listing')).toMatchObject({ code: 'unavailable', retryable: true });
  });

  it('keeps the Retry-After of a rate limit', async () => {
    const error = await errorFromResponse(
      googleError(429, 'rateLimitExceeded', { 'retry-after': '30' }),
      'x',
    );
    expect(error.retryAfterSeconds).toBe(30);
  });

  it('tells the user what to do about a full Drive', async () => {
    const error = await errorFromResponse(googleError(403, 'storageQuotaExceeded'), 'upload of data/x');
    expect(error.message).toMatch(/Google Drive is full.*Free some space/);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores garbage', () => {
    const now = Date.parse('2025-03-01T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Sat, 01 Mar 2025 10:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Sat, 01 Mar 2025 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('parseKeptBytes', () => {
  it('reads Range: bytes=0-n as n + 1 bytes, and no header as none', () => {
    expect(parseKeptBytes('bytes=0-262143')).toBe(262_144);
    expect(parseKeptBytes(null)).toBe(0);
    expect(() => parseKeptBytes('bytes=5-9')).toThrow(/unreadable Range/);
  });
});

describe('queries', () => {
  it('escapes quotes and backslashes in string literals', () => {
    expect(quoteQueryString("it's a \\ test")).toBe("'it\\'s a \\\\ test'");
    expect(filesNamedQuery('abc', 'x')).toBe(
      "'abc' in parents and trashed = false and name = 'x' and mimeType != 'application/vnd.google-apps.folder'",
    );
  });
});

describe('ChunkPacer', () => {
  it('starts at 1 MiB and sizes chunks to take 8 s at the measured speed, in whole granules', () => {
    const pacer = new ChunkPacer();
    expect(pacer.chunkBytes).toBe(MiB);
    pacer.recordSuccess(MiB, 1000); // 1 MiB/s
    expect(pacer.chunkBytes).toBe(4 * MiB); // growth is limited to ×4 per step
    pacer.recordSuccess(4 * MiB, 4000);
    expect(pacer.chunkBytes).toBe(8 * MiB);
    expect(pacer.chunkBytes % UPLOAD_GRANULE).toBe(0);
  });

  it('keeps every chunk far inside Chrome’s 30 s fetch limit when the line slows down', () => {
    const pacer = new ChunkPacer();
    for (let i = 0; i < 5; i += 1)
      pacer.recordSuccess(pacer.chunkBytes, (pacer.chunkBytes / (10 * MiB)) * 1000);
    const fast = pacer.chunkBytes;
    expect(fast).toBeGreaterThan(16 * MiB);
    // The line drops to 100 KiB/s: the next chunk is sized for that at once.
    pacer.recordSuccess(fast, (fast / (100 * 1024)) * 1000);
    const secondsAtNewSpeed = pacer.chunkBytes / (100 * 1024);
    expect(secondsAtNewSpeed).toBeLessThanOrEqual(DEFAULT_CHUNK_POLICY.targetSeconds);
  });

  it('stays within its bounds and halves after a failure', () => {
    const pacer = new ChunkPacer({ initialBytes: 2 * MiB, maxBytes: 4 * MiB });
    for (let i = 0; i < 5; i += 1) pacer.recordSuccess(pacer.chunkBytes, 1);
    expect(pacer.chunkBytes).toBe(4 * MiB);
    pacer.recordFailure();
    expect(pacer.chunkBytes).toBe(2 * MiB);
    for (let i = 0; i < 10; i += 1) pacer.recordFailure();
    expect(pacer.chunkBytes).toBe(UPLOAD_GRANULE);
  });

  it('ignores measurements of less than a granule (they measure latency, not speed)', () => {
    const pacer = new ChunkPacer();
    pacer.recordSuccess(1000, 1000);
    expect(pacer.chunkBytes).toBe(MiB);
    expect(pacer.bytesPerSecond).toBeUndefined();
  });

  it('refuses a policy that is not in whole granules', () => {
    expect(() => new ChunkPacer({ maxBytes: 1000 })).toThrow(RangeError);
    expect(() => new ChunkPacer({ minBytes: 4 * MiB, maxBytes: 2 * MiB })).toThrow(RangeError);
    expect(() => new ChunkPacer({ targetSeconds: 0 })).toThrow(RangeError);
  });
});

describe('DriveStorage options', () => {
  it('refuses missing or malformed options with a clear TypeError', () => {
    const tokens = staticAccessToken('ya29.test');
    expect(() => new DriveStorage(undefined as never)).toThrow(TypeError);
    expect(() => new DriveStorage({} as never)).toThrow(/AccessTokenSource/);
    expect(() => new DriveStorage({ tokens, apiRoot: 'https://example.com' })).toThrow(/ending in "\/"/);
    expect(() => new DriveStorage({ tokens, folderName: ' ' })).toThrow(/folderName/);
    expect(() => new DriveStorage({ tokens, sessionStore: {} as never })).toThrow(/sessionStore/);
    expect(() => new DriveStorage({ tokens, uploadRetry: { maxAttempts: 0 } })).toThrow(RangeError);
    expect(new DriveStorage({ tokens }).description).toBe('Google Drive folder "ChatVault Backups"');
  });
});
