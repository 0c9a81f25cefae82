import { StorageError } from '../storage';
import type { DriveAbout, DriveStorage } from './drive-storage';

export const DEFAULT_PROBE_BYTES = 64 * 1024;
export const MAX_PROBE_BYTES = 64 * 1024 * 1024;
/** Probe objects sit at the top of the backup folder; the leading dot keeps them out of the layout. */
export const PROBE_PREFIX = '.connection-check-';

export interface ConnectionReport {
  /** e.g. `Google Drive folder "ChatVault Backups"`. */
  folder: string;
  email?: string;
  limitBytes?: number;
  usageBytes: number;
  probeBytes: number;
  uploadMs: number;
  downloadMs: number;
}

/**
 * The settings page's "Test connection": everything a backup will do, on a probe object — write
 * it, find it in a listing, read it back whole and in part, delete it — plus the account's quota.
 * The probe is deleted even when a step fails; any failure is the StorageError of that step.
 */
export async function checkDriveConnection(
  storage: DriveStorage,
  options: { probeBytes?: number; now?: () => number } = {},
): Promise<ConnectionReport> {
  const probeBytes = options.probeBytes ?? DEFAULT_PROBE_BYTES;
  if (!Number.isSafeInteger(probeBytes) || probeBytes < 1 || probeBytes > MAX_PROBE_BYTES) {
    throw new StorageError('internal', `The probe must be 1 byte to 64 MiB, not ${probeBytes}`, {
      retryable: false,
    });
  }
  const now = options.now ?? (() => performance.now());
  const about: DriveAbout = await storage.about();
  const name = `${PROBE_PREFIX}${randomHex(8)}`;
  const probe = randomBytes(probeBytes);
  let uploadMs = 0;
  let downloadMs = 0;
  try {
    const started = now();
    await storage.put(name, probe, { size: probe.length });
    uploadMs = now() - started;
    const listed = await findListed(storage, name);
    if (listed !== probe.length) {
      throw new StorageError(
        'internal',
        `The probe ${name} was stored but the folder listing shows ${listed ?? 'nothing'}`,
      );
    }
    const reading = now();
    const back = await storage.get(name);
    downloadMs = now() - reading;
    const middle = Math.floor(probe.length / 2);
    const part = await storage.get(name, { offset: middle, length: 16 });
    if (!sameBytes(back, probe) || !sameBytes(part, probe.subarray(middle, middle + 16))) {
      throw new StorageError('corrupt', `The probe ${name} read back different from what was written`, {
        retryable: true,
      });
    }
  } finally {
    await storage.delete(name).catch(() => {});
  }
  if ((await storage.stat(name)) !== undefined) {
    throw new StorageError('internal', `The probe ${name} is still there after it was deleted`);
  }
  return {
    folder: storage.description,
    email: about.email,
    limitBytes: about.limitBytes,
    usageBytes: about.usageBytes,
    probeBytes,
    uploadMs,
    downloadMs,
  };
}

/** A stable code and a readable message for any failure of Drive or of the sign-in behind it. */
export function describeDriveFailure(error: unknown): { code: string; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  const cause = (error as { cause?: { name?: unknown; code?: unknown } } | null)?.cause;
  // A sign-in failure travels inside StorageError('unauthorized'); its own code says more.
  if (cause?.name === 'AuthError' && typeof cause.code === 'string') return { code: cause.code, message };
  const code = (error as { code?: unknown } | null)?.code;
  return { code: typeof code === 'string' ? code : 'failed', message };
}

async function findListed(storage: DriveStorage, name: string): Promise<number | undefined> {
  for await (const info of storage.list(PROBE_PREFIX)) if (info.name === name) return info.size;
  return undefined;
}

function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  // getRandomValues fills at most 64 KiB per call.
  for (let offset = 0; offset < length; offset += 65_536) {
    crypto.getRandomValues(bytes.subarray(offset, Math.min(length, offset + 65_536)));
  }
  return bytes;
}

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}
