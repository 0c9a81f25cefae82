import { requireBytes } from './arguments';
import { ChunkOpener } from './chunk-opener';
import { CryptoError, invalidArgument } from './errors';
import {
  CHUNK_TAG_LENGTH,
  checkHeaderPrefix,
  OBJECT_HEADER_LENGTH,
  parseObjectHeader,
} from './object-format';
import type { Emit } from './object-writer';
import { KEY_LENGTH } from './repository-keys';

/**
 * Turns sealed bytes, in pieces of any size, back into plaintext, holding at most one sealed
 * chunk. A full chunk is known not to be the last only when a further byte arrives, so it waits
 * for that byte (or the end of the input) before it is opened.
 *
 * Failures are classified from what authenticates: a full chunk that only opens with the "last"
 * flag while more bytes follow means trailing data; a final chunk that only opens without it
 * means the object was cut at a chunk boundary. Anything else that does not authenticate is
 * damage ("corrupt") — including a cut inside a chunk, which is indistinguishable from damage to
 * the final chunk because the tag itself is gone.
 */
export class SealedObjectReader {
  private readonly headerBytes = new Uint8Array(OBJECT_HEADER_LENGTH);
  private headerFilled = 0;
  private opener: ChunkOpener | undefined;
  private pending = new Uint8Array(0);
  private filled = 0;
  private index = 0;
  private failure: unknown;
  private finished = false;

  constructor(private readonly secretKey: Uint8Array) {
    requireBytes('secretKey', secretKey, KEY_LENGTH);
  }

  async push(piece: Uint8Array, emit: Emit): Promise<void> {
    await this.guard(() => this.consume(piece, emit));
  }

  async finish(emit: Emit): Promise<void> {
    await this.guard(() => this.end(emit));
  }

  /** After one failure every later call fails the same way, so a caller cannot resume past damage. */
  private async guard(step: () => Promise<void>): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    if (this.finished) throw invalidArgument('the sealed object is already finished: nothing may follow');
    try {
      await step();
    } catch (error) {
      this.failure = error;
      throw error;
    }
  }

  private async consume(piece: Uint8Array, emit: Emit): Promise<void> {
    let offset = 0;
    if (this.opener === undefined) {
      offset = Math.min(OBJECT_HEADER_LENGTH - this.headerFilled, piece.length);
      this.headerBytes.set(piece.subarray(0, offset), this.headerFilled);
      this.headerFilled += offset;
      checkHeaderPrefix(this.headerBytes.subarray(0, this.headerFilled));
      if (this.headerFilled < OBJECT_HEADER_LENGTH) return;
      this.opener = await ChunkOpener.start(parseObjectHeader(this.headerBytes), this.secretKey);
      this.pending = new Uint8Array(this.opener.chunkSize + CHUNK_TAG_LENGTH);
    }
    const opener = this.opener;
    const sealedChunk = this.pending.length;
    while (offset < piece.length) {
      if (this.filled === sealedChunk) {
        emit(await this.openMiddle(opener, this.pending));
        this.filled = 0;
      }
      if (this.filled === 0 && piece.length - offset > sealedChunk) {
        emit(await this.openMiddle(opener, piece.subarray(offset, offset + sealedChunk)));
        offset += sealedChunk;
        continue;
      }
      const take = Math.min(sealedChunk - this.filled, piece.length - offset);
      this.pending.set(piece.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
    }
  }

  /** A full chunk with more bytes after it: it must authenticate as a non-final chunk. */
  private async openMiddle(opener: ChunkOpener, sealed: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
    const plain = await opener.openChunk(sealed, this.index, false);
    if (plain !== undefined) {
      this.index++;
      return plain;
    }
    if ((await opener.openChunk(sealed, this.index, true)) !== undefined) {
      throw new CryptoError(
        'trailing-data',
        `Encrypted object has extra bytes after its final chunk (chunk ${this.index})`,
      );
    }
    throw damaged(this.index);
  }

  private async end(emit: Emit): Promise<void> {
    if (this.opener === undefined) {
      throw new CryptoError(
        'truncated',
        `Encrypted object is cut short: it ends inside its ${OBJECT_HEADER_LENGTH}-byte header (${this.headerFilled} bytes)`,
      );
    }
    if (this.filled < CHUNK_TAG_LENGTH) {
      throw new CryptoError(
        'truncated',
        `Encrypted object is cut short: chunk ${this.index} has ${this.filled} bytes, fewer than its ${CHUNK_TAG_LENGTH}-byte tag`,
      );
    }
    const sealed = this.pending.subarray(0, this.filled);
    const plain = await this.opener.openChunk(sealed, this.index, true);
    if (plain === undefined) {
      if (
        this.filled === this.pending.length &&
        (await this.opener.openChunk(sealed, this.index, false)) !== undefined
      ) {
        throw new CryptoError(
          'truncated',
          `Encrypted object is cut short: it ends after chunk ${this.index}, before its final chunk`,
        );
      }
      throw damaged(this.index);
    }
    if (plain.length === 0 && this.index > 0) {
      // The writer never emits this; accepting it would give one plaintext two encodings.
      throw new CryptoError(
        'corrupt',
        'Encrypted object is malformed: an empty final chunk follows full ones',
      );
    }
    this.finished = true;
    emit(plain);
  }
}

function damaged(index: number): CryptoError {
  return new CryptoError(
    'corrupt',
    `Encrypted object is damaged: chunk ${index} failed authentication (changed, reordered, spliced or cut short)`,
  );
}
