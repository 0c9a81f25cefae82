import { describeValue, requireFunction } from './arguments';
import { invalidArgument } from './errors';

/**
 * Where random bytes come from. Production uses the platform CSPRNG; tests inject a deterministic
 * source so sealed objects and slots have known bytes (known-answer vectors).
 */
export type RandomSource = (length: number) => Uint8Array;

export const systemRandom: RandomSource = (length) => crypto.getRandomValues(new Uint8Array(length));

/**
 * Draws `length` bytes and checks the source kept its contract: an injected source that returns
 * too few bytes would otherwise silently produce short keys or nonces.
 */
export function drawRandom(random: unknown, length: number, purpose: string): Uint8Array<ArrayBuffer> {
  const source = requireFunction<RandomSource>('random', random ?? systemRandom);
  const bytes: unknown = source(length);
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    const got = bytes instanceof Uint8Array ? `${bytes.length} bytes` : describeValue(bytes);
    throw invalidArgument(`random source must return ${length} bytes for the ${purpose}, got ${got}`);
  }
  // Copy so a source that reuses one buffer cannot change a key after we took it.
  return new Uint8Array(bytes);
}
