import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isCryptoError, OBJECT_HEADER_LENGTH, sealObject } from '@/utils/crypto';
import { isRepoError } from '@/utils/repo/errors';
import { loadIndex } from '@/utils/repo/index-file';
import { checkRepository, prune } from '@/utils/repo/maintenance';
import { openRepository } from '@/utils/repo/repository';
import { restoreSnapshot } from '@/utils/repo/restore';
import { listSnapshots, readSnapshot } from '@/utils/repo/snapshot';
import { canonicalJson } from '@/utils/schema/canonical-json';
import { readDatasetFolder } from '@/utils/schema/dataset-folder.node.ts';
import { MemoryStorage } from '@/utils/storage/memory';

/**
 * The golden repository (tests/fixtures/golden/v1, made once by make-golden.ts) must open and
 * restore exactly with every later version of this code. The damage tests start from an
 * in-memory copy of it and break one thing each, checking the exact error a user gets.
 */
const GOLDEN = join(import.meta.dirname, '../../fixtures/golden/v1');
let about: { password: string; recoveryKey: string; snapshotId: string };
let files: Map<string, Uint8Array>;

async function walk(dir: string, out: string[] = []): Promise<string[]> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, out);
    else out.push(full);
  }
  return out;
}

beforeAll(async () => {
  about = JSON.parse(await readFile(join(GOLDEN, 'golden.json'), 'utf8'));
  files = new Map();
  const root = join(GOLDEN, 'repository');
  for (const file of await walk(root))
    files.set(relative(root, file).split('\\').join('/'), await readFile(file));
});

async function copy(): Promise<MemoryStorage> {
  const storage = new MemoryStorage();
  for (const [name, bytes] of files) await storage.put(name, new Uint8Array(bytes));
  return storage;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('golden repository v1', () => {
  it('opens with its password and recovery key and restores its dataset exactly', async () => {
    const storage = await copy();
    const repository = await openRepository(storage, { password: about.password });
    await openRepository(storage, { recoveryKey: about.recoveryKey });
    const expected = await readDatasetFolder(join(GOLDEN, 'dataset'));
    const restoredMedia = new Map<string, Buffer>();
    const result = await restoreSnapshot(repository, about.snapshotId, {
      onMedia: async (filehash, write) => {
        const pieces: Uint8Array[] = [];
        await write((p) => void pieces.push(p));
        restoredMedia.set(filehash, Buffer.concat(pieces));
      },
    });
    expect(result.problems).toEqual([]);
    expect(canonicalJson(result.dataset)).toBe(canonicalJson(expected.dataset));
    expect(restoredMedia.size).toBeGreaterThan(0);
    for (const [filehash, bytes] of restoredMedia) {
      expect(Buffer.compare(bytes, Buffer.from(await expected.readMedia(filehash)))).toBe(0);
    }
    expect((await checkRepository(repository, { readData: true })).errors).toEqual([]);
  });
});

describe('damaged copies of the golden repository', () => {
  it('wrong password', async () => {
    const error = await failure(openRepository(await copy(), { password: 'not it' }));
    expect(error).toMatchObject({ code: 'wrong-password', message: 'Wrong password for this backup.' });
  });

  it('damaged password slot: says so and points to the recovery key, which still opens it', async () => {
    const storage = await copy();
    for await (const info of storage.list('keys/')) {
      const slot = JSON.parse(new TextDecoder().decode(await storage.get(info.name)));
      if (slot.type !== 'password') continue;
      await storage.put(
        info.name,
        new TextEncoder().encode(JSON.stringify({ ...slot, nonce: 'AAAAAAAAAAAAAAAA' })),
      );
    }
    const error = await failure(openRepository(storage, { password: about.password }));
    expect(error).toMatchObject({ code: 'corrupt' });
    expect(error.message).toMatch(
      /^This backup's key files are damaged \(keys\/[0-9a-f]{32}\); unlock with your recovery key instead\.$/,
    );
    await openRepository(storage, { recoveryKey: about.recoveryKey });
  });

  it('unknown (newer) repository version', async () => {
    const storage = await copy();
    const config = JSON.parse(new TextDecoder().decode(await storage.get('config')));
    await storage.put('config', new TextEncoder().encode(JSON.stringify({ ...config, version: 7 })));
    const error = await failure(openRepository(storage, { password: about.password }));
    expect(error.message).toBe(
      'This backup uses repository format version 7; this ChatVault reads up to version 1. Update ChatVault to open it.',
    );
  });

  it('truncated snapshot', async () => {
    const storage = await copy();
    const name = `snapshots/${about.snapshotId}`;
    const bytes = await storage.get(name);
    await storage.put(name, bytes.subarray(0, bytes.length - 7));
    const repository = await openRepository(storage, { password: about.password });
    const error = await failure(readSnapshot(repository, about.snapshotId));
    expect(error).toMatchObject({ code: 'corrupt' });
    // A cut inside the last chunk cannot be told apart from a changed byte; the message says both.
    expect(error.message).toMatch(
      /^Snapshot [0-9a-f]{12} is damaged and cannot be decrypted \(.*cut short.*\)\.$/,
    );
  });

  /** The index location of the biggest media blob, which spans several STREAM chunks. */
  async function biggestMedia(storage: MemoryStorage) {
    const repository = await openRepository(storage, { password: about.password });
    const snapshot = await readSnapshot(repository, about.snapshotId);
    const index = await loadIndex(repository);
    const media = [...snapshot.media].sort((a, b) => b.size - a.size)[0]!;
    return { repository, media, location: index.locate(media.blob)! };
  }

  it('flipped bit in a media blob: everything else restores, the file is named', async () => {
    const storage = await copy();
    const { repository, media, location } = await biggestMedia(storage);
    const name = `data/${location.pack.id}`;
    const pack = await storage.get(name);
    pack[location.blob.offset + 500]! ^= 0x01;
    await storage.put(name, pack);
    const result = await restoreSnapshot(repository, about.snapshotId);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ kind: 'media', filehash: media.filehash });
    expect(result.problems[0]!.error).toMatch(/^Blob [0-9a-f]{12} is damaged \(/);
  });

  it('reordered chunks in a media blob are detected', async () => {
    const storage = await copy();
    const { repository, media, location } = await biggestMedia(storage);
    const chunk = repository.chunkSize + 16;
    expect(location.blob.length).toBeGreaterThan(OBJECT_HEADER_LENGTH + 2 * chunk);
    const name = `data/${location.pack.id}`;
    const pack = await storage.get(name);
    const first = location.blob.offset + OBJECT_HEADER_LENGTH;
    const a = pack.slice(first, first + chunk);
    pack.copyWithin(first, first + chunk, first + 2 * chunk);
    pack.set(a, first + chunk);
    await storage.put(name, pack);
    const result = await restoreSnapshot(repository, about.snapshotId);
    expect(result.problems).toEqual([expect.objectContaining({ kind: 'media', filehash: media.filehash })]);
  });

  it('missing pack: the chats and media it held are named, the rest restores', async () => {
    const storage = await copy();
    const { repository, location } = await biggestMedia(storage);
    await storage.delete(`data/${location.pack.id}`);
    const result = await restoreSnapshot(repository, about.snapshotId);
    expect(result.problems.length).toBeGreaterThan(0);
    for (const problem of result.problems) {
      expect(problem.error).toMatch(/^Pack [0-9a-f]{12} holding blob [0-9a-f]{12} is missing\.$/);
    }
    expect(result.dataset.chats.length).toBeGreaterThan(0);
    const check = await checkRepository(repository);
    expect(check.errors).toContain(`pack ${location.pack.id.slice(0, 12)} is missing`);
  });

  it('a snapshot or index forged with the public key alone is refused, and the real ones still work', async () => {
    const storage = await copy();
    const repository = await openRepository(storage, { password: about.password });
    // What anyone who can read the Drive folder can do: seal a well-formed document to the
    // plaintext public key, under a plausible name.
    const real = await readSnapshot(repository, about.snapshotId);
    const forged = { ...real, time: new Date(Date.UTC(2030, 0, 1)).toISOString(), host: 'attacker' };
    const gz = new Uint8Array(
      await new Response(
        new Blob([JSON.stringify(forged)]).stream().pipeThrough(new CompressionStream('gzip')),
      ).arrayBuffer(),
    );
    const forgedId = 'f'.repeat(64);
    await storage.put(`snapshots/${forgedId}`, await sealObject(gz, repository.keys.publicKey));
    await storage.put(`index/${'e'.repeat(64)}`, await sealObject(gz, repository.keys.publicKey));
    const error = await failure(readSnapshot(repository, forgedId));
    expect(error.message).toBe(
      `Snapshot ${forgedId.slice(0, 12)} was not written with this backup's keys (forged or swapped); it is ignored.`,
    );
    const list = await listSnapshots(repository);
    expect(list.map((s) => s.id)).toEqual([about.snapshotId]);
    expect(list.damaged.map((d) => d.id)).toEqual([forgedId]);
    expect((await restoreSnapshot(repository, about.snapshotId)).problems).toEqual([]);
    const check = await checkRepository(repository);
    expect(check.errors).toHaveLength(2);
    await expect(prune(repository)).rejects.toMatchObject({ code: 'corrupt' });
  });

  it('every decoder turns random damage into a typed error, never a crash (bounded fuzz)', async () => {
    const names = [...files.keys()].filter((n) => n !== 'config');
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const repositoryFor = async (storage: MemoryStorage) =>
      openRepository(storage, { password: about.password });
    const base = await repositoryFor(await copy());
    for (let round = 0; round < 60; round++) {
      const storage = await copy();
      const name = names[next() % names.length]!;
      const bytes = new Uint8Array(await storage.get(name));
      const mutation = next() % 3;
      let damaged: Uint8Array;
      if (mutation === 0) {
        damaged = bytes;
        for (let i = 0; i < 1 + (next() % 4); i++) damaged[next() % damaged.length]! ^= 1 << (next() % 8);
      } else if (mutation === 1) damaged = bytes.subarray(0, next() % bytes.length);
      else
        damaged = new Uint8Array([
          ...bytes,
          ...Array.from({ length: 1 + (next() % 40) }, () => next() & 0xff),
        ]);
      await storage.put(name, damaged);
      const repository = { ...base, storage };
      // Damage must be detected — by the restore, or else by check --read-data (bytes appended
      // to a pack are never read by a restore, only the pack's SHA-256 shows them) — and only
      // ever as a typed error.
      let detected = false;
      for (const attempt of [
        async () => (await restoreSnapshot(repository, about.snapshotId)).problems.length > 0,
        async () => (await checkRepository(repository, { readData: true })).errors.length > 0,
      ]) {
        try {
          detected ||= await attempt();
        } catch (error) {
          if (!isRepoError(error) && !isCryptoError(error))
            throw new Error(`${name}: untyped ${String(error)}`);
          detected = true;
        }
      }
      expect(detected, `${name} mutation ${mutation}`).toBe(true);
    }
  });
});
