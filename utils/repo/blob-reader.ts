import { createObjectIdHasher, createOpenStream, isCryptoError, objectId, openObject } from '@/utils/crypto';
import { isStorageError } from '@/utils/storage/storage';
import { gunzip } from './compression';
import { RepoError } from './errors';
import type { RepoIndex } from './index-file';
import { packName } from './names';
import type { Repository } from './repository';

/**
 * Reads one blob (FORMAT §14): locate it in the index, read its byte range of the pack, open,
 * decompress, and verify that the content hashes to the blob id. Nothing unverified is returned.
 */
export async function readBlob(
  repository: Repository,
  index: RepoIndex,
  blobId: string,
): Promise<Uint8Array> {
  const location = locateOrThrow(index, blobId);
  const sealed = await getRange(
    repository,
    location.pack.id,
    location.blob.offset,
    location.blob.length,
    blobId,
  );
  let payload: Uint8Array;
  try {
    payload = await openObject(sealed, repository.keys.secretKey);
  } catch (error) {
    throw damaged(blobId, error);
  }
  const plaintext =
    location.blob.compression === 'gzip'
      ? await gunzip(payload).catch((e) => Promise.reject(damaged(blobId, e)))
      : payload;
  // One-shot id: hash-wasm reuses one WebAssembly instance for these, where an incremental
  // hasher would instantiate a new one for every blob.
  if ((await objectId(repository.keys.idKey, plaintext)) !== blobId) {
    throw damaged(blobId, new Error('content does not match its id'));
  }
  return plaintext;
}

/**
 * Streams a (media) blob into `sink` piece by piece with bounded memory. The sink must treat
 * what it received as provisional until this resolves: damage is detected when it arrives, and
 * the id check can only happen at the end.
 */
export async function streamBlob(
  repository: Repository,
  index: RepoIndex,
  blobId: string,
  sink: (piece: Uint8Array) => Promise<void> | void,
): Promise<number> {
  const location = locateOrThrow(index, blobId);
  if (location.blob.compression !== 'none') {
    const bytes = await readBlob(repository, index, blobId);
    await sink(bytes);
    return bytes.length;
  }
  let stream: ReadableStream<Uint8Array>;
  try {
    stream = await repository.storage.getStream(packName(location.pack.id), {
      offset: location.blob.offset,
      length: location.blob.length,
    });
  } catch (error) {
    throw missingOrRethrow(error, location.pack.id, blobId);
  }
  const hasher = await createObjectIdHasher(repository.keys.idKey);
  const reader = stream.pipeThrough(createOpenStream(repository.keys.secretKey)).getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      hasher.update(value);
      total += value.length;
      await sink(value);
    }
  } catch (error) {
    throw damaged(blobId, error);
  }
  if (total !== location.blob.rawLength || (await hasher.digest()) !== blobId) {
    throw damaged(blobId, new Error('content does not match its id'));
  }
  return total;
}

function locateOrThrow(index: RepoIndex, blobId: string) {
  const location = index.locate(blobId);
  if (!location)
    throw new RepoError('missing-data', `Blob ${blobId.slice(0, 12)} is not in the repository index.`);
  return location;
}

async function getRange(
  repository: Repository,
  packId: string,
  offset: number,
  length: number,
  blobId: string,
) {
  try {
    const bytes = await repository.storage.get(packName(packId), { offset, length });
    if (bytes.length !== length) throw damaged(blobId, new Error('pack file is shorter than the index says'));
    return bytes;
  } catch (error) {
    throw missingOrRethrow(error, packId, blobId);
  }
}

function missingOrRethrow(error: unknown, packId: string, blobId: string): unknown {
  if (isStorageError(error, 'not-found')) {
    return new RepoError(
      'missing-data',
      `Pack ${packId.slice(0, 12)} holding blob ${blobId.slice(0, 12)} is missing.`,
      {
        cause: error,
      },
    );
  }
  return error;
}

function damaged(blobId: string, cause: unknown): RepoError {
  if (cause instanceof RepoError) return cause;
  const detail = isCryptoError(cause)
    ? cause.message
    : cause instanceof Error
      ? cause.message
      : String(cause);
  return new RepoError('corrupt', `Blob ${blobId.slice(0, 12)} is damaged (${detail}).`, { cause });
}
