import { requireBytes, requireStreamPiece } from './arguments';
import { concatBytes } from './bytes';
import { SealedObjectReader } from './object-reader';

/**
 * Opens a sealed object with the repository secret key. Rejects with a CryptoError whose code
 * says what is wrong: bad-magic, unsupported-version, wrong-key, truncated, trailing-data or
 * corrupt. Nothing is returned unless every chunk authenticated.
 */
export async function openObject(
  sealed: Uint8Array,
  secretKey: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  requireBytes('sealed', sealed);
  const reader = new SealedObjectReader(secretKey);
  const pieces: Uint8Array[] = [];
  const collect = (plain: Uint8Array) => {
    pieces.push(plain);
  };
  await reader.push(sealed, collect);
  await reader.finish(collect);
  return pieces.length === 1 ? (pieces[0] as Uint8Array<ArrayBuffer>) : concatBytes(...pieces);
}

/**
 * A TransformStream that opens a sealed object: sealed pieces of any size in, plaintext out. It
 * holds about one chunk. Plaintext of a chunk is released only after that chunk authenticated,
 * but a consumer must still treat everything as provisional until the stream closes without
 * error: damage to a later chunk (or a cut) is only found when that chunk arrives.
 */
export function createOpenStream(secretKey: Uint8Array): TransformStream<Uint8Array, Uint8Array> {
  const reader = new SealedObjectReader(secretKey);
  return new TransformStream<Uint8Array, Uint8Array>({
    async transform(piece, controller) {
      requireStreamPiece(piece);
      await reader.push(piece, (plain) => {
        if (plain.length > 0) controller.enqueue(plain);
      });
    },
    async flush(controller) {
      await reader.finish((plain) => {
        if (plain.length > 0) controller.enqueue(plain);
      });
    },
  });
}
