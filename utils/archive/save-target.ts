import { RestorePageError } from './restore-errors';

/** Where the restore zip is written: a file the user picked, or a download made at the end. */
export interface SaveTarget {
  kind: 'file' | 'download';
  writable: WritableStream<Uint8Array>;
  /** After the writable closed: for a download, hands the finished file to the browser. */
  finish(): Promise<void>;
}

/** The File System Access API's part we use (window.showSaveFilePicker). */
export type ShowSaveFilePicker = (options: {
  suggestedName: string;
  types?: { description: string; accept: Record<string, string[]> }[];
}) => Promise<{ createWritable(): Promise<WritableStream<Uint8Array>> }>;

export interface SaveTargetDeps {
  /** Present where the browser has the File System Access API. */
  showSaveFilePicker?: ShowSaveFilePicker;
  /** Saves a finished file (browser.downloads or an <a download> link). */
  download(file: Blob, fileName: string): Promise<void>;
}

/**
 * Asks where to save: a file written as the zip streams (bounded memory, any size) where the
 * browser can, else a Blob assembled from the stream and downloaded at the end (the fallback
 * keeps the whole zip in memory or the browser's blob store until then).
 */
export async function openSaveTarget(fileName: string, deps: SaveTargetDeps): Promise<SaveTarget> {
  if (typeof fileName !== 'string' || !fileName.endsWith('.zip') || /[/\\]/.test(fileName)) {
    throw new RestorePageError('invalid-argument', 'fileName must be a plain file name ending in .zip');
  }
  if (deps === null || typeof deps !== 'object' || typeof deps.download !== 'function') {
    throw new RestorePageError('invalid-argument', 'openSaveTarget needs a download function');
  }
  if (typeof deps.showSaveFilePicker === 'function') {
    let handle: Awaited<ReturnType<ShowSaveFilePicker>>;
    try {
      handle = await deps.showSaveFilePicker({
        suggestedName: fileName,
        types: [{ description: 'Zip archive', accept: { 'application/zip': ['.zip'] } }],
      });
    } catch (error) {
      if ((error as { name?: unknown } | null)?.name === 'AbortError') {
        throw new RestorePageError('cancelled', 'No file was chosen, so nothing was restored.', {
          cause: error,
        });
      }
      throw new RestorePageError('write-failed', `Could not open the file to save to: ${describe(error)}`, {
        cause: error,
      });
    }
    const writable = await handle.createWritable().catch((error: unknown) => {
      throw new RestorePageError('write-failed', `Could not write the chosen file: ${describe(error)}`, {
        cause: error,
      });
    });
    return { kind: 'file', writable, finish: async () => {} };
  }
  const pass = new TransformStream<Uint8Array, Uint8Array>();
  const blob = new Response(pass.readable).blob();
  // An aborted write rejects `blob`; finish() is not called then, so keep that from going unhandled.
  blob.catch(() => {});
  return {
    kind: 'download',
    writable: pass.writable,
    async finish() {
      const file = await blob;
      try {
        await deps.download(new Blob([file], { type: 'application/zip' }), fileName);
      } catch (error) {
        throw new RestorePageError(
          'write-failed',
          `The browser did not start the download: ${describe(error)}`,
          {
            cause: error,
          },
        );
      }
    },
  };
}

/** `ChatVault restore 2024-05-01.zip`, from the backup's time. */
export function restoreFileName(backupTime: string): string {
  const day = /^\d{4}-\d{2}-\d{2}/.exec(typeof backupTime === 'string' ? backupTime : '')?.[0];
  return day ? `ChatVault restore ${day}.zip` : 'ChatVault restore.zip';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
