import type { KeyValueStore } from './key-value-store';

/**
 * Resumable upload sessions remembered across service workers. Chrome may stop the worker in the
 * middle of a 100 MiB upload; the next worker puts the same object again, finds its session here
 * and, once the data proves to be the same, continues where Drive says it stopped instead of
 * sending everything again.
 *
 * A record only says "these bytes were already sent": the new attempt must prove it carries the
 * same data. `headMd5` (its first 256 KiB) is checked while those bytes are still in memory, so a
 * producer that makes different bytes (re-encryption with new nonces) simply starts a new
 * session; `prefixMd5` (everything Drive confirmed) is checked before anything more is sent.
 */
export interface UploadRecord {
  /** The session URI Drive gave at initiation. */
  uri: string;
  /** Total size, or null when the data was a stream of unknown size. */
  size: number | null;
  /** Bytes Drive confirmed, at the end of a chunk. */
  confirmed: number;
  prefixMd5: string;
  headMd5: string;
  /** When the session began (ms since the epoch). */
  startedAt: number;
}

/** How much of the start of an upload is compared before resuming (one Drive granule). */
export const HEAD_BYTES = 256 * 1024;

/** Drive keeps an unfinished session for a week; give up on ours a day before that. */
export const SESSION_LIFETIME_MS = 6 * 24 * 60 * 60 * 1000;

const STORE_KEY = 'chatvault.drive.uploadSessions';

type RecordMap = Record<string, UploadRecord>;

export class UploadSessionStore {
  readonly #store: KeyValueStore | undefined;
  readonly #now: () => number;
  // One read-modify-write at a time: parallel uploads must not overwrite each other's records.
  #queue: Promise<unknown> = Promise.resolve();
  readonly #claimed = new Set<string>();

  /** Without a store, sessions live only as long as one put (nothing to resume after a restart). */
  constructor(store: KeyValueStore | undefined, now: () => number) {
    this.#store = store;
    this.#now = now;
  }

  /**
   * Reserves the record of `key` for one running upload. Two puts of one object at once must not
   * both continue one session; the second gets `false` and neither reads nor writes the record.
   */
  claim(key: string): boolean {
    if (this.#claimed.has(key)) return false;
    this.#claimed.add(key);
    return true;
  }

  release(key: string): void {
    this.#claimed.delete(key);
  }

  async load(key: string): Promise<UploadRecord | undefined> {
    if (!this.#store) return undefined;
    const records = await this.#serial(() => this.#read());
    const record = records[key];
    return record && this.#isLive(record) ? record : undefined;
  }

  save(key: string, record: UploadRecord): Promise<void> {
    return this.#update((records) => {
      records[key] = record;
    });
  }

  remove(key: string): Promise<void> {
    return this.#update((records) => {
      delete records[key];
    });
  }

  async #update(change: (records: RecordMap) => void): Promise<void> {
    if (!this.#store) return;
    const store = this.#store;
    await this.#serial(async () => {
      const records = await this.#read();
      change(records);
      // Expired sessions are dropped on the way, so records of abandoned uploads do not pile up.
      for (const [key, record] of Object.entries(records)) if (!this.#isLive(record)) delete records[key];
      if (Object.keys(records).length === 0) await store.remove(STORE_KEY);
      else await store.set(STORE_KEY, records);
    });
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => {});
    return run;
  }

  async #read(): Promise<RecordMap> {
    const value = await (this.#store as KeyValueStore).get(STORE_KEY);
    if (typeof value !== 'object' || value === null) return {};
    const records: RecordMap = {};
    for (const [key, record] of Object.entries(value as Record<string, unknown>)) {
      if (isUploadRecord(record)) records[key] = record;
    }
    return records;
  }

  #isLive(record: UploadRecord): boolean {
    const age = this.#now() - record.startedAt;
    return age >= 0 && age < SESSION_LIFETIME_MS;
  }
}

function isUploadRecord(value: unknown): value is UploadRecord {
  const record = value as UploadRecord | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.uri === 'string' &&
    /^https?:\/\//.test(record.uri) &&
    (record.size === null || (Number.isSafeInteger(record.size) && record.size >= 0)) &&
    Number.isSafeInteger(record.confirmed) &&
    record.confirmed >= HEAD_BYTES &&
    typeof record.prefixMd5 === 'string' &&
    typeof record.headMd5 === 'string' &&
    Number.isFinite(record.startedAt)
  );
}
