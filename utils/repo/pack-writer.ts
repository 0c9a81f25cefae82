import { createSHA256 } from 'hash-wasm';
import { createObjectIdHasher, createSealStream, sealedSize, sealObject } from '@/utils/crypto';
import { gzip } from './compression';
import { RepoError } from './errors';
import { type BlobEntry, type BlobType, COMPRESSION_OF, type PackEntry } from './index-file';
import { packName, randomFileId } from './names';
import type { RepositoryWriter } from './repository';
import { sealDocument } from './sealed-json';

/**
 * Groups sealed blobs into pack files (FORMAT §10) of about `packTargetSize` bytes. Small blobs
 * are buffered and written in one request per pack (Drive manages only a few file creations a
 * second); a blob bigger than the target streams into a pack of its own, so memory stays
 * bounded by the target size whatever the media size.
 */
export class PackWriter {
  private pending: { entry: BlobEntry; sealed: Uint8Array }[] = [];
  private pendingBytes = 0;
  /** Ids added to this writer but not yet in a stored pack (dedup within one backup). */
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly repository: RepositoryWriter,
    private readonly onPackStored: (pack: PackEntry) => Promise<void> | void,
    private readonly random?: (length: number) => Uint8Array,
  ) {}

  holds(blobId: string): boolean {
    return this.inFlight.has(blobId);
  }

  /** Adds a blob whose plaintext is in memory. */
  async add(id: string, type: BlobType, plaintext: Uint8Array): Promise<void> {
    const compression = COMPRESSION_OF[type];
    const payload = compression === 'gzip' ? await gzip(plaintext) : plaintext;
    const sealed = await sealObject(payload, this.repository.keys.publicKey, {
      chunkSize: this.repository.chunkSize,
    });
    if (this.pendingBytes > 0 && this.pendingBytes + sealed.length > this.repository.config.packTargetSize) {
      await this.flush();
    }
    this.pending.push({
      entry: {
        id,
        type,
        offset: this.pendingBytes,
        length: sealed.length,
        rawLength: plaintext.length,
        compression,
      },
      sealed,
    });
    this.pendingBytes += sealed.length;
    this.inFlight.add(id);
    if (this.pendingBytes >= this.repository.config.packTargetSize) await this.flush();
  }

  /**
   * Adds a blob that is already sealed (prune copies live blobs out of mostly-dead packs):
   * a sealed blob is self-contained, so moving it is a byte copy, with no decryption needed.
   */
  async addSealed(entry: Omit<BlobEntry, 'offset'>, sealed: Uint8Array): Promise<void> {
    if (this.pendingBytes > 0 && this.pendingBytes + sealed.length > this.repository.config.packTargetSize) {
      await this.flush();
    }
    this.pending.push({ entry: { ...entry, offset: this.pendingBytes }, sealed });
    this.pendingBytes += sealed.length;
    this.inFlight.add(entry.id);
    if (this.pendingBytes >= this.repository.config.packTargetSize) await this.flush();
  }

  /**
   * Adds a large media blob by streaming it from `open()` straight into a pack of its own. The
   * id was computed by the caller in an earlier pass; it is computed again here and the pack is
   * discarded if the content changed in between.
   */
  async addStream(
    id: string,
    rawLength: number,
    open: () => Promise<ReadableStream<Uint8Array>>,
  ): Promise<void> {
    const { publicKey, idKey } = this.repository.keys;
    const chunkSize = this.repository.chunkSize;
    const length = sealedSize(rawLength, chunkSize);
    const entry: BlobEntry = { id, type: 'media', offset: 0, length, rawLength, compression: 'none' };
    const { sealed: header } = await sealDocument(
      this.repository,
      { version: 1, blobs: [entry] },
      { compress: false },
    );
    const size = length + header.length + 4;
    const packId = randomFileId(this.random);
    const sha = await createSHA256();
    const idHasher = await createObjectIdHasher(idKey);
    let seen = 0;
    const source = await open();
    const checked = source.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(piece, controller) {
          seen += piece.length;
          idHasher.update(piece);
          controller.enqueue(piece);
        },
        async flush() {
          if (seen !== rawLength || (await idHasher.digest()) !== id) {
            throw new RepoError('corrupt', 'A media file changed while it was being backed up.');
          }
        },
      }),
    );
    const trailer = new Uint8Array(header.length + 4);
    trailer.set(header, 0);
    new DataView(trailer.buffer).setUint32(header.length, header.length, true);
    const body = concatStreams(
      checked.pipeThrough(createSealStream(publicKey, { chunkSize })),
      trailer,
    ).pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(piece, controller) {
          sha.update(piece);
          controller.enqueue(piece);
        },
      }),
    );
    try {
      await this.repository.storage.put(packName(packId), body, { size });
    } catch (error) {
      await this.repository.storage.delete(packName(packId)).catch(() => {});
      throw error;
    }
    await this.onPackStored({ id: packId, size, sha256: sha.digest('hex'), blobs: [entry] });
  }

  /** Stores the buffered blobs as one pack (no-op when nothing is buffered). */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    const blobs = pending.map((p) => p.entry);
    const { sealed: header } = await sealDocument(
      this.repository,
      { version: 1, blobs },
      { compress: false },
    );
    const trailer = new Uint8Array(header.length + 4);
    trailer.set(header, 0);
    new DataView(trailer.buffer).setUint32(header.length, header.length, true);
    const pieces = [...pending.map((p) => p.sealed), trailer];
    const size = this.pendingBytes + trailer.length;
    const sha = await createSHA256();
    for (const piece of pieces) sha.update(piece);
    const id = randomFileId(this.random);
    // Streamed from the pieces as they are: no second copy of a pack-sized buffer.
    let next = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (next < pieces.length) controller.enqueue(pieces[next++]!);
        else controller.close();
      },
    });
    await this.repository.storage.put(packName(id), body, { size });
    this.pending = [];
    this.pendingBytes = 0;
    await this.onPackStored({ id, size, sha256: sha.digest('hex'), blobs });
  }
}

function concatStreams(first: ReadableStream<Uint8Array>, tail: Uint8Array): ReadableStream<Uint8Array> {
  const reader = first.getReader();
  let tailSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!tailSent) {
        const { done, value } = await reader.read();
        if (!done) {
          controller.enqueue(value);
          return;
        }
        tailSent = true;
        controller.enqueue(tail);
        return;
      }
      controller.close();
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
