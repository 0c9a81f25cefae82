import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBE_PREFIX } from '@/utils/storage/drive/connection-check';
import { FOLDER_MIME_TYPE, type UploadSession } from '../support/drive-emulator';
import { approveGoogleConsent, buildConfiguredExtension, E2E_WEB_CLIENT_ID } from './support/google';
import { waitUntil } from './support/launch';
import { startWorld, type World } from './support/stand-ins';

/**
 * The "a forced service-worker termination mid-upload", in real Chromium: the production
 * service worker uploads a large probe through a resumable session (the options page's
 * `drive/check`), Chrome stops the worker half-way, and Drive must show nothing half-written while
 * a fresh worker answers and completes a new check.
 *
 * Resuming is promised per object: a new worker putting the same object with the same bytes
 * continues the persisted session (upload-sessions.ts; proven in Node by drive-survival.test.ts).
 * A connection check writes a new probe every time — a new random name and new random bytes — so
 * the new worker must not touch the old session: it starts a session of its own.
 */

const PROBE_BYTES = 32 * 1024 * 1024;
// ~16 s for the whole probe: a stop shortly after the first chunk is confirmed lands mid-upload.
const UPLOAD_BYTES_PER_SECOND = 2 * 1024 * 1024;

/** What the worker persisted in storage.local about one resumable upload (upload-sessions.ts). */
interface PersistedUpload {
  key: string;
  uri: string;
  confirmed: number;
}

type CheckAnswer = { ok: boolean; value?: { outcome: string; probeBytes?: number; code?: string } };

let configuredBuild: string;

beforeAll(async () => {
  // Its own output folder, so a parallel run of another Google e2e file cannot rebuild it under us.
  configuredBuild = await buildConfiguredExtension('e2e-google-worker-stop', {
    WXT_GOOGLE_WEB_CLIENT_ID: E2E_WEB_CLIENT_ID,
  });
});

async function signIn(world: World): Promise<Page> {
  const page = await world.session.openPage('options.html');
  await page.waitForSelector('[data-testid="drive-card"][data-state="signed-out"]');
  await approveGoogleConsent(world.session.browser, page);
  await page.waitForSelector('[data-testid="drive-card"][data-state="signed-in"]', { timeout: 30_000 });
  return page;
}

/** Files a user would see in Drive, folders aside. */
function visibleFiles(world: World): string[] {
  return world
    .google!.drive.state.files()
    .filter((file) => file.mimeType !== FOLDER_MIME_TYPE)
    .map((file) => file.name);
}

/**
 * The probe uploads the worker has persisted, found by shape rather than by the store's private
 * key: any storage.local value mapping `<folder id>/<probe name>` to a record with a session URI.
 */
async function persistedProbeUploads(page: Page): Promise<PersistedUpload[]> {
  const everything = await page.evaluate(() => {
    const { chrome: extension } = globalThis as unknown as {
      chrome: { storage: { local: { get(keys: null): Promise<Record<string, unknown>> } } };
    };
    return extension.storage.local.get(null);
  });
  const found: PersistedUpload[] = [];
  for (const value of Object.values(everything)) {
    if (typeof value !== 'object' || value === null) continue;
    for (const [key, record] of Object.entries(value as Record<string, unknown>)) {
      const { uri, confirmed } = (record ?? {}) as Partial<PersistedUpload>;
      if (
        key.split('/').pop()?.startsWith(PROBE_PREFIX) &&
        typeof uri === 'string' &&
        typeof confirmed === 'number'
      )
        found.push({ key, uri, confirmed });
    }
  }
  return found;
}

function sessionOf(world: World, upload: PersistedUpload): UploadSession {
  const id = new URL(upload.uri).searchParams.get('upload_id');
  const session = world.google!.drive.state.sessions().find((candidate) => candidate.id === id);
  if (!session) throw new Error(`The emulator has no upload session ${id} (from ${upload.uri})`);
  return session;
}

function check(page: Page, probeBytes: number): Promise<CheckAnswer> {
  return page.evaluate(
    (bytes) => chrome.runtime.sendMessage({ type: 'drive/check', request: { probeBytes: bytes } }),
    probeBytes,
  ) as Promise<CheckAnswer>;
}

describe('the service worker stopped in the middle of a resumable upload', () => {
  let world: World;

  beforeAll(async () => {
    world = await startWorld({ extensionDir: configuredBuild, google: true });
  });

  afterAll(async () => {
    await world?.close();
  });

  it('leaves nothing half-written in Drive, and a fresh worker completes a new check in a session of its own', async () => {
    const page = await signIn(world);
    const drive = world.google!.drive;
    drive.resetCounters();
    const slowLine = drive.faults.bandwidth(UPLOAD_BYTES_PER_SECOND, {
      kind: 'upload.resumable.chunk',
      direction: 'request',
    });

    // Settles (with an error) only once the worker is gone; a catch keeps it from being unhandled.
    const interrupted = check(page, PROBE_BYTES).then(
      (answer) => ({ answer }),
      (error: unknown) => ({ error: String(error) }),
    );
    let persisted: PersistedUpload | undefined;
    await waitUntil(
      async () => {
        [persisted] = await persistedProbeUploads(page);
        return persisted !== undefined && persisted.confirmed > 0;
      },
      60_000,
      'the worker to persist its upload session after a confirmed chunk',
    );
    const upload = persisted!;
    expect(upload.confirmed).toBeLessThan(PROBE_BYTES);

    await world.session.stopServiceWorker();
    // Let the emulator finish with the chunk request the worker had in flight when it died.
    await waitUntil(() => drive.inFlight === 0, 30_000, 'the cut chunk request to end');
    const outcome = await interrupted;
    // The page never gets an answer from the stopped worker, least of all a "passed".
    expect(outcome).toEqual({ error: expect.any(String) });

    // (1) Nothing half-written: no probe file, complete or partial; the session is unfinished, and
    // Drive holds at least what the worker recorded as confirmed (never the other way round).
    expect(visibleFiles(world)).toEqual([]);
    const stopped = sessionOf(world, upload);
    expect(stopped.completedFileId).toBeUndefined();
    expect(stopped.stored).toBeGreaterThanOrEqual(upload.confirmed);
    expect(stopped.stored).toBeLessThan(PROBE_BYTES);

    // (2) A fresh worker (the old one is gone; a message starts a new one) answers, still signed
    // in, and a new check of the same size completes.
    slowLine.remove();
    drive.resetCounters();
    const status = await page.evaluate(() =>
      chrome.runtime.sendMessage({ type: 'drive/status', request: {} }),
    );
    expect(status).toMatchObject({ ok: true, value: { configured: true, signedIn: true } });
    await world.session.worker();
    const answer = await check(page, PROBE_BYTES);
    expect(answer).toMatchObject({ ok: true, value: { outcome: 'passed', probeBytes: PROBE_BYTES } });
    expect(visibleFiles(world)).toEqual([]);

    // (3) A new probe is a new object with new bytes, so the new worker must not resume the old
    // session: resuming begins with a status query on it, and a new object begins a session of its
    // own. (The old session itself may still grow after the stop: Chrome can deliver the chunk the
    // dead worker had already handed to the network, which is why a resume asks Drive first.)
    const counters = drive.counters;
    expect(counters.requests['upload.resumable.start']).toBe(1);
    expect(counters.requests['upload.resumable.status'] ?? 0).toBe(0);
    expect(sessionOf(world, upload).completedFileId).toBeUndefined();
    const finished = drive.state.sessions().filter((session) => session.completedFileId !== undefined);
    expect(finished).toHaveLength(1);
    expect(finished[0]?.id).not.toBe(stopped.id);
    const leftOver = (await persistedProbeUploads(page)).filter((record) => record.key !== upload.key);
    expect(leftOver).toEqual([]);
    expect(drive.unexpectedErrors).toEqual([]);
  });
});
