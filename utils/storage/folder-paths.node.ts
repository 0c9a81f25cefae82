// Node-only: how FolderStorage lays objects out on disk.
import path from 'node:path';

/** Bytes of the object's own name kept in a temp file name, so the whole stays under NAME_MAX (255). */
const TEMP_NAME_STEM_CHARS = 200;

/**
 * Temp files are `.<name>.~<random hex>.tmp`. The `~` is outside the storage name alphabet, so a
 * temp file (one left behind by a crash included) can never be mistaken for an object.
 */
export function tempFileName(baseName: string): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(8)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
  return `.${baseName.slice(0, TEMP_NAME_STEM_CHARS)}.~${random}.tmp`;
}

/** The file holding object `name` (already validated) under `root`. */
export function objectPath(root: string, name: string): string {
  return path.join(root, ...name.split('/'));
}

/** The object name of a file found at `segments` below the root. */
export function objectName(segments: readonly string[]): string {
  return segments.join('/');
}

/**
 * Whether directory `dirName` (a `/`-joined path below the root, '' for the root) can hold names
 * starting with `prefix`; lets a prefixed listing skip unrelated subtrees.
 */
export function directoryMayMatch(dirName: string, prefix: string): boolean {
  if (dirName === '') return true;
  const asPrefix = `${dirName}/`;
  return asPrefix.startsWith(prefix) || prefix.startsWith(asPrefix);
}
