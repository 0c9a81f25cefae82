import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/**
 * Bytes of stored files and of unfinished upload sessions, keyed by an emulator-chosen name
 * (file ids and `session-<upload id>`, both URL-safe). Synchronous on purpose: the emulator
 * handles one request step at a time, so a sync store leaves no interleavings to reason about,
 * and the data sizes in tests are MiBs.
 */
export interface ContentStore {
  read(key: string): Buffer;
  /** Bytes `[start, end)` of an entry, clamped to its size. */
  readRange(key: string, start: number, end: number): Buffer;
  write(key: string, data: Uint8Array): void;
  append(key: string, data: Uint8Array): void;
  size(key: string): number;
  remove(key: string): void;
  clear(): void;
}

export class MemoryContentStore implements ContentStore {
  readonly #entries = new Map<string, Buffer[]>();

  read(key: string): Buffer {
    const parts = this.#entries.get(key) ?? [];
    if (parts.length > 1) this.#entries.set(key, [Buffer.concat(parts)]);
    return this.#entries.get(key)?.[0] ?? Buffer.alloc(0);
  }

  readRange(key: string, start: number, end: number): Buffer {
    return this.read(key).subarray(start, end);
  }

  write(key: string, data: Uint8Array): void {
    this.#entries.set(key, [Buffer.from(data)]);
  }

  append(key: string, data: Uint8Array): void {
    const parts = this.#entries.get(key) ?? [];
    parts.push(Buffer.from(data));
    this.#entries.set(key, parts);
  }

  size(key: string): number {
    return (this.#entries.get(key) ?? []).reduce((total, part) => total + part.length, 0);
  }

  remove(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** One file per entry under `<directory>/content/`, so a restarted emulator finds them again. */
export class DirectoryContentStore implements ContentStore {
  readonly #root: string;

  constructor(directory: string) {
    this.#root = join(directory, 'content');
    mkdirSync(this.#root, { recursive: true });
  }

  read(key: string): Buffer {
    const path = this.#path(key);
    return existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
  }

  readRange(key: string, start: number, end: number): Buffer {
    // Whole-file read then slice: simple, and test files are small.
    return this.read(key).subarray(start, end);
  }

  write(key: string, data: Uint8Array): void {
    writeFileSync(this.#path(key), data);
  }

  append(key: string, data: Uint8Array): void {
    appendFileSync(this.#path(key), data);
  }

  size(key: string): number {
    const path = this.#path(key);
    return existsSync(path) ? statSync(path).size : 0;
  }

  remove(key: string): void {
    rmSync(this.#path(key), { force: true });
  }

  clear(): void {
    rmSync(this.#root, { recursive: true, force: true });
    mkdirSync(this.#root, { recursive: true });
  }

  #path(key: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(key)) throw new Error(`Unsafe content key ${JSON.stringify(key)}`);
    return join(this.#root, key);
  }
}
