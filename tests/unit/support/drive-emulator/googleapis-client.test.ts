import { Readable } from 'node:stream';
import { type drive_v3, auth as googleAuth, drive as googleDrive } from '@googleapis/drive';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FOLDER_MIME_TYPE } from '../../../support/drive-emulator';
import { type Harness, md5, patternBytes, sha256, startHarness } from './harness';

/**
 * Google's own Node client, pointed at the emulator, must work unchanged: the strongest evidence
 * that product code written against real Drive cannot tell the difference.
 */

type OAuth2Client = InstanceType<typeof googleAuth.OAuth2>;

let harness: Harness;
let oauth2: OAuth2Client;
let drive: drive_v3.Drive;
// googleapis applies a global rootUrl to metadata calls but not to media uploads (it builds the
// upload URL from the per-call rootUrl), so upload calls pass it again.
let perCall: { rootUrl: string };

beforeEach(async () => {
  harness = await startHarness();
  oauth2 = new googleAuth.OAuth2();
  oauth2.setCredentials({ access_token: harness.token });
  drive = googleDrive({ version: 'v3', auth: oauth2, rootUrl: harness.running.url });
  perCall = { rootUrl: harness.running.url };
});

afterEach(async () => {
  await harness.close();
});

/**
 * googleapis types response headers as a plain object (its HTTP/2 shape) while gaxios hands a
 * WHATWG Headers at run time; read either.
 */
function headerOf(headers: unknown, name: string): string | null {
  // Duck-typed: gaxios may bring its own Headers class, so instanceof is unreliable.
  const get = (headers as { get?: unknown }).get;
  if (typeof get === 'function') return get.call(headers, name) as string | null;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
}

async function createFolder(name: string, parent?: string): Promise<string> {
  const response = await drive.files.create({
    requestBody: { name, mimeType: FOLDER_MIME_TYPE, parents: parent ? [parent] : undefined },
    fields: 'id',
  });
  return response.data.id as string;
}

describe('Drive emulator through @googleapis/drive', () => {
  it('creates a folder in My Drive', async () => {
    const created = await drive.files.create({
      requestBody: { name: 'ChatVault', mimeType: FOLDER_MIME_TYPE },
      fields: 'id,name,mimeType,parents,trashed',
    });
    expect(created.status).toBe(200);
    const root = await drive.files.get({ fileId: 'root', fields: 'id,name' });
    expect(created.data).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{33}$/),
      name: 'ChatVault',
      mimeType: FOLDER_MIME_TYPE,
      parents: [root.data.id],
      trashed: false,
    });
    expect(root.data.name).toBe('My Drive');
  });

  it('uploads with uploadType=multipart and reports Drive-style checksums and sizes', async () => {
    const folderId = await createFolder('backups');
    const bytes = patternBytes(200_000, 7);
    const created = await drive.files.create(
      {
        requestBody: { name: 'pack-0001.bin', parents: [folderId], appProperties: { kind: 'pack', v: '1' } },
        media: { mimeType: 'application/octet-stream', body: Readable.from([Buffer.from(bytes)]) },
        fields: 'id,name,size,md5Checksum,sha256Checksum,appProperties,parents,mimeType',
      },
      perCall,
    );
    expect(created.data).toMatchObject({
      name: 'pack-0001.bin',
      size: '200000',
      md5Checksum: md5(bytes),
      sha256Checksum: sha256(bytes),
      appProperties: { kind: 'pack', v: '1' },
      parents: [folderId],
      mimeType: 'application/octet-stream',
    });
    expect(harness.running.emulator.counters.requests['upload.multipart']).toBe(1);
    expect(new Uint8Array(harness.running.emulator.state.readContent(created.data.id as string))).toEqual(
      bytes,
    );
  });

  it('uploads a multi-MiB file with the resumable protocol through the client transport', async () => {
    // googleapis has no resumable helper; the documented way is to start the session with
    // files.create on the /upload URL and PUT the chunks through the same authorised client.
    const bytes = patternBytes(3 * 1024 * 1024 + 12_345, 3);
    const start = await drive.files.create(
      { uploadType: 'resumable', requestBody: { name: 'media.bin' }, fields: 'id,size,sha256Checksum' },
      {
        url: `${harness.running.url}upload/drive/v3/files`,
        headers: {
          'X-Upload-Content-Type': 'application/octet-stream',
          'X-Upload-Content-Length': `${bytes.length}`,
        },
      },
    );
    expect(start.status).toBe(200);
    const location = headerOf(start.headers, 'location') as string;
    expect(location).toMatch(/upload_id=/);

    const chunkSize = 1024 * 1024;
    const statuses: number[] = [];
    const ranges: (string | null)[] = [];
    let final: { id?: string; size?: string; sha256Checksum?: string } = {};
    for (let offset = 0; offset < bytes.length; offset += chunkSize) {
      const end = Math.min(bytes.length, offset + chunkSize);
      const response = await oauth2.request<{ id?: string; size?: string; sha256Checksum?: string }>({
        url: location,
        method: 'PUT',
        data: Buffer.from(bytes.subarray(offset, end)),
        headers: { 'Content-Range': `bytes ${offset}-${end - 1}/${bytes.length}` },
        validateStatus: (status) => status === 308 || (status >= 200 && status < 300),
      });
      statuses.push(response.status);
      ranges.push(headerOf(response.headers, 'range'));
      if (response.status === 200) final = response.data;
    }
    expect(statuses).toEqual([308, 308, 308, 200]);
    expect(ranges.slice(0, 3)).toEqual(['bytes=0-1048575', 'bytes=0-2097151', 'bytes=0-3145727']);
    expect(final.size).toBe(String(bytes.length));
    expect(final.sha256Checksum).toBe(sha256(bytes));
    const downloaded = await drive.files.get(
      { fileId: final.id as string, alt: 'media' },
      { responseType: 'arraybuffer' },
    );
    // Compare digests: a deep equality over megabytes of array elements is needlessly slow.
    expect(sha256(new Uint8Array(downloaded.data as unknown as ArrayBuffer))).toBe(sha256(bytes));
  });

  it('lists 250 files with q, fields and pageSize 100 in three pages', async () => {
    const folderId = await createFolder('many');
    const state = harness.running.emulator.state;
    for (let index = 0; index < 250; index += 1) {
      state.seedFile({
        name: `segment-${String(index).padStart(3, '0')}.json`,
        parent: folderId,
        content: `#${index}`,
      });
    }
    state.seedFile({ name: 'elsewhere.json', content: 'x' });
    state.seedFile({ name: 'trashed.json', parent: folderId, content: 'x', trashed: true });

    const pageLengths: number[] = [];
    const names: string[] = [];
    let pageToken: string | undefined;
    do {
      const page: { data: drive_v3.Schema$FileList } = await drive.files.list({
        q: `'${folderId}' in parents and trashed = false`,
        fields: 'nextPageToken, files(id, name, size)',
        pageSize: 100,
        orderBy: 'name',
        pageToken,
      });
      const files = page.data.files ?? [];
      pageLengths.push(files.length);
      for (const file of files) {
        expect(Object.keys(file).sort()).toEqual(['id', 'name', 'size']);
        names.push(file.name as string);
      }
      pageToken = page.data.nextPageToken ?? undefined;
    } while (pageToken);

    expect(pageLengths).toEqual([100, 100, 50]);
    expect(names).toHaveLength(250);
    expect(new Set(names).size).toBe(250);
    expect(names).toEqual([...names].sort());
  });

  it('downloads whole files and byte ranges (206 + Content-Range)', async () => {
    const bytes = patternBytes(10_000, 11);
    const record = harness.running.emulator.state.seedFile({ name: 'blob.bin', content: bytes });
    const whole = await drive.files.get({ fileId: record.id, alt: 'media' }, { responseType: 'arraybuffer' });
    expect(whole.status).toBe(200);
    expect(new Uint8Array(whole.data as unknown as ArrayBuffer)).toEqual(bytes);

    const part = await drive.files.get(
      { fileId: record.id, alt: 'media' },
      { responseType: 'arraybuffer', headers: { Range: 'bytes=100-1099' } },
    );
    expect(part.status).toBe(206);
    expect(headerOf(part.headers, 'content-range')).toBe('bytes 100-1099/10000');
    expect(new Uint8Array(part.data as unknown as ArrayBuffer)).toEqual(bytes.subarray(100, 1100));
  });

  it('deletes a file; getting it afterwards is a GaxiosError 404 notFound', async () => {
    const record = harness.running.emulator.state.seedFile({ name: 'old.bin', content: 'x' });
    const deleted = await drive.files.delete({ fileId: record.id });
    expect(deleted.status).toBe(204);
    const failure = await drive.files.get({ fileId: record.id }).catch((error: unknown) => error);
    expect((failure as object).constructor.name).toBe('GaxiosError');
    expect(failure).toMatchObject({
      status: 404,
      response: { data: { error: { code: 404, errors: [{ reason: 'notFound', location: 'fileId' }] } } },
    });
  });

  it('surfaces a full Drive as GaxiosError 403 storageQuotaExceeded', async () => {
    const state = harness.running.emulator.state;
    state.seedFile({ name: 'existing.bin', content: patternBytes(1000) });
    state.quotaBytes = 1500;
    const failure = await drive.files
      .create(
        {
          requestBody: { name: 'too-big.bin' },
          media: {
            mimeType: 'application/octet-stream',
            body: Readable.from([Buffer.from(patternBytes(600))]),
          },
        },
        perCall,
      )
      .catch((error: unknown) => error);
    expect((failure as object).constructor.name).toBe('GaxiosError');
    expect(failure).toMatchObject({
      status: 403,
      response: {
        data: { error: { errors: [{ domain: 'usageLimits', reason: 'storageQuotaExceeded' }] } },
      },
    });
    expect(state.files().map((file) => file.name)).toEqual(['existing.bin']);
    const about = await drive.about.get({ fields: 'storageQuota' });
    expect(about.data.storageQuota).toEqual({
      limit: '1500',
      usage: '1000',
      usageInDrive: '1000',
      usageInDriveTrash: '0',
    });
  });
});
