import { ChunkSealer, planSeal, type SealOptions } from './chunk-sealer';

export type Emit = (bytes: Uint8Array<ArrayBuffer>) => void;

/**
 * Turns plaintext pieces of any size into a sealed object: header first, then chunks. It keeps at
 * most one chunk of plaintext between pieces: a full chunk stays pending until more input shows it
 * is not the last (the final chunk carries a different nonce flag, so it cannot be sealed early).
 *
 * The full chunks of one piece are encrypted concurrently and emitted in order: each call takes
 * its nonce and (WebCrypto copies its input when called) its bytes synchronously, and browsers
 * run WebCrypto on a pool of threads, so a 1 MiB piece keeps several cores busy instead of one.
 * Work in flight is bounded by the caller's piece size.
 */
export class SealedObjectWriter {
  private readonly pending: Uint8Array;
  private filled = 0;

  private constructor(private readonly sealer: ChunkSealer) {
    this.pending = new Uint8Array(sealer.chunkSize);
  }

  /** Bad arguments throw here, synchronously checked by planSeal before anything async runs. */
  static begin(publicKey: Uint8Array, options?: SealOptions): Promise<SealedObjectWriter> {
    const plan = planSeal(publicKey, options);
    return ChunkSealer.start(plan).then((sealer) => new SealedObjectWriter(sealer));
  }

  get header(): Uint8Array<ArrayBuffer> {
    return this.sealer.header;
  }

  async push(piece: Uint8Array, emit: Emit): Promise<void> {
    const chunkSize = this.sealer.chunkSize;
    const sealing: Promise<Uint8Array<ArrayBuffer>>[] = [];
    let offset = 0;
    while (offset < piece.length) {
      if (this.filled === chunkSize) {
        sealing.push(this.sealer.sealChunk(this.pending, false));
        this.filled = 0;
      }
      if (this.filled === 0 && piece.length - offset > chunkSize) {
        // A whole chunk with more input behind it: seal straight from the caller's piece
        // instead of copying it through `pending`.
        sealing.push(this.sealer.sealChunk(piece.subarray(offset, offset + chunkSize), false));
        offset += chunkSize;
        continue;
      }
      const take = Math.min(chunkSize - this.filled, piece.length - offset);
      this.pending.set(piece.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
    }
    // Awaited in order; a failure surfaces once, from the first chunk that failed.
    for (const chunk of sealing) chunk.catch(() => {});
    for (const chunk of sealing) emit(await chunk);
  }

  async finish(emit: Emit): Promise<void> {
    emit(await this.sealer.sealChunk(this.pending.subarray(0, this.filled), true));
    this.pending.fill(0);
  }
}
