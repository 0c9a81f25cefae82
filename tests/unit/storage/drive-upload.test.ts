import { afterEach, describe, expect, it } from 'vitest';
import { UPLOAD_GRANULE } from '@/utils/storage/drive/chunk-pacer';
import type { DriveStorage } from '@/utils/storage/drive/drive-storage';
import { StorageError } from '@/utils/storage/storage';
import { CLIENT_ID } from '../support/drive-emulator/harness';
import {
  chunkRequests,
  type DriveFixture,
  recordingFetch,
  type SeenRequest,
  startDriveFixture,
  streamOfBytes,
} from './drive-fixture';
import { expectSameBytes, listNames, MiB, patternBytes, rejectionOf } from './helpers';

/** Resumable uploads under every fault the emulator can inject, and the failures that are final. */

// Small chunks so a few MiB make several of them.
const CHUNKS = { initialBytes: MiB, maxBytes: 2 * MiB };
const SESSIONS_KEY = 'chatvault.drive.uploadSessions';

let fixture: DriveFixture;
let seen: SeenRequest[];

async function start(): Promise<DriveStorage> {
  fixture = await startDriveFixture({ storage: { chunks: CHUNKS } });
  seen = [];
  return fixture.another({ fetch: recordingFetch(seen) });
}

afterEach(async () => {
  await fixture?.close();
});

const emulator = () => fixture.running.emulator;
const faults = () => fixture.running.emulator.faults;
const counters = () => fixture.running.emulator.counters;
const objectFiles = () =>
  emulator()
    .state.files()
    .filter((record) => record.mimeType !== 'application/vnd.google-apps.folder');

async function expectStored(name: string, bytes: Uint8Array): Promise<void> {
  expectSameBytes(await fixture.another().get(name), bytes);
  expect(await listNames(fixture.another(), '')).toContain(name);
}

/** Request bytes Drive received beyond the object itself (upload metadata is a few hundred). */
function resentBytes(size: number): number {
  return counters().bytesReceived - size;
}

describe('chunks', () => {
  it('sends whole 256 KiB granules, and the total with the last chunk of a stream of unknown size', async () => {
    const storage = await start();
    const bytes = patternBytes(6 * MiB + 12_345, 1);
    await storage.put('data/unsized', streamOfBytes(bytes, 100_000));
    const chunks = chunkRequests(seen);
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.bodyBytes % UPLOAD_GRANULE).toBe(0);
      expect(chunk.contentRange).toMatch(/\/\*$/);
    }
    expect(chunks.at(-1)?.contentRange).toMatch(new RegExp(`/${bytes.length}$`));
    await expectStored('data/unsized', bytes);
  });

  it('states the total on every chunk when the size is known', async () => {
    const storage = await start();
    const bytes = patternBytes(7 * MiB, 2);
    await storage.put('data/sized', streamOfBytes(bytes), { size: bytes.length });
    for (const chunk of chunkRequests(seen))
      expect(chunk.contentRange).toMatch(new RegExp(`/${bytes.length}$`));
    await expectStored('data/sized', bytes);
  });

  it('reports progress as Drive confirms chunks, ending at the full size', async () => {
    const storage = await start();
    const bytes = patternBytes(6 * MiB, 3);
    const reports: number[] = [];
    await storage.put('data/p', streamOfBytes(bytes), { onProgress: (stored) => reports.push(stored) });
    expect(reports.length).toBeGreaterThan(2);
    expect(reports.every((stored, i) => i === 0 || stored >= (reports[i - 1] as number))).toBe(true);
    expect(reports.at(-1)).toBe(bytes.length);
  });
});

describe('faults', () => {
  it('asks for the status after a connection cut and continues from the Range Drive reports', async () => {
    const storage = await start();
    const bytes = patternBytes(8 * MiB, 4);
    const cut = faults().cutRequestAfter(UPLOAD_GRANULE + 1000, { kind: 'upload.resumable.chunk', skip: 1 });
    await storage.put('data/cut', streamOfBytes(bytes), { size: bytes.length });
    expect(cut.fired).toBe(1);
    expect(counters().requests['upload.resumable.status']).toBe(1);
    // Drive kept the whole granule that arrived; only the rest of that chunk went again.
    expect(resentBytes(bytes.length)).toBeLessThanOrEqual(2 * MiB);
    expect(resentBytes(bytes.length)).toBeGreaterThan(1000);
    await expectStored('data/cut', bytes);
  });

  it('waits out 503s and rate limits with backoff, at least as long as Retry-After asks', async () => {
    const storage = await start();
    const bytes = patternBytes(6 * MiB, 5);
    faults().rateLimit({ status: 403, reason: 'userRateLimitExceeded' }, { kind: 'upload.resumable.start' });
    faults().serverError(503, { kind: 'upload.resumable.chunk', skip: 1 });
    faults().rateLimit({ status: 429, retryAfterSeconds: 7 }, { kind: 'upload.resumable.chunk', skip: 2 });
    await storage.put('data/busy', streamOfBytes(bytes), { size: bytes.length });
    expect(fixture.sleeps).toHaveLength(3);
    expect(fixture.sleeps[2]).toBeGreaterThanOrEqual(7000);
    // Full jitter with random() = 0.5: half of the 1 s, then 2 s windows.
    expect(fixture.sleeps.slice(0, 2)).toEqual([500, 500]);
    await expectStored('data/busy', bytes);
  });

  it('refreshes the token once after a 401 and carries on', async () => {
    const storage = await start();
    const bytes = patternBytes(6 * MiB, 6);
    faults().expireToken({ kind: 'upload.resumable.chunk', skip: 2 });
    await storage.put('data/token', streamOfBytes(bytes), { size: bytes.length });
    expect(fixture.tokens.refreshes).toBe(1);
    await expectStored('data/token', bytes);
  });

  it('starts a new session when Drive lost it, sending the bytes again when it has them', async () => {
    const storage = await start();
    const bytes = patternBytes(6 * MiB, 7);
    faults().loseUploadSession({ kind: 'upload.resumable.chunk', skip: 2 });
    await storage.put('data/lost', bytes);
    expect(counters().requests['upload.resumable.start']).toBe(2);
    await expectStored('data/lost', bytes);
    expect(objectFiles()).toHaveLength(1);
  });

  it('recovers a lost session of a stream when nothing was confirmed yet', async () => {
    const storage = await start();
    const bytes = patternBytes(6 * MiB, 8);
    faults().loseUploadSession({ kind: 'upload.resumable.chunk' });
    await storage.put('data/early', streamOfBytes(bytes), { size: bytes.length });
    expect(counters().requests['upload.resumable.start']).toBe(2);
    await expectStored('data/early', bytes);
  });

  it('fails a stream retryably when Drive lost its session after confirming bytes, leaving nothing', async () => {
    const storage = await start();
    const bytes = patternBytes(6 * MiB, 9);
    faults().loseUploadSession({ kind: 'upload.resumable.chunk', skip: 2 });
    const error = await rejectionOf(storage.put('data/gone', streamOfBytes(bytes), { size: bytes.length }));
    expect(error).toMatchObject({ code: 'unavailable', retryable: true });
    expect((error as Error).message).toMatch(/lost the upload session/);
    expect(objectFiles()).toEqual([]);
    expect(await fixture.sessionStore.get(SESSIONS_KEY)).toBeUndefined();
    // The caller makes the stream again: a fresh session stores it.
    await storage.put('data/gone', streamOfBytes(bytes), { size: bytes.length });
    await expectStored('data/gone', bytes);
  });

  it('gives up after failures in a row, keeping the session, which the next put resumes', async () => {
    fixture = await startDriveFixture({ storage: { chunks: CHUNKS, uploadRetry: { maxAttempts: 3 } } });
    seen = [];
    const storage = fixture.another({ fetch: recordingFetch(seen) });
    const bytes = patternBytes(6 * MiB, 10);
    const outage = faults().serverError(503, {
      kind: ['upload.resumable.chunk', 'upload.resumable.status'],
      skip: 2,
      times: Number.POSITIVE_INFINITY,
    });
    const error = await rejectionOf(storage.put('data/outage', streamOfBytes(bytes), { size: bytes.length }));
    expect(error).toMatchObject({ code: 'unavailable', retryable: true });
    expect(fixture.sleeps).toHaveLength(2);
    expect(await fixture.sessionStore.get(SESSIONS_KEY)).toBeDefined();
    outage.remove();
    const received = counters().bytesReceived;
    await storage.put('data/outage', streamOfBytes(bytes), { size: bytes.length });
    expect(counters().requests['upload.resumable.start']).toBe(1);
    expect(counters().bytesReceived - received).toBeLessThan(bytes.length - 2 * MiB);
    await expectStored('data/outage', bytes);
  });

  it('discards a file whose bytes arrived damaged and fails retryably', async () => {
    fixture = await startDriveFixture({ storage: { chunks: CHUNKS } });
    let chunk = 0;
    const damaging = async (input: string, init?: RequestInit) => {
      const body = init?.body;
      if (init?.method === 'PUT' && body instanceof Uint8Array && body.length > 0 && ++chunk === 2) {
        const damaged = Uint8Array.from(body);
        damaged[100] = (damaged[100] as number) ^ 0xff;
        return fetch(input, { ...init, body: damaged });
      }
      return fetch(input, init);
    };
    const storage = fixture.another({ fetch: damaging });
    const bytes = patternBytes(6 * MiB, 11);
    const error = await rejectionOf(
      storage.put('data/damaged', streamOfBytes(bytes), { size: bytes.length }),
    );
    expect(error).toMatchObject({ code: 'corrupt', retryable: true });
    expect((error as Error).message).toMatch(/MD5/);
    expect(objectFiles()).toEqual([]);
  });

  it('stops at once when aborted, forgetting the session and leaving nothing', async () => {
    const storage = await start();
    const bytes = patternBytes(8 * MiB, 12);
    const controller = new AbortController();
    const error = await rejectionOf(
      storage.put('data/aborted', streamOfBytes(bytes), {
        size: bytes.length,
        signal: controller.signal,
        onProgress: (stored) => {
          if (stored >= 2 * MiB) controller.abort();
        },
      }),
    );
    expect(error).toMatchObject({ code: 'aborted' });
    expect(objectFiles()).toEqual([]);
    expect(await fixture.sessionStore.get(SESSIONS_KEY)).toBeUndefined();
  });
});

describe('a new service worker resumes the upload of the one Chrome stopped', () => {
  /** A storage whose worker "dies" at its `killAt`-th chunk: the chunk is cut off and nothing more happens. */
  function dyingStorage(killAt: number, cutAfter: number): DriveStorage {
    let chunks = 0;
    const fetchUntilDeath = recordingFetch(seen, (request, forward) => {
      if (request.method !== 'PUT' || !request.contentRange || request.contentRange.startsWith('bytes */'))
        return undefined;
      chunks += 1;
      if (chunks !== killAt) return undefined;
      faults().cutRequestAfter(cutAfter, { kind: 'upload.resumable.chunk' });
      forward().catch(() => {});
      return new Promise<Response>(() => {});
    });
    return fixture.another({ fetch: fetchUntilDeath });
  }

  it('continues the persisted session with the same data, sending again less than one chunk', async () => {
    await start();
    const bytes = patternBytes(8 * MiB, 13);
    void dyingStorage(3, UPLOAD_GRANULE * 2 + 500).put('data/pack', streamOfBytes(bytes), {
      size: bytes.length,
    });
    await waitFor(() => counters().connectionsCut === 1);
    const before = counters().bytesReceived;
    const [first, second, third] = chunkRequests(seen);
    await fixture.another().put('data/pack', streamOfBytes(bytes), { size: bytes.length });
    expect(counters().requests['upload.resumable.start']).toBe(1);
    expect(counters().requests['upload.resumable.status']).toBe(1);
    // Two chunks were confirmed and two granules of the third kept: the new worker sends the rest.
    const confirmed = (first?.bodyBytes ?? 0) + (second?.bodyBytes ?? 0) + UPLOAD_GRANULE * 2;
    expect(third?.bodyBytes).toBeGreaterThan(UPLOAD_GRANULE * 2 + 500);
    expect(counters().bytesReceived - before).toBe(bytes.length - confirmed);
    await expectStored('data/pack', bytes);
    expect(await fixture.sessionStore.get(SESSIONS_KEY)).toBeUndefined();
  });

  it('starts afresh when the new worker produces different data under the same name', async () => {
    await start();
    const first = patternBytes(8 * MiB, 14);
    const second = patternBytes(8 * MiB, 15);
    void dyingStorage(3, 1000).put('data/pack', streamOfBytes(first), { size: first.length });
    await waitFor(() => counters().connectionsCut === 1);
    await fixture.another().put('data/pack', streamOfBytes(second), { size: second.length });
    expect(counters().requests['upload.resumable.start']).toBe(2);
    await expectStored('data/pack', second);
  });

  it('starts afresh when the data changes after its first granule, rather than store a mix', async () => {
    await start();
    const first = patternBytes(8 * MiB, 16);
    const second = first.slice();
    second[3 * MiB] = (second[3 * MiB] as number) ^ 1;
    void dyingStorage(4, 1000).put('data/pack', streamOfBytes(first), { size: first.length });
    await waitFor(() => counters().connectionsCut === 1);
    const error = await rejectionOf(
      fixture.another().put('data/pack', streamOfBytes(second), { size: second.length }),
    );
    expect(error).toMatchObject({ code: 'corrupt', retryable: true });
    expect(objectFiles()).toEqual([]);
    await fixture.another().put('data/pack', streamOfBytes(second), { size: second.length });
    await expectStored('data/pack', second);
  });
});

describe('failures that no retry mends', () => {
  it('a full Drive at the start of an upload: quota-exceeded, said plainly, nothing stored', async () => {
    const storage = await start();
    await storage.put('config', new Uint8Array(10));
    emulator().state.quotaBytes = emulator().state.usage().usage + MiB;
    const error = await rejectionOf(storage.put('data/big', patternBytes(6 * MiB, 1)));
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code: 'quota-exceeded', retryable: false });
    expect((error as Error).message).toMatch(/Google Drive is full/);
    expect(await listNames(fixture.another(), '')).toEqual(['config']);
  });

  it('a Drive that fills up during an upload, and a full Drive for a small object: nothing half-written', async () => {
    const storage = await start();
    faults().quotaFull({ kind: 'upload.resumable.chunk', skip: 1 });
    const big = await rejectionOf(
      storage.put('data/big', streamOfBytes(patternBytes(6 * MiB, 2)), { size: 6 * MiB }),
    );
    expect(big).toMatchObject({ code: 'quota-exceeded', retryable: false });
    faults().quotaFull({ kind: 'upload.multipart' });
    const small = await rejectionOf(storage.put('data/small', patternBytes(1000, 3)));
    expect(small).toMatchObject({ code: 'quota-exceeded', retryable: false });
    // Unfinished sessions hold bytes Drive shows nobody; no file was made.
    expect(objectFiles()).toEqual([]);
  });

  it('access revoked during an upload: unauthorized, asks to sign in again, nothing stored', async () => {
    const storage = await start();
    let chunks = 0;
    const revoking = recordingFetch(seen, (request, forward) => {
      if (request.method === 'PUT' && ++chunks === 2) fixture.registry.revokeGrant(CLIENT_ID);
      return forward();
    });
    const error = await rejectionOf(
      fixture
        .another({ fetch: revoking })
        .put('data/big', streamOfBytes(patternBytes(6 * MiB, 4)), { size: 6 * MiB }),
    );
    expect(error).toMatchObject({ code: 'unauthorized', retryable: false });
    expect((error as Error).message).toMatch(/sign/i);
    expect(fixture.tokens.refreshes).toBe(1);
    expect(objectFiles()).toEqual([]);
    const listing = await rejectionOf(listNames(storage, ''));
    expect(listing).toMatchObject({ code: 'unauthorized' });
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}
