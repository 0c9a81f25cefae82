import { expect } from 'vitest';
import type { ObjectInfo, Storage } from '@/utils/storage/storage';

export const MiB = 1024 * 1024;

/** Deterministic pseudo-random bytes (xorshift32), so a failure reproduces byte for byte. */
export function patternBytes(length: number, seed = 1): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let state = seed | 0 || 1;
  for (let i = 0; i < length; i += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

/** A stream yielding exactly `chunks`, one per pull. */
export function streamOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index];
      index += 1;
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
  });
}

/** Cuts `bytes` into chunks of the given sizes, cycling through them (irregular on purpose). */
export function cutIntoChunks(bytes: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (let i = 0; offset < bytes.length; i += 1) {
    const size = sizes[i % sizes.length] ?? 1;
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  const joined = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  return joined;
}

/**
 * Asserts equal bytes with a readable failure (length, first differing index) and without
 * Vitest's element-by-element diff, which crawls on multi-MiB arrays.
 */
export function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  let firstDifference = -1;
  const common = Math.min(actual.length, expected.length);
  for (let i = 0; i < common; i += 1) {
    if (actual[i] !== expected[i]) {
      firstDifference = i;
      break;
    }
  }
  expect({ length: actual.length, firstDifference }).toEqual({
    length: expected.length,
    firstDifference: -1,
  });
}

export async function listAll(storage: Storage, prefix: string): Promise<ObjectInfo[]> {
  const found: ObjectInfo[] = [];
  for await (const info of storage.list(prefix)) found.push(info);
  return found;
}

/** Listed names, sorted (list order is unspecified), duplicates kept so a test can catch them. */
export async function listNames(storage: Storage, prefix: string): Promise<string[]> {
  return (await listAll(storage, prefix)).map((info) => info.name).sort();
}

/** The rejection of `promise`, failing the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the call to reject, but it resolved');
}

/** A stream of `chunks` that records whether, and why, its consumer cancelled it. */
export function trackedStream(chunks: readonly Uint8Array[]) {
  const state = { cancelled: false, reason: undefined as unknown };
  let index = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index];
      index += 1;
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
    cancel(reason) {
      state.cancelled = true;
      state.reason = reason;
    },
  });
  return { stream, state };
}
