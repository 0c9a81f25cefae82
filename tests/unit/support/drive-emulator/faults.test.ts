import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHUNK_GRANULARITY } from '../../../support/drive-emulator';
import { errorReason, type Harness, json, patternBytes, sha256, startHarness } from './harness';

/** Every fault knob, and the traffic counters tests and benchmarks read. */

let harness: Harness;

beforeEach(async () => {
  harness = await startHarness();
});

afterEach(async () => {
  await harness.close();
});

const faults = () => harness.running.emulator.faults;
const state = () => harness.running.emulator.state;
const counters = () => harness.running.emulator.counters;

function createFolder(name: string): Promise<Response> {
  return harness.api('drive/v3/files', {
    method: 'POST',
    ...json({ name, mimeType: 'application/vnd.google-apps.folder' }),
  });
}

function uploadMedia(bytes: Uint8Array<ArrayBuffer>): Promise<Response> {
  return harness.api('upload/drive/v3/files?uploadType=media&fields=id,size', {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: bytes,
  });
}

describe('server errors', () => {
  it('answers 503 with Google’s JSON body, once, then recovers', async () => {
    const handle = faults().serverError(503);
    const failed = await createFolder('a');
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({
      error: { code: 503, status: 'UNAVAILABLE', errors: [{ reason: 'backendError' }] },
    });
    expect(handle.fired).toBe(1);
    expect(handle.remaining).toBe(0);
    expect((await createFolder('b')).status).toBe(200);
    expect(
      state()
        .files()
        .map((file) => file.name),
    ).toEqual(['b']);
  });

  it('answers 500 backendError and 502 with an HTML page', async () => {
    faults().serverError(500);
    faults().serverError(502);
    const first = await createFolder('a');
    expect(first.status).toBe(500);
    expect(await errorReason(first)).toBe('backendError');
    const second = await createFolder('b');
    expect(second.status).toBe(502);
    expect(second.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await second.text()).toContain('502.');
  });

  it('with when: "after", the change happens but the client is told it failed', async () => {
    faults().serverError(503, { when: 'after' });
    expect((await createFolder('created anyway')).status).toBe(503);
    expect(
      state()
        .files()
        .map((file) => file.name),
    ).toEqual(['created anyway']);
  });

  it('honours kind, method, path, skip and times scoping', async () => {
    faults().serverError(500, { kind: 'files.list' });
    faults().serverError(503, { method: 'POST', path: '/drive/v3/files', skip: 1, times: 2 });
    expect((await createFolder('1')).status).toBe(200);
    expect((await createFolder('2')).status).toBe(503);
    expect((await harness.api('drive/v3/files/root?fields=id')).status).toBe(200);
    expect((await createFolder('3')).status).toBe(503);
    expect((await createFolder('4')).status).toBe(200);
    expect((await harness.api('drive/v3/files')).status).toBe(500);
    expect(faults().list()).toEqual([]);
  });

  it('matches a RegExp against path and query', async () => {
    faults().serverError(500, { path: /[?&]alt=media/ });
    const record = state().seedFile({ name: 'x', content: 'abc' });
    expect((await harness.api(`drive/v3/files/${record.id}`)).status).toBe(200);
    expect((await harness.api(`drive/v3/files/${record.id}?alt=media`)).status).toBe(500);
  });
});

describe('rate limits', () => {
  it('answers 429 rateLimitExceeded with Retry-After by default', async () => {
    faults().rateLimit({ retryAfterSeconds: 7 });
    const response = await createFolder('a');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toMatchObject({
      error: { code: 429, errors: [{ domain: 'usageLimits', reason: 'rateLimitExceeded' }] },
    });
  });

  it('answers 403 userRateLimitExceeded when asked', async () => {
    faults().rateLimit({ reason: 'userRateLimitExceeded', retryAfterSeconds: 2 });
    const response = await createFolder('a');
    expect(response.status).toBe(403);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await errorReason(response)).toBe('userRateLimitExceeded');
  });

  it('gives a request at most one error response; the next one waits its turn', async () => {
    faults().rateLimit();
    faults().serverError(503);
    expect((await createFolder('a')).status).toBe(429);
    expect((await createFolder('b')).status).toBe(503);
    expect((await createFolder('c')).status).toBe(200);
  });
});

describe('authentication and sessions', () => {
  it('gives one 401 authError as if the token had expired; the same token works next time', async () => {
    faults().expireToken({ kind: 'files.list' });
    const failed = await harness.api('drive/v3/files');
    expect(failed.status).toBe(401);
    expect(failed.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(await errorReason(failed)).toBe('authError');
    expect((await harness.api('drive/v3/files')).status).toBe(200);
  });

  it('loses an upload session: its next PUT gets 404', async () => {
    const start = await harness.api('upload/drive/v3/files?uploadType=resumable', {
      method: 'POST',
      ...json({}),
    });
    const location = start.headers.get('location') as string;
    faults().loseUploadSession();
    const response = await fetch(location, {
      method: 'PUT',
      headers: { authorization: `Bearer ${harness.token}` },
      body: patternBytes(10),
    });
    expect(response.status).toBe(404);
    expect(state().sessions()).toEqual([]);
  });
});

describe('quota', () => {
  it('quotaFull answers 403 storageQuotaExceeded on the next create or upload only', async () => {
    faults().quotaFull();
    expect((await harness.api('drive/v3/files?fields=files(id)')).status).toBe(200);
    const refused = await uploadMedia(patternBytes(10));
    expect(refused.status).toBe(403);
    expect(await errorReason(refused)).toBe('storageQuotaExceeded');
    expect((await uploadMedia(patternBytes(10))).status).toBe(200);
  });

  it('a real quota refuses uploads that do not fit, including at resumable initiation', async () => {
    state().quotaBytes = 1000;
    expect((await uploadMedia(patternBytes(1001))).status).toBe(403);
    const start = await harness.api('upload/drive/v3/files?uploadType=resumable', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-upload-content-length': '5000' },
      body: '{}',
    });
    expect(start.status).toBe(403);
    expect(await errorReason(start)).toBe('storageQuotaExceeded');
    expect((await uploadMedia(patternBytes(1000))).status).toBe(200);
    // A full Drive refuses even an empty new file, but folders are free.
    expect((await uploadMedia(patternBytes(0))).status).toBe(403);
    expect((await createFolder('still fine')).status).toBe(200);
  });
});

describe('connection cuts', () => {
  it('cuts a request body after N bytes: the client sees a broken connection, nothing is stored', async () => {
    faults().cutRequestAfter(1000, { kind: 'upload.media' });
    const outcome = await uploadMedia(patternBytes(50_000)).then(
      () => 'answered',
      () => 'broken',
    );
    expect(outcome).toBe('broken');
    expect(state().files()).toEqual([]);
    expect(counters().connectionsCut).toBe(1);
    expect(counters().bytesReceived).toBe(1000);
  });

  it('cuts a response body after N bytes', async () => {
    const bytes = patternBytes(100_000);
    const record = state().seedFile({ name: 'x', content: bytes });
    faults().cutResponseAfter(10_000, { kind: 'files.download' });
    const response = await harness.api(`drive/v3/files/${record.id}?alt=media`);
    expect(response.status).toBe(200);
    const outcome = await response.arrayBuffer().then(
      () => 'complete',
      () => 'truncated',
    );
    expect(outcome).toBe('truncated');
    expect(counters().bytesSent).toBe(10_000);
  });
});

describe('latency and bandwidth (standing faults, cleared by dispose or remove)', () => {
  it('holds every matching request for the configured latency', async () => {
    const handle = faults().latency(60_000, { kind: 'files.list' });
    let settled = false;
    const pending = harness.api('drive/v3/files').then((response) => {
      settled = true;
      return response;
    });
    await delay(100);
    expect(settled).toBe(false);
    expect(harness.running.emulator.inFlight).toBe(1);
    // dispose() releases every timer: the held request completes at once.
    harness.running.emulator.dispose();
    expect((await pending).status).toBe(200);
    expect(handle.remaining).toBe(Number.POSITIVE_INFINITY);
    handle.remove();
    expect(faults().list()).toEqual([]);
  });

  it('paces response bodies to the configured bandwidth', async () => {
    const bytes = patternBytes(256 * 1024, 5);
    const record = state().seedFile({ name: 'slow.bin', content: bytes });
    faults().bandwidth(64 * 1024, { direction: 'response' });
    const response = await harness.api(`drive/v3/files/${record.id}?alt=media`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    // At 64 KiB/s the first 50 ms slice is ~3 KiB: far from the whole 256 KiB.
    expect(first.value?.length ?? 0).toBeLessThan(bytes.length);
    harness.running.emulator.dispose();
    const parts = [first.value as Uint8Array];
    for (let next = await reader.read(); !next.done; next = await reader.read()) parts.push(next.value);
    expect(sha256(Buffer.concat(parts))).toBe(sha256(bytes));
  });

  it('paces request bodies to the configured bandwidth', async () => {
    faults().bandwidth(16 * 1024, { direction: 'request', kind: 'upload.media' });
    let settled = false;
    const pending = uploadMedia(patternBytes(256 * 1024)).then((response) => {
      settled = true;
      return response;
    });
    // 256 KiB at 16 KiB/s takes 16 s; after 200 ms it is certainly still arriving.
    await delay(200);
    expect(settled).toBe(false);
    harness.running.emulator.dispose();
    expect((await pending).status).toBe(200);
    expect(counters().bytesReceived).toBe(256 * 1024);
  });
});

describe('counters', () => {
  it('count requests by kind, responses by status and body bytes both ways', async () => {
    const bytes = patternBytes(3 * CHUNK_GRANULARITY);
    const uploaded = await uploadMedia(bytes);
    const { id } = (await uploaded.json()) as { id: string };
    const download = await harness.api(`drive/v3/files/${id}?alt=media`);
    expect((await download.arrayBuffer()).byteLength).toBe(bytes.length);
    await harness.api('drive/v3/files/nope');
    const snapshot = counters();
    expect(snapshot.requests).toEqual({ 'upload.media': 1, 'files.download': 1, 'files.get': 1 });
    expect(snapshot.totalRequests).toBe(3);
    expect(snapshot.responses).toEqual({ 200: 2, 404: 1 });
    expect(snapshot.bytesReceived).toBe(bytes.length);
    expect(snapshot.bytesSent).toBeGreaterThan(bytes.length);
    harness.running.emulator.resetCounters();
    expect(counters().totalRequests).toBe(0);
  });
});

describe('fault knob arguments', () => {
  it('rejects nonsense with a typed error', () => {
    expect(() => faults().cutRequestAfter(-1)).toThrow(
      expect.objectContaining({ name: 'DriveEmulatorError' }),
    );
    expect(() => faults().bandwidth(0)).toThrow(/bytesPerSecond/);
    expect(() => faults().serverError(404 as 500)).toThrow(/500, 502 or 503/);
    expect(() => faults().latency(10, { times: 0 })).toThrow(/times/);
  });
});

describe('bounded lifetime', () => {
  it('close() ends held requests and leaves no timers behind', async () => {
    faults().latency(60_000);
    faults().bandwidth(1024);
    const pending = harness.api('drive/v3/files').then(
      (response) => response.status,
      () => 'connection closed',
    );
    await delay(50);
    expect(harness.running.emulator.pendingTimers).toBe(1);
    await harness.close();
    expect(harness.running.emulator.pendingTimers).toBe(0);
    expect(await pending).toBeDefined();
  });
});
