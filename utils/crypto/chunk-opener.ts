import { aesGcmDecrypt, importAesGcmKey } from './aes-gcm';
import { constantTimeEqual } from './bytes';
import { CryptoError } from './errors';
import { chunkNonce, type ObjectHeader } from './object-format';
import { deriveObjectKeys } from './object-keys';
import { x25519PublicKey, x25519SharedSecret } from './x25519';

/**
 * Opens the chunks of one object after checking the header's key commitment. It only answers
 * "does this chunk authenticate at this index with this flag"; deciding what a failure means
 * (truncation, trailing data, damage) is the reader's job, which sees the stream around it.
 */
export class ChunkOpener {
  private constructor(
    private readonly key: CryptoKey,
    private readonly header: Uint8Array,
    readonly chunkSize: number,
  ) {}

  static async start(header: ObjectHeader, secretKey: Uint8Array): Promise<ChunkOpener> {
    const publicKey = x25519PublicKey(secretKey);
    const shared = x25519SharedSecret(
      secretKey,
      header.ephemeralPublicKey,
      'corrupt',
      'Encrypted object header is damaged: its ephemeral key',
    );
    const { payloadKey, commitment } = deriveObjectKeys(shared, header.ephemeralPublicKey, publicKey);
    // Compared before any decryption: a mismatch means this object was sealed to another key.
    if (!constantTimeEqual(commitment, header.commitment)) {
      throw new CryptoError(
        'wrong-key',
        'This object was not encrypted for this key (wrong repository or key), or its header is damaged',
      );
    }
    const key = await importAesGcmKey(payloadKey, 'decrypt');
    payloadKey.fill(0);
    return new ChunkOpener(key, header.bytes, 2 ** header.chunkSizeLog2);
  }

  /** The plaintext, or `undefined` when the chunk does not authenticate as (index, last). */
  openChunk(sealed: Uint8Array, index: number, last: boolean): Promise<Uint8Array<ArrayBuffer> | undefined> {
    return aesGcmDecrypt(this.key, chunkNonce(index, last), sealed, this.header);
  }
}
