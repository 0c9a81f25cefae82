import { isCryptoError, objectId, openObject, sealObject } from '@/utils/crypto';
import { canonicalJsonBytes } from '@/utils/schema/canonical-json';
import { gunzip, gzip } from './compression';
import { RepoError } from './errors';
import type { Repository, RepositoryWriter } from './repository';

/**
 * The encoding of the repository's own documents (index, snapshot, pack header): canonical
 * JSON, gzip-compressed (index and snapshot) or not (pack header), sealed to the repository key.
 *
 * Sealing alone proves nothing about the author: the public key is in the plaintext config, so
 * anyone who can read the Drive folder could seal a document. Index and snapshot files are
 * therefore named by the keyed object id of their plaintext, which only holders of the id key
 * can compute, and every read checks the name (FORMAT §7).
 */
export async function sealDocument(
  repository: RepositoryWriter,
  value: unknown,
  options: { compress: boolean },
): Promise<{ id: string; sealed: Uint8Array }> {
  const json = canonicalJsonBytes(value);
  const id = await objectId(repository.keys.idKey, json);
  const payload = options.compress ? await gzip(json) : json;
  const sealed = await sealObject(payload, repository.keys.publicKey, { chunkSize: repository.chunkSize });
  return { id, sealed };
}

/**
 * Opens a sealed document; `what` names it in errors ("Snapshot 3fa2…"). With `id`, the
 * plaintext must hash to it under the repository's id key, or the document is refused.
 */
export async function openDocument(
  repository: Repository,
  sealed: Uint8Array,
  options: { compressed: boolean; what: string; id?: string },
): Promise<unknown> {
  let payload: Uint8Array;
  try {
    payload = await openObject(sealed, repository.keys.secretKey);
  } catch (error) {
    if (isCryptoError(error)) {
      throw new RepoError(
        'corrupt',
        `${options.what} is damaged and cannot be decrypted (${error.message}).`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
  let json: Uint8Array;
  try {
    json = options.compressed ? await gunzip(payload) : payload;
  } catch (error) {
    throw new RepoError('corrupt', `${options.what} decrypted but its content is not valid.`, {
      cause: error,
    });
  }
  if (options.id !== undefined && (await objectId(repository.keys.idKey, json)) !== options.id) {
    throw new RepoError(
      'corrupt',
      `${options.what} was not written with this backup's keys (forged or swapped); it is ignored.`,
    );
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch (error) {
    throw new RepoError('corrupt', `${options.what} decrypted but its content is not valid.`, {
      cause: error,
    });
  }
}
