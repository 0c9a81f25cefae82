import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { objectId } from '@/utils/crypto';
import { readBlob, streamBlob } from '@/utils/repo/blob-reader';
import { type BlobType, loadIndex, type PackEntry, writeIndexFile } from '@/utils/repo/index-file';
import { PackWriter } from '@/utils/repo/pack-writer';
import { initRepository } from '@/utils/repo/repository';
import { MemoryStorage } from '@/utils/storage/memory';
import { fastArgon2id } from './helpers';

const CHUNK = 4096;

// Sizes clustered around STREAM chunk boundaries, where off-by-one errors live.
const size = fc.oneof(
  fc.integer({ min: 0, max: 3 * CHUNK + 2 }),
  fc
    .integer({ min: 0, max: 3 })
    .chain((k) => fc.integer({ min: -1, max: 1 }).map((d) => Math.max(0, k * CHUNK + d))),
);
const blob = fc.record({
  type: fc.constantFrom<BlobType>('segment', 'media', 'chat'),
  bytes: size.chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
  streamed: fc.boolean(),
});

describe('packs (property)', () => {
  it('every blob written through packs and index reads back identical, buffered or streamed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(blob, { minLength: 1, maxLength: 12 }), async (blobs) => {
        const storage = new MemoryStorage();
        const { repository } = await initRepository(storage, {
          password: 'property password',
          argon2id: fastArgon2id,
          chunkSizeLog2: 12,
          packTargetSize: 1024 * 1024,
        });
        // Pack target far below the blob sizes would be invalid; shrink it after init for the test.
        repository.config.packTargetSize = 3 * CHUNK;
        const packs: PackEntry[] = [];
        const writer = new PackWriter(repository, (p) => void packs.push(p));
        const ids: string[] = [];
        for (const { type, bytes, streamed } of blobs) {
          const id = await objectId(repository.keys.idKey, bytes);
          ids.push(id);
          if (writer.holds(id)) continue;
          if (streamed && type === 'media') {
            await writer.addStream(id, bytes.length, async () => new Blob([bytes]).stream());
          } else await writer.add(id, type, bytes);
        }
        await writer.flush();
        await writeIndexFile(repository, packs);
        const index = await loadIndex(repository);
        for (const [i, { bytes, type }] of blobs.entries()) {
          expect(Buffer.compare(await readBlob(repository, index, ids[i]!), bytes)).toBe(0);
          if (type === 'media') {
            const pieces: Uint8Array[] = [];
            await streamBlob(repository, index, ids[i]!, (p) => void pieces.push(p));
            expect(Buffer.compare(Buffer.concat(pieces), bytes)).toBe(0);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
