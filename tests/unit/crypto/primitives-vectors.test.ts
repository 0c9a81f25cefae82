import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { x25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { aesGcmDecrypt, aesGcmEncrypt, importAesGcmKey } from '../../../utils/crypto/aes-gcm';
import { ARGON2_FLOOR, hashWasmArgon2id } from '../../../utils/crypto/argon2';
import { hkdfSha256 } from '../../../utils/crypto/hkdf';
import { objectId } from '../../../utils/crypto/object-id';
import { x25519PublicKey, x25519SharedSecret } from '../../../utils/crypto/x25519';
import { hex, patternBytes, readVectors, toHexString } from './helpers';

// Known-answer vectors from the primitives' own specifications (sources in each JSON file),
// run through the exact wrappers utils/crypto uses.

interface HkdfVectors {
  cases: { name: string; ikm: string; salt: string; info: string; length: number; okm: string }[];
}
interface X25519Vectors {
  scalarMult: { name: string; scalar: string; u: string; output: string }[];
  iterated: { start: string; after1: string; after1000: string };
  diffieHellman: Record<'alicePrivate' | 'alicePublic' | 'bobPrivate' | 'bobPublic' | 'shared', string>;
}
interface GcmVectors {
  cases: {
    name: string;
    key: string;
    nonce: string;
    aad: string;
    plaintext: string;
    ciphertext: string;
    tag: string;
  }[];
}
interface Blake3Vectors {
  key: string;
  cases: { inputLength: number; keyedHash: string }[];
}
interface Argon2Vectors {
  cases: {
    iterations: number;
    memoryKiB: number;
    parallelism: number;
    password: string;
    salt: string;
    hash: string;
  }[];
}

describe('HKDF-SHA256, RFC 5869 appendix A', () => {
  for (const vector of readVectors<HkdfVectors>('hkdf-sha256-rfc5869.json').cases) {
    it(vector.name, () => {
      const okm = hkdfSha256(hex(vector.ikm), hex(vector.salt), hex(vector.info), vector.length);
      expect(toHexString(okm)).toBe(vector.okm);
    });
  }
});

describe('X25519, RFC 7748', () => {
  const vectors = readVectors<X25519Vectors>('x25519-rfc7748.json');

  for (const vector of vectors.scalarMult) {
    it(vector.name, () => {
      const shared = x25519SharedSecret(hex(vector.scalar), hex(vector.u), 'invalid-argument', 'u');
      expect(toHexString(shared)).toBe(vector.output);
    });
  }

  it('5.2 iterated, after 1 and 1000 iterations', () => {
    let k = hex(vectors.iterated.start);
    let u = hex(vectors.iterated.start);
    for (let i = 1; i <= 1000; i++) {
      const next = x25519.scalarMult(k, u);
      u = k;
      k = next;
      if (i === 1) expect(toHexString(k)).toBe(vectors.iterated.after1);
    }
    expect(toHexString(k)).toBe(vectors.iterated.after1000);
  });

  it('6.1 Diffie-Hellman: public keys and the shared secret', () => {
    const dh = vectors.diffieHellman;
    expect(toHexString(x25519PublicKey(hex(dh.alicePrivate)))).toBe(dh.alicePublic);
    expect(toHexString(x25519PublicKey(hex(dh.bobPrivate)))).toBe(dh.bobPublic);
    const aliceSide = x25519SharedSecret(hex(dh.alicePrivate), hex(dh.bobPublic), 'invalid-argument', 'pk');
    const bobSide = x25519SharedSecret(hex(dh.bobPrivate), hex(dh.alicePublic), 'invalid-argument', 'pk');
    expect(toHexString(aliceSide)).toBe(dh.shared);
    expect(toHexString(bobSide)).toBe(dh.shared);
  });

  it('refuses low-order public keys (all-zero shared secret) with the requested code', () => {
    const zero = new Uint8Array(32);
    const one = new Uint8Array(32);
    one[0] = 1;
    for (const lowOrder of [zero, one]) {
      expect(() =>
        x25519SharedSecret(hex(vectors.diffieHellman.alicePrivate), lowOrder, 'corrupt', 'epk'),
      ).toThrow(expect.objectContaining({ code: 'corrupt' }));
    }
  });
});

describe('AES-256-GCM through WebCrypto, McGrew-Viega test cases 13-16', () => {
  for (const vector of readVectors<GcmVectors>('aes-256-gcm-mcgrew-viega.json').cases) {
    it(vector.name, async () => {
      const encryptKey = await importAesGcmKey(hex(vector.key), 'encrypt');
      const sealed = await aesGcmEncrypt(
        encryptKey,
        hex(vector.nonce),
        hex(vector.plaintext),
        hex(vector.aad),
      );
      expect(toHexString(sealed)).toBe(vector.ciphertext + vector.tag);

      const decryptKey = await importAesGcmKey(hex(vector.key), 'decrypt');
      const opened = await aesGcmDecrypt(decryptKey, hex(vector.nonce), sealed, hex(vector.aad));
      expect(toHexString(opened!)).toBe(vector.plaintext);
      sealed[sealed.length - 1]! ^= 1;
      expect(await aesGcmDecrypt(decryptKey, hex(vector.nonce), sealed, hex(vector.aad))).toBeUndefined();
    });
  }
});

describe('keyed BLAKE3 (object ids), official test vectors', () => {
  const vectors = readVectors<Blake3Vectors>('blake3-keyed.json');
  const key = new TextEncoder().encode(vectors.key);

  for (const vector of vectors.cases) {
    it(`input length ${vector.inputLength}`, async () => {
      const id = await objectId(key, patternBytes(vector.inputLength));
      expect(id).toBe(vector.keyedHash.slice(0, 64));
    });
  }
});

describe('Argon2id (hash-wasm), reference implementation vectors', () => {
  const vectors = readVectors<Argon2Vectors>('argon2id-reference.json');
  // Cases costing more than 64 MiB × 2 passes (the 256 MiB one and t=4) would add seconds on a
  // shared machine; the ones run still cover t, m, p, password and salt.
  for (const vector of vectors.cases.filter((c) => c.memoryKiB * c.iterations <= 65536 * 2)) {
    it(`m=${vector.memoryKiB} t=${vector.iterations} p=${vector.parallelism} ${vector.password}/${vector.salt}`, async () => {
      const out = await hashWasmArgon2id({
        password: new TextEncoder().encode(vector.password),
        salt: new TextEncoder().encode(vector.salt),
        params: vector,
        length: 32,
      });
      expect(toHexString(out)).toBe(vector.hash);
    });
  }

  const cli = '/usr/bin/argon2';
  it.skipIf(!existsSync(cli))(
    `agrees with the reference CLI (${cli}) at the slot floor parameters (skipped only when the binary is absent)`,
    async () => {
      const password = 'correct horse ≠ battery'; // non-ASCII on purpose: both sides must see the same UTF-8 bytes
      const salt = 'chatvault-salt16';
      const fromCli = execFileSync(
        cli,
        [
          salt,
          '-id',
          '-t',
          String(ARGON2_FLOOR.iterations),
          '-k',
          String(ARGON2_FLOOR.memoryKiB),
          '-p',
          String(ARGON2_FLOOR.parallelism),
          '-l',
          '32',
          '-r',
        ],
        { input: password, encoding: 'utf8' },
      ).trim();
      const ours = await hashWasmArgon2id({
        password: new TextEncoder().encode(password),
        salt: new TextEncoder().encode(salt),
        params: ARGON2_FLOOR,
        length: 32,
      });
      expect(toHexString(ours)).toBe(fromCli);
    },
  );
});
