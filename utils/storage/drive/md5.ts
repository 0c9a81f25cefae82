import { createMD5, type IHasher } from 'hash-wasm';

/**
 * An MD5 over the bytes of an upload, fed as they are confirmed by Drive, to check against the
 * `md5Checksum` Drive computes of what it stored. MD5 is no defence against an attacker (the
 * repository's AEAD is); it catches bytes lost or doubled on the way, which is all this check is
 * for, and it is the checksum Drive reports for every file with content. hash-wasm runs it as
 * WebAssembly at several hundred MB/s (the extension's CSP allows 'wasm-unsafe-eval').
 */
export class RunningMd5 {
  readonly #hasher: IHasher;
  readonly #probe: IHasher;
  #length = 0;

  private constructor(hasher: IHasher, probe: IHasher) {
    this.#hasher = hasher;
    this.#probe = probe;
  }

  static async create(): Promise<RunningMd5> {
    const [hasher, probe] = await Promise.all([createMD5(), createMD5()]);
    return new RunningMd5(hasher, probe);
  }

  /** Bytes hashed so far. */
  get length(): number {
    return this.#length;
  }

  update(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#hasher.update(bytes);
    this.#length += bytes.length;
  }

  /** The hex digest of the bytes so far, without ending the running hash. */
  peek(): string {
    return this.#probe.load(this.#hasher.save()).digest('hex');
  }

  /** The state so far, to come back to with `restore` (hashing ahead of confirmation). */
  snapshot(): Md5Snapshot {
    return { state: this.#hasher.save(), length: this.#length };
  }

  restore(snapshot: Md5Snapshot): void {
    this.#hasher.load(snapshot.state);
    this.#length = snapshot.length;
  }

  restart(): void {
    this.#hasher.init();
    this.#length = 0;
  }
}

export interface Md5Snapshot {
  readonly state: Uint8Array;
  readonly length: number;
}

/** The hex MD5 of `bytes`. */
export async function md5Hex(bytes: Uint8Array): Promise<string> {
  const hasher = await createMD5();
  return hasher.update(bytes).digest('hex');
}
