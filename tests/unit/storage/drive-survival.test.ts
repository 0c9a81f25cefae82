import { createHash } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { UPLOAD_GRANULE } from '@/utils/storage/drive/chunk-pacer';
import type { DriveStorage } from '@/utils/storage/drive/drive-storage';
import {
  chunkRequests,
  type DriveFixture,
  recordingFetch,
  type SeenRequest,
  startDriveFixture,
} from './drive-fixture';
import { MiB, patternBytes } from './helpers';

/**
 * The endurance run: one 100 MiB upload meets, in order, a lost session, connection cuts
 * at random offsets, a 503, a 429 with Retry-After, a 401, and the death of its service worker
 * (the next "worker" is a new DriveStorage sharing the persisted session store, as
 * browser.storage.local is shared). The stored file must be byte-identical, and the bytes sent
 * again must stay within one chunk per fault.
 */

const SIZE = 100 * MiB;
const PIECE = MiB;
// Chunks of at most 4 MiB, so "one chunk per fault" is a bound that means something here.
const CHUNKS = { initialBytes: MiB, maxBytes: 4 * MiB };

let fixture: DriveFixture | undefined;

afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

/** A reproducible source of random offsets (mulberry32). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

it('stores 100 MiB byte-identical through cuts, 503, 429, 401, a lost session and a stopped worker', async () => {
  const drive = await startDriveFixture({ storage: { chunks: CHUNKS } });
  fixture = drive;
  const pieces = Array.from({ length: SIZE / PIECE }, (_, i) => patternBytes(PIECE, i + 1));
  const expected = createHash('sha256');
  for (const piece of pieces) expected.update(piece);
  // What a backup job does after a restart: produce the same pack again, piece by piece.
  const produce = () => {
    let index = 0;
    return new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          const piece = pieces[index++];
          if (piece) controller.enqueue(piece);
          else controller.close();
        },
      },
      { highWaterMark: 0 },
    );
  };
  const random = seededRandom(0xc4a7);
  const cutOffset = () => UPLOAD_GRANULE / 2 + Math.floor(random() * 3 * UPLOAD_GRANULE);
  const { faults } = drive.running.emulator;
  const chunk = { kind: 'upload.resumable.chunk' } as const;
  const planned = [
    faults.loseUploadSession({ ...chunk, skip: 0 }),
    faults.cutRequestAfter(cutOffset(), { ...chunk, skip: 2 }),
    faults.serverError(503, { ...chunk, skip: 4 }),
    faults.rateLimit({ status: 429, retryAfterSeconds: 2 }, { ...chunk, skip: 6 }),
    faults.expireToken({ ...chunk, skip: 8 }),
    faults.cutRequestAfter(cutOffset(), { ...chunk, skip: 10 }),
  ];

  // The first worker dies during its 14th chunk request: the request is cut and nothing follows.
  const seen: SeenRequest[] = [];
  let chunksSent = 0;
  let died = false;
  const first = drive.another({
    fetch: recordingFetch(seen, (request, forward) => {
      if (request.method !== 'PUT' || request.contentRange?.startsWith('bytes */')) return undefined;
      if (++chunksSent !== 14) return undefined;
      planned.push(faults.cutRequestAfter(cutOffset(), chunk));
      died = true;
      forward().catch(() => {});
      return new Promise<Response>(() => {});
    }),
  });
  void first.put('data/pack', produce(), { size: SIZE });
  await until(() => died && drive.running.emulator.counters.connectionsCut === 3);
  expect(await drive.sessionStore.get('chatvault.drive.uploadSessions')).toBeDefined();

  // The next worker puts the same object again; it meets one more cut on its way.
  planned.push(faults.cutRequestAfter(cutOffset(), { ...chunk, skip: 1 }));
  const second: DriveStorage = drive.another({ fetch: recordingFetch(seen) });
  await second.put('data/pack', produce(), { size: SIZE });

  for (const fault of planned)
    expect({ action: fault.action.type, fired: fault.fired }).toEqual({
      action: fault.action.type,
      fired: 1,
    });
  expect(drive.tokens.refreshes).toBe(1);
  expect(drive.sleeps.some((ms) => ms >= 2000)).toBe(true);

  const stored = drive.running.emulator.state.files().filter((record) => record.name === 'pack');
  expect(stored).toHaveLength(1);
  expect(stored[0]?.content).toMatchObject({ size: SIZE, sha256: expected.digest('hex') });

  const counters = drive.running.emulator.counters;
  const uploadMetadata = (counters.requests['upload.resumable.start'] ?? 0) * 200;
  const resent = counters.bytesReceived - SIZE - uploadMetadata;
  const largestChunk = Math.max(...chunkRequests(seen).map((request) => request.bodyBytes));
  expect(largestChunk).toBeLessThanOrEqual(CHUNKS.maxBytes);
  expect(resent).toBeGreaterThan(0);
  expect(resent).toBeLessThanOrEqual(planned.length * largestChunk);
  // The new worker continued the first one's session: only the lost session made a second.
  expect(counters.requests['upload.resumable.start']).toBe(2);
}, 120_000);

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 3000 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}
