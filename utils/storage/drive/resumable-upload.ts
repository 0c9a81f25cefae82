import { backoffDelayMs } from '../backoff';
import { StorageError } from '../storage';
import { asStorageError } from '../storage-errors';
import type { ByteSource } from './byte-source';
import { type ChunkPacer, UPLOAD_GRANULE } from './chunk-pacer';
import type { DriveApi } from './drive-api';
import { errorFromResponse } from './drive-errors';
import { type DriveFile, FILE_FIELDS } from './drive-files';
import { type Md5Snapshot, md5Hex, RunningMd5 } from './md5';
import { HEAD_BYTES, type UploadRecord, type UploadSessionStore } from './upload-sessions';
import { type UploadRetryPolicy, verifyUploadedFile } from './upload-verification';

/** Where an upload goes and who it reports to. */
export interface UploadTarget {
  /** The object name, for messages and as the session's key. */
  name: string;
  parentId: string;
  /** The file's name in Drive: the last segment of the object name. */
  leaf: string;
  /** Finds (or re-creates) the parent folder after Drive said it is gone. */
  refreshParent(): Promise<string>;
  onProgress?: (storedBytes: number) => void;
  signal?: AbortSignal;
}

export interface UploadContext {
  api: DriveApi;
  sessions: UploadSessionStore;
  pacer: ChunkPacer;
  retry: UploadRetryPolicy;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  now: () => number;
}

// Hashing ahead happens in slices, letting the request's bytes flow in between (Node sends
// them from this thread; a browser sends them elsewhere, but its other events still need turns).
const HASH_SLICE = 4 * 1024 * 1024;

/** Drive forgot the session (404 on its URI): it must start again. */
class SessionLost extends Error {}

/** A failure that ends the upload at once, however retryable its code says it is for the caller. */
class GiveUp extends Error {
  readonly failure: StorageError;
  constructor(failure: StorageError) {
    super(failure.message);
    this.failure = failure;
  }
}

type Outcome = { done: false } | { done: true; file: DriveFile };

/**
 * Drive's resumable upload protocol, made to survive what a service worker on a home network
 * meets: chunks sized from measured throughput (chunk-pacer.ts), a status query after every error
 * and continuation from the Range Drive reports (never from what we think we sent), truncated
 * exponential backoff with jitter that honours Retry-After, a fresh session after a 404, the
 * session persisted after every confirmed chunk so a new service worker can resume it, and the
 * stored file's MD5 compared with what was sent.
 *
 * `initial` holds bytes already read from `source` (the caller looked ahead to choose between a
 * multipart and a resumable upload); they are the start of the data.
 */
export async function uploadResumable(
  context: UploadContext,
  target: UploadTarget,
  source: ByteSource,
  initial: Uint8Array,
): Promise<DriveFile> {
  const upload = new ResumableUpload(context, target, source, initial, await RunningMd5.create());
  return upload.run();
}

class ResumableUpload {
  readonly #context: UploadContext;
  readonly #target: UploadTarget;
  readonly #source: ByteSource;
  readonly #md5: RunningMd5;
  readonly #what: string;
  /** Whether this upload may use the persisted record (no other upload of this object runs here). */
  #owner = false;
  #uri: string | undefined;
  #startedAt = 0;
  /** Bytes Drive has confirmed; #md5 covers exactly these. */
  #confirmed = 0;
  /** Bytes read from the source, starting at #confirmed, not yet confirmed. */
  #pending: Uint8Array;
  #headMd5: string | undefined;
  /**
   * The chunk in flight is hashed while it travels, so hashing costs no time on a fast line.
   * Until Drive confirms it, `#md5` runs `bytes` ahead of `#confirmed`; `before` undoes that.
   */
  #ahead: { bytes: number; before: Md5Snapshot; headBefore: string | undefined } | undefined;
  #needStatus = false;
  /** A persisted session being resumed: the data must prove to be the same before we go on. */
  #verifying: UploadRecord | undefined;
  #failures = 0;

  constructor(
    context: UploadContext,
    target: UploadTarget,
    source: ByteSource,
    initial: Uint8Array,
    md5: RunningMd5,
  ) {
    this.#context = context;
    this.#target = target;
    this.#source = source;
    this.#pending = initial;
    this.#md5 = md5;
    this.#what = `upload of ${target.name}`;
  }

  get #key(): string {
    return `${this.#target.parentId}/${this.#target.leaf}`;
  }

  async run(): Promise<DriveFile> {
    const claimed = this.#key;
    this.#owner = this.#context.sessions.claim(claimed);
    try {
      return await this.#run();
    } finally {
      if (this.#owner) this.#context.sessions.release(claimed);
    }
  }

  async #run(): Promise<DriveFile> {
    await this.#adoptPersistedSession();
    for (;;) {
      try {
        let outcome: Outcome;
        if (this.#uri === undefined) {
          await this.#startSession();
          continue;
        }
        if (this.#needStatus) {
          outcome = await this.#askStatus();
          this.#needStatus = false;
        } else {
          outcome = await this.#sendNextChunk();
        }
        if (outcome.done) return await this.#finish(outcome.file);
      } catch (error) {
        await this.#recover(error);
      }
    }
  }

  /** A session saved by an earlier worker for this object, if the data's first granule matches it. */
  async #adoptPersistedSession(): Promise<void> {
    if (!this.#owner) return;
    const record = await this.#context.sessions.load(this.#key);
    if (!record || record.size !== (this.#source.knownSize ?? null)) return;
    await this.#fill(HEAD_BYTES);
    const head = this.#pending.subarray(0, HEAD_BYTES);
    if (head.length < HEAD_BYTES || (await md5Hex(head)) !== record.headMd5) {
      // Different data under the same name (e.g. encrypted again with new nonces): start afresh.
      await this.#forgetSession();
      return;
    }
    this.#uri = record.uri;
    this.#startedAt = record.startedAt;
    this.#verifying = record;
    this.#needStatus = true;
  }

  async #startSession(): Promise<void> {
    const known = this.#source.knownSize;
    const response = await this.#context.api.send({
      method: 'POST',
      url: 'upload/drive/v3/files',
      query: { uploadType: 'resumable', fields: FILE_FIELDS },
      headers: {
        'content-type': 'application/json; charset=UTF-8',
        'x-upload-content-type': 'application/octet-stream',
        ...(known === undefined ? {} : { 'x-upload-content-length': String(known) }),
      },
      body: JSON.stringify({
        name: this.#target.leaf,
        parents: [this.#target.parentId],
        mimeType: 'application/octet-stream',
      }),
      signal: this.#target.signal,
      what: this.#what,
    });
    if (response.status === 404) {
      await response.body?.cancel().catch(() => {});
      // The parent folder is gone (deleted in Drive's UI): find or make it again, then retry.
      await this.#forgetSession();
      this.#target.parentId = await this.#target.refreshParent();
      throw new StorageError('unavailable', `${this.#what}: the folder in Drive had disappeared`);
    }
    if (!response.ok) throw await errorFromResponse(response, this.#what);
    const location = response.headers.get('location');
    await response.body?.cancel().catch(() => {});
    if (!location) throw new StorageError('unavailable', `${this.#what}: Drive gave no upload session URI`);
    this.#uri = new URL(location, this.#context.api.apiRoot).toString();
    this.#startedAt = this.#context.now();
  }

  async #sendNextChunk(): Promise<Outcome> {
    const chunkBytes = this.#context.pacer.chunkBytes;
    const known = this.#source.knownSize;
    // With an unknown size, one byte more than a chunk is read: a chunk with bytes after it is
    // not the last, which Drive must be told (the last one carries the total).
    await this.#fill(known === undefined ? chunkBytes + 1 : Math.min(chunkBytes, known - this.#confirmed));
    const total = known ?? (this.#source.done ? this.#confirmed + this.#pending.length : undefined);
    const rest = this.#pending.length;
    const isFinal =
      total !== undefined && this.#confirmed + rest === total && rest <= chunkBytes + UPLOAD_GRANULE;
    const body = isFinal ? this.#pending : this.#pending.subarray(0, chunkBytes);
    if (body.length === 0) return this.#askStatus();
    const first = this.#confirmed;
    const started = this.#context.now();
    const sending = this.#context.api.send({
      method: 'PUT',
      url: this.#uri as string,
      headers: {
        'content-type': 'application/octet-stream',
        'content-range': `bytes ${first}-${first + body.length - 1}/${isFinal ? total : (known ?? '*')}`,
      },
      body: body as Uint8Array<ArrayBuffer>,
      signal: this.#target.signal,
      what: this.#what,
    });
    sending.catch(() => {});
    await this.#hashAhead(body);
    const response = await sending;
    if (response.status === 308 || response.ok) {
      this.#context.pacer.recordSuccess(body.length, this.#context.now() - started);
    }
    return this.#outcome(response);
  }

  /** Asks Drive how much it kept (`Content-Range: bytes *\/N`). */
  async #askStatus(): Promise<Outcome> {
    const known =
      this.#source.knownSize ?? (this.#source.done ? this.#confirmed + this.#pending.length : undefined);
    const response = await this.#context.api.send({
      method: 'PUT',
      url: this.#uri as string,
      headers: { 'content-range': `bytes */${known ?? '*'}` },
      body: new Uint8Array(0),
      signal: this.#target.signal,
      what: `${this.#what} (status)`,
    });
    return this.#outcome(response);
  }

  async #outcome(response: Response): Promise<Outcome> {
    if (response.status === 308) {
      const kept = parseKeptBytes(response.headers.get('range'));
      await response.body?.cancel().catch(() => {});
      if (this.#verifying) await this.#catchUp(this.#verifying, kept);
      else await this.#advanceTo(kept);
      return { done: false };
    }
    if (response.ok) {
      try {
        return { done: true, file: (await response.json()) as DriveFile };
      } catch (error) {
        // The upload finished but its answer was lost: a status query returns the file again.
        this.#needStatus = true;
        throw new StorageError('network', `${this.#what}: Drive's final answer was cut off`, {
          cause: error,
        });
      }
    }
    if (response.status === 404) {
      await response.body?.cancel().catch(() => {});
      throw new SessionLost();
    }
    throw await errorFromResponse(response, this.#what);
  }

  /** Drive confirmed bytes up to `kept`: hash them, let them go, remember the session. */
  async #advanceTo(kept: number): Promise<void> {
    const advance = kept - this.#confirmed;
    // Drive never forgets confirmed bytes, nor keeps bytes it was not sent; if it says so, the
    // session is not the one we think it is.
    if (this.#ahead?.bytes !== advance) this.#undoHashAhead();
    if (advance < 0 || advance > this.#pending.length) throw new SessionLost();
    if (advance === 0) return;
    if (this.#ahead) this.#ahead = undefined;
    else this.#hashConfirmed(this.#pending.subarray(0, advance));
    this.#pending = this.#pending.subarray(advance);
    this.#confirmed = kept;
    this.#failures = 0;
    this.#target.onProgress?.(kept);
    await this.#persist();
  }

  /**
   * Resuming a persisted session: Drive holds `kept` bytes. Read (and hash, without sending) that
   * much of the new data, checking on the way that it matches what the earlier attempt sent.
   */
  async #catchUp(record: UploadRecord, kept: number): Promise<void> {
    this.#verifying = undefined;
    this.#undoHashAhead();
    if (kept < record.confirmed) throw new SessionLost();
    await this.#skipConfirmed(record.confirmed);
    if (this.#md5.peek() !== record.prefixMd5) {
      throw new GiveUp(
        new StorageError(
          'corrupt',
          `${this.#what}: the data differs from the interrupted upload it should continue; it must start over`,
          { retryable: true },
        ),
      );
    }
    await this.#skipConfirmed(kept);
    this.#failures = 0;
    this.#target.onProgress?.(kept);
    await this.#persist();
  }

  /** Hashes the data up to `offset` as confirmed, reading from the source what is not in memory yet. */
  async #skipConfirmed(offset: number): Promise<void> {
    while (this.#confirmed < offset) {
      if (this.#pending.length === 0) {
        this.#pending = await this.#source.read(Math.min(offset - this.#confirmed, 4 * 1024 * 1024));
        if (this.#pending.length === 0) throw new SessionLost();
      }
      const take = this.#pending.subarray(0, offset - this.#confirmed);
      this.#hashConfirmed(take);
      this.#pending = this.#pending.subarray(take.length);
      this.#confirmed += take.length;
    }
  }

  async #hashAhead(body: Uint8Array): Promise<void> {
    this.#undoHashAhead();
    const ahead = { bytes: 0, before: this.#md5.snapshot(), headBefore: this.#headMd5 };
    this.#ahead = ahead;
    for (let offset = 0; offset < body.length; offset += HASH_SLICE) {
      const slice = body.subarray(offset, offset + HASH_SLICE);
      this.#hashConfirmed(slice);
      ahead.bytes += slice.length;
      if (ahead.bytes < body.length) await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }

  /** Drive did not confirm exactly the chunk hashed ahead: back to the state of what it did confirm. */
  #undoHashAhead(): void {
    if (!this.#ahead) return;
    this.#md5.restore(this.#ahead.before);
    this.#headMd5 = this.#ahead.headBefore;
    this.#ahead = undefined;
  }

  #hashConfirmed(bytes: Uint8Array): void {
    const headRest = HEAD_BYTES - this.#md5.length;
    if (this.#headMd5 === undefined && headRest > 0 && bytes.length >= headRest) {
      this.#md5.update(bytes.subarray(0, headRest));
      this.#headMd5 = this.#md5.peek();
      this.#md5.update(bytes.subarray(headRest));
    } else {
      this.#md5.update(bytes);
    }
  }

  async #persist(): Promise<void> {
    if (!this.#owner || this.#uri === undefined || this.#headMd5 === undefined) return;
    await this.#context.sessions.save(this.#key, {
      uri: this.#uri,
      size: this.#source.knownSize ?? null,
      confirmed: this.#confirmed,
      prefixMd5: this.#md5.peek(),
      headMd5: this.#headMd5,
      startedAt: this.#startedAt,
    });
  }

  async #forgetSession(): Promise<void> {
    if (this.#owner) await this.#context.sessions.remove(this.#key);
  }

  async #fill(bytes: number): Promise<void> {
    while (this.#pending.length < bytes && !this.#source.done) {
      const piece = await this.#source.read(bytes - this.#pending.length);
      if (piece.length === 0) break;
      this.#pending = this.#pending.length === 0 ? piece : concat(this.#pending, piece);
    }
  }

  async #finish(file: DriveFile): Promise<DriveFile> {
    // Everything not yet hashed (the last chunk; all of it when a resumed session had finished).
    if (this.#ahead?.bytes === this.#pending.length) this.#ahead = undefined;
    else {
      this.#undoHashAhead();
      this.#hashConfirmed(this.#pending);
    }
    let total = this.#confirmed + this.#pending.length;
    this.#pending = new Uint8Array(0);
    for (;;) {
      const piece = await this.#source.read(4 * 1024 * 1024);
      if (piece.length === 0) break;
      this.#hashConfirmed(piece);
      total += piece.length;
    }
    await this.#forgetSession();
    try {
      const verified = await verifyUploadedFile(this.#context.api, file, total, this.#md5.peek(), this.#what);
      this.#target.onProgress?.(total);
      return verified;
    } catch (error) {
      // Drive holds a finished file (or has just discarded it): the session cannot be continued.
      throw new GiveUp(asStorageError(error, this.#what));
    }
  }

  /** Decides what an error means for the upload: try again (after a wait), start over, or give up. */
  async #recover(error: unknown): Promise<void> {
    if (error instanceof SessionLost) {
      await this.#startOver();
      return;
    }
    if (error instanceof GiveUp) {
      await this.#forgetSession();
      throw error.failure;
    }
    const failure = asStorageError(error, this.#what);
    if (this.#source.failed) {
      // The data itself failed (or the put was aborted): no retry can mend that.
      await this.#forgetSession();
      throw failure;
    }
    const keepSession = failure.retryable || failure.code === 'unauthorized';
    if (!keepSession || failure.code === 'aborted') await this.#forgetSession();
    if (!failure.retryable) throw failure;
    this.#failures += 1;
    if (this.#failures >= this.#context.retry.maxAttempts) throw failure;
    this.#context.pacer.recordFailure();
    const backoff = backoffDelayMs(this.#failures, this.#context.retry, this.#context.random);
    const asked = (failure.retryAfterSeconds ?? 0) * 1000;
    try {
      await this.#context.sleep(Math.max(backoff, asked), this.#target.signal);
    } catch (aborted) {
      await this.#forgetSession();
      throw asStorageError(aborted, this.#what);
    }
    // Whatever went wrong, Drive may have kept part of the chunk: ask before sending anything.
    if (this.#uri !== undefined) this.#needStatus = true;
  }

  /** After a 404 on the session: a new session, from byte 0 if the data can be produced again. */
  async #startOver(): Promise<void> {
    await this.#forgetSession();
    this.#failures += 1;
    const lost = new StorageError(
      'unavailable',
      `${this.#what}: Google Drive lost the upload session after ${this.#confirmed} bytes; ` +
        'streamed data cannot be sent again, so the upload has to start over',
    );
    if (this.#failures >= this.#context.retry.maxAttempts) throw lost;
    this.#uri = undefined;
    this.#needStatus = false;
    this.#verifying = undefined;
    if (this.#source.replayable) {
      this.#source.rewind();
      this.#pending = new Uint8Array(0);
    } else if (this.#confirmed > 0 || this.#source.position > this.#pending.length) {
      // Some bytes were let go of (confirmed, or skipped while resuming): they cannot come back.
      throw lost;
    }
    this.#confirmed = 0;
    this.#ahead = undefined;
    this.#headMd5 = undefined;
    this.#md5.restart();
  }
}

/** The bytes Drive kept, from a 308's `Range: bytes=0-n` (none when the header is absent). */
export function parseKeptBytes(range: string | null): number {
  if (range === null) return 0;
  const match = /^bytes=0-(\d+)$/i.exec(range.trim());
  if (!match) throw new StorageError('unavailable', `Drive sent an unreadable Range header: ${range}`);
  return Number(match[1]) + 1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}
