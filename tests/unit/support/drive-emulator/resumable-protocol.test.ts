import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHUNK_GRANULARITY, startDriveEmulator } from '../../../support/drive-emulator';
import { testCertificate } from '../../../support/tls';
import { errorReason, type Harness, json, patternBytes, sha256, startHarness } from './harness';

/** Drive's resumable upload protocol, byte by byte, with raw fetch. */

const KiB256 = CHUNK_GRANULARITY;
let harness: Harness;
let now: number;

beforeEach(async () => {
  now = Date.parse('2026-01-01T00:00:00Z');
  harness = await startHarness({ clock: () => now, uploadSessionLifetimeMs: 60_000 });
});

afterEach(async () => {
  await harness.close();
});

async function startSession(
  metadata: object,
  headers: Record<string, string> = {},
  query = '',
): Promise<string> {
  const init = json(metadata);
  const response = await harness.api(`upload/drive/v3/files?uploadType=resumable${query}`, {
    ...init,
    method: 'POST',
    headers: { ...(init.headers as Record<string, string>), ...headers },
  });
  expect(response.status).toBe(200);
  expect(await response.text()).toBe('');
  return response.headers.get('location') as string;
}

function put(
  location: string,
  body: Uint8Array<ArrayBuffer> | undefined,
  contentRange?: string,
): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${harness.token}` };
  if (contentRange !== undefined) headers['content-range'] = contentRange;
  return fetch(location, { method: 'PUT', headers, body });
}

describe('resumable upload session', () => {
  it('answers the initiation with a Location that repeats the URL plus upload_id', async () => {
    const location = await startSession({ name: 'a.bin' }, {}, '&fields=id,size');
    const url = new URL(location);
    expect(url.origin).toBe(harness.running.origin);
    expect(url.pathname).toBe('/upload/drive/v3/files');
    expect(url.searchParams.get('uploadType')).toBe('resumable');
    expect(url.searchParams.get('fields')).toBe('id,size');
    expect(url.searchParams.get('upload_id')).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });

  it('returns 308 with Range after each chunk and 200 with the resource after the last', async () => {
    const bytes = patternBytes(2 * KiB256 + 1000);
    const location = await startSession(
      { name: 'two-chunks.bin' },
      { 'x-upload-content-length': String(bytes.length) },
      '&fields=id,name,size,sha256Checksum',
    );
    const first = await put(location, bytes.slice(0, KiB256), `bytes 0-${KiB256 - 1}/${bytes.length}`);
    expect(first.status).toBe(308);
    expect(first.headers.get('range')).toBe(`bytes=0-${KiB256 - 1}`);
    const second = await put(
      location,
      bytes.slice(KiB256, 2 * KiB256),
      `bytes ${KiB256}-${2 * KiB256 - 1}/*`,
    );
    expect(second.status).toBe(308);
    expect(second.headers.get('range')).toBe(`bytes=0-${2 * KiB256 - 1}`);
    const last = await put(
      location,
      bytes.slice(2 * KiB256),
      `bytes ${2 * KiB256}-${bytes.length - 1}/${bytes.length}`,
    );
    expect(last.status).toBe(200);
    expect(await last.json()).toEqual({
      id: expect.any(String),
      name: 'two-chunks.bin',
      size: String(bytes.length),
      sha256Checksum: sha256(bytes),
    });
  });

  it('answers a status query with no Range before any byte arrived, then with the Range kept', async () => {
    const location = await startSession({ name: 's.bin' });
    const empty = await put(location, undefined, 'bytes */*');
    expect(empty.status).toBe(308);
    expect(empty.headers.get('range')).toBeNull();
    await put(location, patternBytes(KiB256), `bytes 0-${KiB256 - 1}/*`);
    const status = await put(location, undefined, `bytes */${KiB256 * 3}`);
    expect(status.status).toBe(308);
    expect(status.headers.get('range')).toBe(`bytes=0-${KiB256 - 1}`);
  });

  it('uploads everything in one PUT without Content-Range', async () => {
    const bytes = patternBytes(5000, 4);
    const location = await startSession({ name: 'one.bin' }, {}, '&fields=size,md5Checksum');
    const response = await put(location, bytes);
    expect(response.status).toBe(200);
    expect((await response.json()).size).toBe('5000');
  });

  it('finishes an empty upload with a status query naming the total 0', async () => {
    const location = await startSession({ name: 'empty.bin' }, {}, '&fields=size');
    const response = await put(location, undefined, 'bytes */0');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ size: '0' });
  });

  it('rejects a non-final chunk that is not a multiple of 256 KiB with 400 and keeps nothing', async () => {
    const location = await startSession({ name: 'odd.bin' });
    const response = await put(location, patternBytes(1000), 'bytes 0-999/5000');
    expect(response.status).toBe(400);
    expect(await errorReason(response)).toBe('badRequest');
    const status = await put(location, undefined, 'bytes */5000');
    expect(status.headers.get('range')).toBeNull();
  });

  it('continues from what it has when a chunk repeats bytes already stored', async () => {
    const bytes = patternBytes(3 * KiB256, 9);
    const location = await startSession({ name: 'overlap.bin' }, {}, '&fields=sha256Checksum,size');
    await put(location, bytes.slice(0, KiB256), `bytes 0-${KiB256 - 1}/${bytes.length}`);
    // The client did not see the 308 and sends from 0 again, two granules this time.
    const again = await put(
      location,
      bytes.slice(0, 2 * KiB256),
      `bytes 0-${2 * KiB256 - 1}/${bytes.length}`,
    );
    expect(again.status).toBe(308);
    expect(again.headers.get('range')).toBe(`bytes=0-${2 * KiB256 - 1}`);
    const last = await put(
      location,
      bytes.slice(2 * KiB256),
      `bytes ${2 * KiB256}-${bytes.length - 1}/${bytes.length}`,
    );
    expect(await last.json()).toEqual({ sha256Checksum: sha256(bytes), size: String(bytes.length) });
  });

  it('rejects a chunk that starts beyond the stored bytes', async () => {
    const location = await startSession({ name: 'gap.bin' });
    const response = await put(location, patternBytes(KiB256), `bytes ${KiB256}-${2 * KiB256 - 1}/*`);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.message).toContain('exceeds already uploaded size of 0 byte(s)');
  });

  it('rejects a total that contradicts X-Upload-Content-Length', async () => {
    const location = await startSession({ name: 'x.bin' }, { 'x-upload-content-length': '1000' });
    const response = await put(location, patternBytes(500), 'bytes 0-499/500');
    expect(response.status).toBe(400);
  });

  it('rejects a chunk reaching past the declared size, a POST to the session and a bad uploadType', async () => {
    const location = await startSession({ name: 'p.bin' }, { 'x-upload-content-length': '1000' });
    const past = await put(location, patternBytes(KiB256), `bytes 0-${KiB256 - 1}/*`);
    expect(past.status).toBe(400);
    const posted = await fetch(location, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.token}` },
    });
    expect(posted.status).toBe(404);
    const badType = await harness.api('upload/drive/v3/files?uploadType=chunked', {
      method: 'POST',
      body: 'x',
    });
    expect(badType.status).toBe(400);
    expect(await errorReason(badType)).toBe('invalid');
  });

  it('keeps the whole granules of a chunk cut mid-way; the client resumes from the Range', async () => {
    const bytes = patternBytes(4 * KiB256 + 777, 21);
    const location = await startSession({ name: 'cut.bin' }, {}, '&fields=sha256Checksum');
    harness.running.emulator.faults.cutRequestAfter(2 * KiB256 + 1000, { kind: 'upload.resumable.chunk' });
    const broken = await put(
      location,
      bytes.slice(0, 4 * KiB256),
      `bytes 0-${4 * KiB256 - 1}/${bytes.length}`,
    ).then(
      () => 'answered',
      () => 'connection broken',
    );
    expect(broken).toBe('connection broken');
    const status = await put(location, undefined, `bytes */${bytes.length}`);
    expect(status.status).toBe(308);
    const range = status.headers.get('range') as string;
    expect(range).toBe(`bytes=0-${2 * KiB256 - 1}`);
    const resumeAt = Number(range.split('-')[1]) + 1;
    const last = await put(
      location,
      bytes.slice(resumeAt),
      `bytes ${resumeAt}-${bytes.length - 1}/${bytes.length}`,
    );
    expect(last.status).toBe(200);
    expect(await last.json()).toEqual({ sha256Checksum: sha256(bytes) });
  });

  it('answers 404 once the session is lost or has expired', async () => {
    const lost = await startSession({ name: 'lost.bin' });
    const uploadId = new URL(lost).searchParams.get('upload_id') as string;
    expect(harness.running.emulator.state.dropSession(uploadId)).toBe(true);
    const afterLoss = await put(lost, patternBytes(10));
    expect(afterLoss.status).toBe(404);
    expect(await errorReason(afterLoss)).toBe('notFound');

    const expiring = await startSession({ name: 'old.bin' });
    now += 60_001;
    expect((await put(expiring, undefined, 'bytes */*')).status).toBe(404);
  });

  it('repeats the finished resource when a completed session is asked again', async () => {
    const location = await startSession({ name: 'done.bin' }, {}, '&fields=id,size');
    const done = await (await put(location, patternBytes(100))).json();
    const again = await put(location, undefined, 'bytes */100');
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(done);
  });

  it('replaces the content of an existing file with PATCH …/files/{id}?uploadType=resumable', async () => {
    const record = harness.running.emulator.state.seedFile({ name: 'index.json', content: 'old' });
    const init = json({ name: 'index-v2.json' });
    const start = await harness.api(
      `upload/drive/v3/files/${record.id}?uploadType=resumable&fields=id,name,size`,
      {
        ...init,
        method: 'PATCH',
      },
    );
    expect(start.status).toBe(200);
    const response = await put(start.headers.get('location') as string, patternBytes(42));
    expect(await response.json()).toEqual({ id: record.id, name: 'index-v2.json', size: '42' });
  });

  it('refuses another client’s session with 404', async () => {
    const location = await startSession({ name: 'mine.bin' });
    const other = harness.tokens.issue({
      clientId: 'someone-else',
      scopes: ['https://www.googleapis.com/auth/drive'],
    });
    const response = await fetch(location, {
      method: 'PUT',
      headers: { authorization: `Bearer ${other.token}`, 'content-range': 'bytes */*' },
    });
    expect(response.status).toBe(404);
  });
});

describe('session URIs use the host the client called', () => {
  it('over plain HTTP with a Host header of www.googleapis.com', async () => {
    const location = await new Promise<string | undefined>((resolve, reject) => {
      const request = httpRequest(
        new URL('upload/drive/v3/files?uploadType=resumable', harness.running.url),
        {
          method: 'POST',
          headers: {
            host: 'www.googleapis.com',
            authorization: `Bearer ${harness.token}`,
            'content-type': 'application/json',
          },
        },
        (response) => {
          response.resume();
          resolve(response.headers.location);
        },
      );
      request.on('error', reject);
      request.end(JSON.stringify({ name: 'h.bin' }));
    });
    expect(location).toMatch(
      /^http:\/\/www\.googleapis\.com\/upload\/drive\/v3\/files\?uploadType=resumable&upload_id=/,
    );
  });

  it('over HTTPS when started with tls', async () => {
    const secure = await startDriveEmulator({ tokens: harness.tokens, tls: testCertificate() });
    try {
      expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
      const location = await new Promise<string | undefined>((resolve, reject) => {
        const request = httpsRequest(
          new URL('upload/drive/v3/files?uploadType=resumable', secure.url),
          {
            method: 'POST',
            rejectUnauthorized: false,
            headers: {
              host: 'www.googleapis.com',
              authorization: `Bearer ${harness.token}`,
              'content-type': 'application/json',
            },
          },
          (response) => {
            response.resume();
            resolve(response.headers.location);
          },
        );
        request.on('error', reject);
        request.end('{}');
      });
      expect(location).toMatch(/^https:\/\/www\.googleapis\.com\/upload\/drive\/v3\/files\?/);
    } finally {
      await secure.close();
    }
  });
});
