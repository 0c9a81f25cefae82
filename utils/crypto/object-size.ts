import { requireInteger } from './arguments';
import { invalidArgument } from './errors';
import { CHUNK_TAG_LENGTH, chunkSizeLog2Of, DEFAULT_CHUNK_SIZE, OBJECT_HEADER_LENGTH } from './object-format';

/**
 * Size arithmetic of sealed objects, for pack offsets and preallocation. A plaintext of n bytes is
 * max(1, ceil(n / chunkSize)) chunks, each carrying a 16-byte tag, after a fixed header.
 */

/** Number of chunks a plaintext of `plainLength` bytes is sealed into. */
export function chunkCount(plainLength: number, chunkSize: number = DEFAULT_CHUNK_SIZE): number {
  requireInteger('plainLength', plainLength, 0, Number.MAX_SAFE_INTEGER);
  chunkSizeLog2Of('chunkSize', chunkSize);
  return Math.max(1, Math.ceil(plainLength / chunkSize));
}

export function sealedSize(plainLength: number, chunkSize: number = DEFAULT_CHUNK_SIZE): number {
  const size = OBJECT_HEADER_LENGTH + plainLength + chunkCount(plainLength, chunkSize) * CHUNK_TAG_LENGTH;
  if (!Number.isSafeInteger(size)) throw invalidArgument(`plainLength ${plainLength} is too large to seal`);
  return size;
}

/**
 * The plaintext length of a sealed object of `sealedLength` bytes, sealed with `chunkSize` (the
 * header's chunk size; objects written with defaults use DEFAULT_CHUNK_SIZE). Lengths that no
 * sealed object can have (a last chunk shorter than its tag, or an empty last chunk after full
 * ones, which the writer never produces) are refused, so a bad pack index is caught here.
 */
export function plainSize(sealedLength: number, chunkSize: number = DEFAULT_CHUNK_SIZE): number {
  requireInteger('sealedLength', sealedLength, 0, Number.MAX_SAFE_INTEGER);
  chunkSizeLog2Of('chunkSize', chunkSize);
  const body = sealedLength - OBJECT_HEADER_LENGTH;
  const sealedChunk = chunkSize + CHUNK_TAG_LENGTH;
  const fullChunks = Math.floor(body / sealedChunk);
  const remainder = body % sealedChunk;
  const impossible =
    body < CHUNK_TAG_LENGTH ||
    (remainder > 0 && remainder < CHUNK_TAG_LENGTH) ||
    (remainder === CHUNK_TAG_LENGTH && fullChunks > 0);
  if (impossible) {
    throw invalidArgument(
      `sealedLength ${sealedLength} is not the size of any sealed object with ${chunkSize}-byte chunks`,
    );
  }
  return fullChunks * chunkSize + (remainder === 0 ? 0 : remainder - CHUNK_TAG_LENGTH);
}
