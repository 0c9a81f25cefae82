import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJsonBytes } from '@/utils/schema/canonical-json';
import { DATASET_FILE_NAME, MEDIA_DIR_NAME } from '@/utils/schema/dataset-folder.node.ts';
import { filehashToFileName } from '@/utils/schema/filehash';
import type { Repository } from './repository';
import { type RestoreResult, restoreSnapshot } from './restore';

/**
 * Restores a snapshot into a dataset folder (`dataset.json` + `media/`), the same layout the
 * CLI backs up from. Each media file is written to a temporary name and renamed only once all
 * its bytes verified, so a damaged blob never leaves a wrong file behind.
 */
export async function restoreToFolder(
  repository: Repository,
  snapshotId: string,
  dir: string,
): Promise<RestoreResult> {
  const mediaDir = join(dir, MEDIA_DIR_NAME);
  await mkdir(mediaDir, { recursive: true });
  const result = await restoreSnapshot(repository, snapshotId, {
    onMedia: async (filehash, write) => {
      const target = join(mediaDir, filehashToFileName(filehash));
      const partial = `${target}.partial`;
      const file = await open(partial, 'w');
      try {
        await write(async (piece) => {
          await file.write(piece);
        });
        await file.close();
        await rename(partial, target);
      } catch (error) {
        await file.close().catch(() => {});
        await rm(partial, { force: true });
        throw error;
      }
    },
  });
  const datasetPath = join(dir, DATASET_FILE_NAME);
  const file = await open(`${datasetPath}.partial`, 'w');
  await file.write(canonicalJsonBytes(result.dataset));
  await file.close();
  await rename(`${datasetPath}.partial`, datasetPath);
  return result;
}
