import { requireBytes, requireStreamPiece } from './arguments';
import { ChunkSealer, planSeal, type SealOptions } from './chunk-sealer';
import { sealedSize } from './object-size';
import { SealedObjectWriter } from './object-writer';

/**
 * Seals `plaintext` to the repository public key (FORMAT §5). Only the matching secret key can
 * open the result; the device that seals needs no secret at all.
 */
export async function sealObject(
  plaintext: Uint8Array,
  publicKey: Uint8Array,
  options?: SealOptions,
): Promise<Uint8Array<ArrayBuffer>> {
  requireBytes('plaintext', plaintext);
  const sealer = await ChunkSealer.start(planSeal(publicKey, options));
  const chunkSize = sealer.chunkSize;
  const out = new Uint8Array(sealedSize(plaintext.length, chunkSize));
  out.set(sealer.header, 0);
  let written = sealer.header.length;
  let offset = 0;
  do {
    const end = Math.min(offset + chunkSize, plaintext.length);
    const sealed = await sealer.sealChunk(plaintext.subarray(offset, end), end === plaintext.length);
    out.set(sealed, written);
    written += sealed.length;
    offset = end;
  } while (offset < plaintext.length);
  return out;
}

/**
 * A TransformStream that seals whatever is written to it: plaintext pieces of any size in, the
 * sealed object out (header first). It holds about one chunk besides the piece being processed,
 * whatever the object's size. Bad arguments throw here, not later from the stream.
 */
export function createSealStream(
  publicKey: Uint8Array,
  options?: SealOptions,
): TransformStream<Uint8Array, Uint8Array> {
  const writerReady = SealedObjectWriter.begin(publicKey, options);
  // Keep an early rejection from being reported as unhandled before the stream's start awaits it.
  writerReady.catch(() => {});
  let writer: SealedObjectWriter;
  return new TransformStream<Uint8Array, Uint8Array>({
    async start(controller) {
      writer = await writerReady;
      controller.enqueue(writer.header);
    },
    async transform(piece, controller) {
      requireStreamPiece(piece);
      await writer.push(piece, (bytes) => controller.enqueue(bytes));
    },
    async flush(controller) {
      await writer.finish((bytes) => controller.enqueue(bytes));
    },
  });
}
