import { stat } from 'node:fs/promises';
import type { BackupSource } from '@/utils/repo/backup';
import { readDatasetFolder } from '@/utils/schema/dataset-folder.node.ts';

/** A dataset folder (`dataset.json` + `media/`) as a backup source; media stream from disk. */
export async function datasetFolderSource(dir: string): Promise<BackupSource> {
  const folder = await readDatasetFolder(dir);
  return {
    dataset: folder.dataset,
    async mediaSize(filehash) {
      try {
        const info = await stat(folder.mediaPath(filehash));
        return info.isFile() ? info.size : undefined;
      } catch {
        return undefined;
      }
    },
    async openMedia(filehash) {
      return folder.openMediaStream(filehash);
    },
  };
}
