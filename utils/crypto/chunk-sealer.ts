import { aesGcmEncrypt, importAesGcmKey } from './aes-gcm';
import { requireBytes, requireOptions } from './arguments';
import { invalidArgument } from './errors';
import { chunkNonce, chunkSizeLog2Of, DEFAULT_CHUNK_SIZE, encodeObjectHeader } from './object-format';
import { deriveObjectKeys } from './object-keys';
import { drawRandom, type RandomSource } from './random';
import { KEY_LENGTH } from './repository-keys';
import { x25519PublicKey, x25519SharedSecret } from './x25519';

export interface SealOptions {
  /** Plaintext bytes per chunk: a power of two from 4 KiB to 16 MiB. Default DEFAULT_CHUNK_SIZE. */
  readonly chunkSize?: number;
  /** Randomness for the ephemeral key; tests inject a fixed source. Default: the system CSPRNG. */
  readonly random?: RandomSource;
}

/** Header and payload key of one object about to be sealed. Computed synchronously so bad arguments throw at the call. */
export interface SealPlan {
  readonly header: Uint8Array<ArrayBuffer>;
  readonly chunkSize: number;
  readonly payloadKey: Uint8Array;
}

export function planSeal(publicKey: Uint8Array, options?: SealOptions): SealPlan {
  requireBytes('publicKey', publicKey, KEY_LENGTH);
  const opts = requireOptions('options', options);
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const chunkSizeLog2 = chunkSizeLog2Of('options.chunkSize', chunkSize);
  // A fresh ephemeral key per object gives every object its own payload key, which is what makes
  // plain counter nonces safe.
  const ephemeralSecret = drawRandom(opts.random, KEY_LENGTH, 'ephemeral X25519 key');
  const ephemeralPublicKey = x25519PublicKey(ephemeralSecret);
  const shared = x25519SharedSecret(ephemeralSecret, publicKey, 'invalid-argument', 'publicKey');
  ephemeralSecret.fill(0);
  const { payloadKey, commitment } = deriveObjectKeys(shared, ephemeralPublicKey, publicKey);
  return {
    header: encodeObjectHeader(chunkSizeLog2, ephemeralPublicKey, commitment),
    chunkSize: 2 ** chunkSizeLog2,
    payloadKey,
  };
}

/**
 * Seals the chunks of one object in order. It enforces the STREAM rules itself (full chunks
 * before the last, at most one final chunk, no empty final chunk after data) so no caller can
 * produce a non-canonical object or reuse a nonce.
 */
export class ChunkSealer {
  private nextIndex = 0;
  private finished = false;

  private constructor(
    private readonly key: CryptoKey,
    readonly header: Uint8Array<ArrayBuffer>,
    readonly chunkSize: number,
  ) {}

  static async start(plan: SealPlan): Promise<ChunkSealer> {
    const key = await importAesGcmKey(plan.payloadKey, 'encrypt');
    // The non-extractable CryptoKey is all that is needed from here on; drop the raw bytes.
    plan.payloadKey.fill(0);
    return new ChunkSealer(key, plan.header, plan.chunkSize);
  }

  async sealChunk(plain: Uint8Array, last: boolean): Promise<Uint8Array<ArrayBuffer>> {
    if (this.finished)
      throw invalidArgument('the object is already finished: no chunk may follow the final one');
    if (!last && plain.length !== this.chunkSize) {
      throw invalidArgument(
        `a chunk before the last must be exactly ${this.chunkSize} bytes, got ${plain.length}`,
      );
    }
    if (plain.length > this.chunkSize) {
      throw invalidArgument(`a chunk may hold at most ${this.chunkSize} bytes, got ${plain.length}`);
    }
    if (last && plain.length === 0 && this.nextIndex > 0) {
      throw invalidArgument('an empty final chunk is only allowed for an empty object');
    }
    const nonce = chunkNonce(this.nextIndex, last);
    this.nextIndex++;
    this.finished = last;
    return aesGcmEncrypt(this.key, nonce, plain, this.header);
  }
}
