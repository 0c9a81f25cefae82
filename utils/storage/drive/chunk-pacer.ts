/** Drive's upload granularity: every chunk but the last is a multiple of it (256 KiB). */
export const UPLOAD_GRANULE = 256 * 1024;

export interface ChunkPolicy {
  /** First chunk, before anything was measured. */
  initialBytes: number;
  minBytes: number;
  /** Caps memory: a chunk is held until Drive confirms it, so it can be sent again. */
  maxBytes: number;
  /** How long one chunk request should take at the measured speed. */
  targetSeconds: number;
}

/**
 * Chrome gives up on a fetch whose response takes more than 30 s and may stop the service worker
 * with it, and an upload's response comes only after its whole body was sent. A chunk is therefore
 * sized to take `targetSeconds` (8 s: far inside 30 s even if the speed drops by two thirds) at
 * the speed the last chunks reached. 64 MiB caps memory (a chunk is held until confirmed) and is
 * large enough that a fast line spends its time sending bytes, not starting requests.
 */
export const DEFAULT_CHUNK_POLICY: Readonly<ChunkPolicy> = Object.freeze({
  initialBytes: 1024 * 1024,
  minBytes: UPLOAD_GRANULE,
  maxBytes: 64 * 1024 * 1024,
  targetSeconds: 8,
});

// Growth per step is limited, so one lucky measurement cannot make the next chunk huge.
const MAX_GROWTH = 4;

/** Chooses the next chunk size from the throughput of the chunks before it. */
export class ChunkPacer {
  readonly policy: Readonly<ChunkPolicy>;
  #chunkBytes: number;
  #bytesPerSecond: number | undefined;

  constructor(policy: Partial<ChunkPolicy> = {}) {
    this.policy = checkPolicy({ ...DEFAULT_CHUNK_POLICY, ...policy });
    this.#chunkBytes = this.#clamp(this.policy.initialBytes);
  }

  /** The size of the next chunk: a multiple of 256 KiB within the policy's bounds. */
  get chunkBytes(): number {
    return this.#chunkBytes;
  }

  /** Measured speed (bytes per second), once a chunk went through. */
  get bytesPerSecond(): number | undefined {
    return this.#bytesPerSecond;
  }

  /** A chunk of `bytes` went through in `elapsedMs`. */
  recordSuccess(bytes: number, elapsedMs: number): void {
    if (!(bytes > 0) || !(elapsedMs >= 0)) return;
    // Small chunks measure request latency more than throughput: only trust ones of a granule or more.
    if (bytes < UPLOAD_GRANULE) return;
    const measured = (bytes * 1000) / Math.max(elapsedMs, 1);
    const previous = this.#bytesPerSecond;
    // A slowdown is believed at once (the 30 s limit punishes optimism); a speed-up is averaged in.
    this.#bytesPerSecond =
      previous === undefined || measured < previous ? measured : (previous + measured) / 2;
    const wanted = this.#bytesPerSecond * this.policy.targetSeconds;
    this.#chunkBytes = this.#clamp(Math.min(wanted, this.#chunkBytes * MAX_GROWTH));
  }

  /** A chunk failed or timed out: halve the next one, since the line may be slower than measured. */
  recordFailure(): void {
    this.#chunkBytes = this.#clamp(this.#chunkBytes / 2);
    if (this.#bytesPerSecond !== undefined) this.#bytesPerSecond /= 2;
  }

  #clamp(bytes: number): number {
    const granules = Math.floor(
      Math.min(this.policy.maxBytes, Math.max(this.policy.minBytes, bytes)) / UPLOAD_GRANULE,
    );
    return Math.max(1, granules) * UPLOAD_GRANULE;
  }
}

function checkPolicy(policy: ChunkPolicy): ChunkPolicy {
  for (const key of ['initialBytes', 'minBytes', 'maxBytes'] as const) {
    const value = policy[key];
    if (!Number.isSafeInteger(value) || value < UPLOAD_GRANULE || value % UPLOAD_GRANULE !== 0) {
      throw new RangeError(`Chunk ${key} must be a positive multiple of 256 KiB, got ${value}`);
    }
  }
  if (policy.minBytes > policy.maxBytes) throw new RangeError('Chunk minBytes must not exceed maxBytes');
  if (!(Number.isFinite(policy.targetSeconds) && policy.targetSeconds > 0)) {
    throw new RangeError(`Chunk targetSeconds must be a positive number, got ${policy.targetSeconds}`);
  }
  return policy;
}
