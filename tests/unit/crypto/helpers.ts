import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { type CryptoErrorCode, isCryptoError } from '../../../utils/crypto/errors';
import type { RandomSource } from '../../../utils/crypto/random';

/** Shared by the crypto tests: fixtures, deterministic randomness, and error assertions. */

export function readVectors<T>(file: string): T {
  const path = fileURLToPath(new URL(`../../fixtures/vectors/${file}`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export function hex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'hex'));
}

export function toHexString(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** The BLAKE3 test-vector input pattern, also used for our own plaintexts: byte i = i % 251. */
export function patternBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = i % 251;
  return out;
}

/** A random source that hands out the given byte strings in order (and fails if asked for anything else). */
export function scriptedRandom(...outputs: Uint8Array[]): RandomSource {
  const queue = [...outputs];
  return (length) => {
    const next = queue.shift();
    if (next === undefined || next.length !== length) {
      throw new Error(`scriptedRandom: asked for ${length} bytes, next scripted output is ${next?.length}`);
    }
    return next;
  };
}

/** Deterministic stream of distinct bytes (xorshift), for tests that only need "some" randomness. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0 || 1;
  return (length) => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      out[i] = state & 255;
    }
    return out;
  };
}

/** Asserts that `promise` rejects with a CryptoError of `code`, and returns it for further checks. */
export async function expectCryptoError(promise: Promise<unknown>, code: CryptoErrorCode): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(isCryptoError(error), `expected a CryptoError(${code}), got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  return error as Error;
}

/** Synchronous counterpart of expectCryptoError. */
export function expectCryptoErrorSync(run: () => unknown, code: CryptoErrorCode): Error {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(isCryptoError(caught), `expected a CryptoError(${code}), got ${String(caught)}`).toBe(true);
  expect((caught as { code: string }).code).toBe(code);
  return caught as Error;
}

export async function collectStream(readable: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of readable) parts.push(part);
  return new Uint8Array(Buffer.concat(parts));
}

/** Feeds `bytes` through `transform` in pieces of the given sizes (cycled), returning the output. */
export async function throughStream(
  transform: TransformStream<Uint8Array, Uint8Array>,
  bytes: Uint8Array,
  pieceSizes: readonly number[],
): Promise<Uint8Array> {
  const output = collectStream(transform.readable);
  const writer = transform.writable.getWriter();
  let offset = 0;
  let turn = 0;
  const written = (async () => {
    while (offset < bytes.length) {
      const size = Math.max(1, pieceSizes[turn++ % pieceSizes.length] ?? 1);
      await writer.write(bytes.slice(offset, offset + size));
      offset += size;
    }
    await writer.close();
  })();
  // Both sides fail together when the transform errors; report the readable's error.
  const [result] = await Promise.allSettled([output, written]);
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}
