import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Argon2idFunction,
  createOpenStream,
  createPasswordSlot,
  createRecoverySlot,
  deriveRepositoryKeys,
  formatRecoveryKey,
  generateRecoveryKey,
  isCryptoError,
  openObject,
  openPasswordSlot,
  openRecoverySlot,
  parseKeySlot,
  parseRecoveryKey,
  sealObject,
} from '../../../utils/crypto/index';
import { patternBytes, seededRandom, throughStream } from './helpers';

/**
 * Bounded fuzzing of everything that decodes untrusted input: sealed objects, typed recovery keys
 * and stored key slots. Whatever the input, the outcome is a result or a CryptoError, never
 * another exception type, and never a hang (fast-check's per-run timeout fails a run that does
 * not settle).
 */

const keys = deriveRepositoryKeys(new Uint8Array(32).fill(3), new Uint8Array(32).fill(4));
const repoId = new Uint8Array(32).fill(4);
const master = new Uint8Array(32).fill(3);
const fastKdf: Argon2idFunction = async ({ password, salt }) =>
  new Uint8Array(createHash('sha256').update(password).update(salt).digest());
const RUN_TIMEOUT_MS = 10_000;

async function outcome(run: () => Promise<unknown> | unknown): Promise<'ok' | 'crypto-error'> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    if (isCryptoError(error)) return 'crypto-error';
    throw error;
  }
}

/** Byte-level mutations: overwrite, insert, delete, truncate, duplicate a range. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    at: fc.nat(),
    count: fc.integer({ min: 1, max: 5000 }),
  }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const at = bytes.length === 0 ? 0 : m.at % bytes.length;
  const b = Buffer.from(bytes);
  switch (m.kind) {
    case 'set':
      if (b.length > 0) b[at] = m.value;
      return new Uint8Array(b);
    case 'insert':
      return new Uint8Array(Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)]));
    case 'delete':
      return new Uint8Array(Buffer.concat([b.subarray(0, at), b.subarray(at + m.count)]));
    case 'truncate':
      return new Uint8Array(b.subarray(0, at));
    case 'duplicate':
      return new Uint8Array(Buffer.concat([b.subarray(0, at), b.subarray(at, at + m.count), b.subarray(at)]));
  }
}

describe('decoder fuzzing', () => {
  it('openObject and the open stream: random bytes and bytes with a valid-looking header', async () => {
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 400 }),
      fc
        .tuple(fc.integer({ min: 12, max: 24 }), fc.uint8Array({ minLength: 0, maxLength: 400 }))
        .map(
          ([log2, rest]) =>
            new Uint8Array(Buffer.concat([Buffer.from('CVO\x01', 'latin1'), Buffer.from([log2]), rest])),
        ),
    );
    await fc.assert(
      fc.asyncProperty(input, fc.integer({ min: 1, max: 97 }), async (bytes, piece) => {
        expect(await outcome(() => openObject(bytes, keys.secretKey))).toBe('crypto-error');
        expect(await outcome(() => throughStream(createOpenStream(keys.secretKey), bytes, [piece]))).toBe(
          'crypto-error',
        );
      }),
      { numRuns: 300, timeout: RUN_TIMEOUT_MS },
    );
  });

  it('openObject: mutated sealed objects never open and only ever throw CryptoError', async () => {
    const originals = await Promise.all(
      [0, 100, 4096, 9000].map((length) =>
        sealObject(patternBytes(length), keys.publicKey, { chunkSize: 4096 }),
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...originals),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        async (original, mutations) => {
          const mutated = mutations.reduce(mutate, original);
          const result = await outcome(() => openObject(mutated, keys.secretKey));
          if (Buffer.from(mutated).equals(Buffer.from(original))) expect(result).toBe('ok');
          else expect(result).toBe('crypto-error');
        },
      ),
      { numRuns: 300, timeout: RUN_TIMEOUT_MS },
    );
  });

  it('parseRecoveryKey: arbitrary and mutated text gives 32 bytes or a CryptoError', async () => {
    const valid = formatRecoveryKey(generateRecoveryKey(seededRandom(9)));
    const text = fc.oneof(
      fc.string({ maxLength: 120 }),
      fc.string({ unit: 'grapheme', maxLength: 80 }),
      fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF- \n'), maxLength: 90 }),
      fc
        .tuple(fc.nat(), fc.string({ maxLength: 3 }), fc.nat({ max: 3 }))
        .map(([at, insert, remove]) => valid.slice(0, at % 80) + insert + valid.slice((at % 80) + remove)),
    );
    await fc.assert(
      fc.asyncProperty(text, async (candidate) => {
        let parsed: unknown;
        const result = await outcome(() => {
          parsed = parseRecoveryKey(candidate);
        });
        if (result === 'ok') expect((parsed as Uint8Array).length).toBe(32);
      }),
      { numRuns: 500, timeout: RUN_TIMEOUT_MS },
    );
  });

  it('key slots: arbitrary JSON values and mutated real slots only ever fail with a CryptoError', async () => {
    const recoveryKey = generateRecoveryKey(seededRandom(5));
    const passwordSlot = JSON.parse(
      JSON.stringify(await createPasswordSlot(master, 'pw', repoId, { argon2id: fastKdf })),
    );
    const recoverySlot = JSON.parse(JSON.stringify(await createRecoverySlot(master, recoveryKey, repoId)));

    const fieldEdit = fc.tuple(
      fc.constantFrom(
        'type',
        'kdf',
        'salt',
        'nonce',
        'wrapped',
        'memoryKiB',
        'iterations',
        'parallelism',
        'name',
        'extra',
      ),
      fc.jsonValue(),
      fc.boolean(),
    );
    const editSlot = (slot: Record<string, unknown>, [field, value, remove]: [string, unknown, boolean]) => {
      const copy = JSON.parse(JSON.stringify(slot)) as Record<string, unknown>;
      const kdf = copy.kdf;
      const inKdf = !(field in copy) && kdf !== null && typeof kdf === 'object' && !Array.isArray(kdf);
      const target = inKdf ? (kdf as Record<string, unknown>) : copy;
      if (remove) delete target[field];
      else target[field] = value;
      return copy;
    };
    const candidate = fc.oneof(
      fc.anything(),
      fc.jsonValue(),
      fc
        .tuple(
          fc.constantFrom(passwordSlot, recoverySlot),
          fc.array(fieldEdit, { minLength: 1, maxLength: 3 }),
        )
        .map(([slot, edits]) => edits.reduce(editSlot, slot as Record<string, unknown>)),
    );
    await fc.assert(
      fc.asyncProperty(candidate, async (value) => {
        await outcome(() => parseKeySlot(value));
        // Only the untouched slot may open (edits that leave it equal, e.g. rewriting a field to
        // its own value, count as untouched).
        if ((await outcome(() => openPasswordSlot(value, 'pw', repoId, { argon2id: fastKdf }))) === 'ok') {
          expect(parseKeySlot(value)).toEqual(passwordSlot);
        }
        if ((await outcome(() => openRecoverySlot(value, recoveryKey, repoId))) === 'ok') {
          expect(parseKeySlot(value)).toEqual(recoverySlot);
        }
      }),
      { numRuns: 400, timeout: RUN_TIMEOUT_MS },
    );
  });
});
