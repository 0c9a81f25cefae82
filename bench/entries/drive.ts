import { performance } from 'node:perf_hooks';
import { type RunningDriveEmulator, startDriveEmulator } from '../../tests/support/drive-emulator';
import { createTokenRegistry } from '../../tests/support/oauth-server';
import { staticAccessToken } from '../../utils/storage/drive/access-token';
import { DriveStorage } from '../../utils/storage/drive/drive-storage';
import { type BenchResult, median, round } from '../result';

const MiB = 1024 * 1024;
const CLIENT_ID = 'bench.apps.googleusercontent.com';
const SCOPES = ['https://www.googleapis.com/auth/drive.file'];
const RATIO_BYTES = 128 * MiB;
const RUNS = 3;
/** The repository's default pack size (utils/repo/config.ts): what a backup actually uploads. */
const PACK_BYTES = 32 * MiB;

/**
 * The Drive backend against the emulator on loopback:
 * - `drive.upload.ratio_vs_raw`: throughput of `put` (resumable chunks, MD5 check, duplicate
 *   cleanup) divided by that of one raw `fetch` PUT of the same bytes to a resumable session, in
 *   the same run. Loopback removes the network, so what is left is the backend's own overhead.
 * - `drive.requests_per_gib`: every request a fresh backend needs to store 1 GiB as 32 MiB
 *   packs, folder creation included.
 */
export async function benchDrive(): Promise<BenchResult[]> {
  const tokens = createTokenRegistry();
  tokens.grant(CLIENT_ID, SCOPES);
  const token = tokens.issue({ clientId: CLIENT_ID, scopes: SCOPES }).token;
  const drive = await startDriveEmulator({ tokens, clientId: CLIENT_ID, onError: () => {} });
  try {
    return [await uploadRatio(drive, token), await requestsPerGib(drive, token)];
  } finally {
    await drive.close();
  }
}

async function uploadRatio(drive: RunningDriveEmulator, token: string): Promise<BenchResult> {
  const bytes = payload(RATIO_BYTES);
  const storage = new DriveStorage({ tokens: staticAccessToken(token), apiRoot: drive.url });
  const backendMs: number[] = [];
  const rawMs: number[] = [];
  // Run 0 warms up both paths (folders created, chunk size grown to the line's speed).
  for (let run = 0; run <= RUNS; run += 1) {
    let started = performance.now();
    await storage.put(`data/bench-${run}`, bytes);
    if (run > 0) backendMs.push(performance.now() - started);
    forgetFiles(drive);

    const session = await startRawSession(drive, token, bytes.length);
    started = performance.now();
    const response = await fetch(session, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}` },
      body: bytes,
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`raw PUT failed: ${response.status}`);
    if (run > 0) rawMs.push(performance.now() - started);
    forgetFiles(drive);
  }
  const backend = median(backendMs);
  const raw = median(rawMs);
  return {
    name: 'drive.upload.ratio_vs_raw',
    value: round(raw / backend),
    unit: 'x',
    reference: round(RATIO_BYTES / MiB / (raw / 1000), 1),
    ratio: round(raw / backend),
    note: `${RATIO_BYTES / MiB} MiB, median of ${RUNS}; backend ${round(RATIO_BYTES / MiB / (backend / 1000), 1)} MiB/s, reference = raw MiB/s; goal >= 0.8`,
  };
}

async function requestsPerGib(drive: RunningDriveEmulator, token: string): Promise<BenchResult> {
  drive.emulator.reset();
  const storage = new DriveStorage({ tokens: staticAccessToken(token), apiRoot: drive.url });
  const pack = payload(PACK_BYTES);
  const packs = (1024 * MiB) / PACK_BYTES;
  for (let i = 0; i < packs; i += 1) {
    await storage.put(`data/pack-${String(i).padStart(4, '0')}`, pack);
    // Dropped behind the backend's back, so 1 GiB never sits in the emulator's memory.
    forgetFiles(drive);
  }
  const counters = drive.emulator.counters;
  return {
    name: 'drive.requests_per_gib',
    value: counters.totalRequests,
    unit: 'requests',
    note: `${packs} packs of ${PACK_BYTES / MiB} MiB from a fresh backend, folders included: ${JSON.stringify(counters.requests)}`,
  };
}

async function startRawSession(drive: RunningDriveEmulator, token: string, size: number): Promise<string> {
  const response = await fetch(`${drive.url}upload/drive/v3/files?uploadType=resumable`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json; charset=UTF-8',
      'x-upload-content-length': String(size),
    },
    body: JSON.stringify({ name: 'raw' }),
  });
  const location = response.headers.get('location');
  if (!response.ok || !location) throw new Error(`raw session failed: ${response.status}`);
  return location;
}

/** Removes stored files (not folders) directly in the emulator, without requests. */
function forgetFiles(drive: RunningDriveEmulator): void {
  const state = drive.emulator.state;
  for (const file of state.files())
    if (file.mimeType !== 'application/vnd.google-apps.folder') state.deleteTree(file.id);
}

function payload(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let state = 0x9e3779b9;
  const words = new Uint32Array(bytes.buffer);
  for (let i = 0; i < words.length; i += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    words[i] = state >>> 0;
  }
  return bytes;
}
