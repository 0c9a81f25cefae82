import { execFileSync } from 'node:child_process';
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
  type KeyObject,
} from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { patternBytes, readVectors } from './helpers';

/**
 * An independent implementation of docs/FORMAT.md written with node:crypto only (no
 * utils/crypto, no noble, no hash-wasm): it decodes AND re-encodes the committed vectors. If the
 * spec and utils/crypto ever disagree, this fails even when utils/crypto agrees with itself.
 */

interface FormatVectors {
  master: string;
  repoId: string;
  keys: { idKey: string; secretKey: string; publicKey: string };
  objects: {
    name: string;
    plaintext: string | { pattern: string; length: number };
    chunkSize: number | null;
    ephemeralSecret: string;
    sealed: string;
  }[];
  recoveryKey: { entropy: string; bytes: string; text: string };
  recoverySlot: { slot: { salt: string; nonce: string; wrapped: string } };
  passwordSlot: {
    password: string;
    slot: {
      kdf: { memoryKiB: number; iterations: number; parallelism: number; salt: string };
      nonce: string;
      wrapped: string;
    };
  };
}

const vectors = readVectors<FormatVectors>('chatvault-v1.json');
const HEADER = 69;
const TAG = 16;

const hkdf = (ikm: Buffer, salt: Buffer, info: string, length: number) =>
  Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from(info, 'utf8'), length));

// RFC 8410 DER wrappers around raw 32-byte X25519 keys.
const x25519Private = (raw: Buffer): KeyObject =>
  createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), raw]),
    format: 'der',
    type: 'pkcs8',
  });
const x25519Public = (raw: Buffer): KeyObject =>
  createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), raw]),
    format: 'der',
    type: 'spki',
  });
const rawPublic = (privateKey: KeyObject): Buffer =>
  createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32);

function nonce(index: number, last: boolean): Buffer {
  const out = Buffer.alloc(12);
  out.writeBigUInt64BE(BigInt(index), 3);
  out[11] = last ? 1 : 0;
  return out;
}

function plaintextOf(spec: FormatVectors['objects'][number]['plaintext']): Buffer {
  return typeof spec === 'string' ? Buffer.from(spec, 'hex') : Buffer.from(patternBytes(spec.length));
}

function openBySpec(sealed: Buffer, secretKey: Buffer): Buffer {
  expect(sealed.subarray(0, 4).toString('latin1')).toBe('CVO\x01');
  const header = sealed.subarray(0, HEADER);
  const chunkSize = 2 ** header[4]!;
  const epk = header.subarray(5, 37);
  const commitment = header.subarray(37, 69);
  const privateKey = x25519Private(secretKey);
  const pk = rawPublic(privateKey);
  const shared = diffieHellman({ privateKey, publicKey: x25519Public(epk) });
  const okm = hkdf(shared, Buffer.concat([epk, pk]), 'chatvault/v1/object', 64);
  expect(okm.subarray(32).equals(commitment)).toBe(true);
  const payloadKey = okm.subarray(0, 32);

  const out: Buffer[] = [];
  const body = sealed.subarray(HEADER);
  const sealedChunk = chunkSize + TAG;
  const count = Math.max(1, Math.ceil(body.length / sealedChunk));
  for (let i = 0; i < count; i++) {
    const chunk = body.subarray(i * sealedChunk, Math.min((i + 1) * sealedChunk, body.length));
    const decipher = createDecipheriv('aes-256-gcm', payloadKey, nonce(i, i === count - 1));
    decipher.setAAD(header);
    decipher.setAuthTag(chunk.subarray(-TAG));
    out.push(decipher.update(chunk.subarray(0, -TAG)), decipher.final());
  }
  return Buffer.concat(out);
}

function sealBySpec(
  plaintext: Buffer,
  publicKey: Buffer,
  ephemeralSecret: Buffer,
  chunkSize: number,
): Buffer {
  const ephemeral = x25519Private(ephemeralSecret);
  const epk = rawPublic(ephemeral);
  const shared = diffieHellman({ privateKey: ephemeral, publicKey: x25519Public(publicKey) });
  const okm = hkdf(shared, Buffer.concat([epk, publicKey]), 'chatvault/v1/object', 64);
  const header = Buffer.concat([
    Buffer.from('CVO\x01', 'latin1'),
    Buffer.from([Math.log2(chunkSize)]),
    epk,
    okm.subarray(32),
  ]);
  const parts = [header];
  const count = Math.max(1, Math.ceil(plaintext.length / chunkSize));
  for (let i = 0; i < count; i++) {
    const cipher = createCipheriv('aes-256-gcm', okm.subarray(0, 32), nonce(i, i === count - 1));
    cipher.setAAD(header);
    parts.push(
      cipher.update(plaintext.subarray(i * chunkSize, (i + 1) * chunkSize)),
      cipher.final(),
      cipher.getAuthTag(),
    );
  }
  return Buffer.concat(parts);
}

function unwrapBySpec(kek: Buffer, nonceB64: string, wrappedB64: string, aad: string): Buffer {
  const wrapped = Buffer.from(wrappedB64, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(nonceB64, 'base64'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(wrapped.subarray(32));
  return Buffer.concat([decipher.update(wrapped.subarray(0, 32)), decipher.final()]);
}

describe('independent implementation of the spec (node:crypto) agrees with the committed vectors', () => {
  const master = Buffer.from(vectors.master, 'hex');
  const repoId = Buffer.from(vectors.repoId, 'hex');

  it('derives the repository keys (§3)', () => {
    expect(hkdf(master, repoId, 'chatvault/v1/object-id', 32).toString('hex')).toBe(vectors.keys.idKey);
    const secretKey = hkdf(master, repoId, 'chatvault/v1/x25519', 32);
    expect(secretKey.toString('hex')).toBe(vectors.keys.secretKey);
    expect(rawPublic(x25519Private(secretKey)).toString('hex')).toBe(vectors.keys.publicKey);
  });

  for (const object of vectors.objects) {
    it(`opens and re-seals: ${object.name} (§5)`, () => {
      const sealed = Buffer.from(object.sealed, 'hex');
      const plaintext = plaintextOf(object.plaintext);
      expect(openBySpec(sealed, Buffer.from(vectors.keys.secretKey, 'hex')).equals(plaintext)).toBe(true);
      const chunkSize = object.chunkSize ?? 2 ** sealed[4]!;
      const resealed = sealBySpec(
        plaintext,
        Buffer.from(vectors.keys.publicKey, 'hex'),
        Buffer.from(object.ephemeralSecret, 'hex'),
        chunkSize,
      );
      expect(resealed.toString('hex')).toBe(object.sealed);
    });
  }

  it('checks the recovery key checksum and text form (§4.4)', () => {
    const entropy = Buffer.from(vectors.recoveryKey.entropy, 'hex');
    const checksum = createHash('sha256')
      .update('chatvault/v1/recovery')
      .update(entropy)
      .digest()
      .subarray(0, 2);
    expect(Buffer.concat([entropy, checksum]).toString('hex')).toBe(vectors.recoveryKey.bytes);
    expect(vectors.recoveryKey.text).toBe(vectors.recoveryKey.bytes.match(/.{4}/g)!.join('-'));
  });

  it('opens the recovery slot (§4.3)', () => {
    const { slot } = vectors.recoverySlot;
    const kek = hkdf(
      Buffer.from(vectors.recoveryKey.entropy, 'hex'),
      Buffer.from(slot.salt, 'base64'),
      'chatvault/v1/slot/recovery',
      32,
    );
    const aad = `chatvault/v1/slot|recovery|${vectors.repoId}`;
    expect(unwrapBySpec(kek, slot.nonce, slot.wrapped, aad).toString('hex')).toBe(vectors.master);
  });

  const cli = '/usr/bin/argon2';
  it.skipIf(!existsSync(cli))(
    'opens the password slot with the argon2 reference CLI as the KDF (§4.2)',
    () => {
      const { password, slot } = vectors.passwordSlot;
      const { memoryKiB, iterations, parallelism } = slot.kdf;
      const salt = Buffer.from(slot.kdf.salt, 'base64').toString('latin1'); // the vector's salt is ASCII so it fits in argv
      const kekHex = execFileSync(
        cli,
        [
          salt,
          '-id',
          '-t',
          String(iterations),
          '-k',
          String(memoryKiB),
          '-p',
          String(parallelism),
          '-l',
          '32',
          '-r',
        ],
        { input: Buffer.from(password.normalize('NFC'), 'utf8') },
      )
        .toString()
        .trim();
      const aad = `chatvault/v1/slot|password|argon2id|${memoryKiB}|${iterations}|${parallelism}|${vectors.repoId}`;
      expect(unwrapBySpec(Buffer.from(kekHex, 'hex'), slot.nonce, slot.wrapped, aad).toString('hex')).toBe(
        vectors.master,
      );
    },
  );
});
