import { ChunkSealer, planSeal, type SealOptions } from './chunk-sealer';

export type Emit = (bytes: Uint8Array<ArrayBuffer>) => void;

/**
 * Turns plaintext pieces of any size into a sealed object: header first, then chunks. It holds at
 * most one chunk of plaintext: a full chunk stays pending until more input shows it is not the
 * last (the final chunk carries a different nonce flag, so it cannot be sealed early).
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
    let offset = 0;
    while (offset < piece.length) {
      if (this.filled === chunkSize) {
        emit(await this.sealer.sealChunk(this.pending, false));
        this.filled = 0;
      }
      if (this.filled === 0 && piece.length - offset > chunkSize) {
        // A whole chunk with more input behind it: seal straight from the caller's piece
        // (WebCrypto copies its input when called) instead of copying it through `pending`.
        emit(await this.sealer.sealChunk(piece.subarray(offset, offset + chunkSize), false));
        offset += chunkSize;
        continue;
      }
      const take = Math.min(chunkSize - this.filled, piece.length - offset);
      this.pending.set(piece.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
    }
  }

  async finish(emit: Emit): Promise<void> {
    emit(await this.sealer.sealChunk(this.pending.subarray(0, this.filled), true));
    this.pending.fill(0);
  }
}
