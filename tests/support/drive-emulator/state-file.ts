import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DriveEmulatorError } from './emulator-error';
import type { FileRecord, UploadSession } from './file-record';

/** Everything but file bytes, as one JSON document: small, and easy to inspect after a failed test. */
export interface PersistedState {
  format: 'chatvault-drive-emulator';
  version: 1;
  seq: number;
  rootId: string;
  /** client id → that app's appDataFolder id */
  appDataFolders: Record<string, string>;
  quotaBytes: number;
  files: FileRecord[];
  sessions: UploadSession[];
}

const FILE_NAME = 'drive-state.json';

export function loadStateFile(directory: string): PersistedState | undefined {
  const path = join(directory, FILE_NAME);
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new DriveEmulatorError('corrupt-state', `Cannot parse ${path}`, { cause });
  }
  const state = parsed as Partial<PersistedState>;
  if (state.format !== 'chatvault-drive-emulator' || state.version !== 1) {
    throw new DriveEmulatorError('corrupt-state', `${path} is not a version 1 Drive emulator state file`);
  }
  return parsed as PersistedState;
}

/** Write-then-rename, so a crash mid-write leaves the previous state, not half a file. */
export function saveStateFile(directory: string, state: PersistedState): void {
  mkdirSync(directory, { recursive: true });
  const path = join(directory, FILE_NAME);
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, JSON.stringify(state));
  renameSync(temporary, path);
}

export function removeStateFile(directory: string): void {
  rmSync(join(directory, FILE_NAME), { force: true });
}
