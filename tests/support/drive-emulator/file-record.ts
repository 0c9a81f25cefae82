/** How the emulator keeps a Drive file internally (the API shape is built in file-resource.ts). */

export const FOLDER_MIME_TYPE = 'application/vnd.google-apps.folder';

export type DriveSpace = 'drive' | 'appDataFolder';

export interface ContentInfo {
  size: number;
  md5: string;
  sha1: string;
  sha256: string;
  headRevisionId: string;
}

export interface FileRecord {
  id: string;
  /** Creation order: the stable tie-breaker of every listing. */
  seq: number;
  name: string;
  mimeType: string;
  parents: string[];
  space: DriveSpace;
  /**
   * OAuth client that created the file. With the `drive.file` scope an app sees only its own
   * files; `null` means the user made it in Drive's UI (visible only with the full scopes).
   */
  appId: string | null;
  description?: string;
  starred: boolean;
  trashed: boolean;
  explicitlyTrashed: boolean;
  trashedTime?: number;
  /** appProperties are private to each app, so they are kept per client id. */
  appProperties: Record<string, Record<string, string>>;
  properties: Record<string, string>;
  /** Milliseconds since the epoch. */
  createdTime: number;
  modifiedTime: number;
  version: number;
  originalFilename?: string;
  /** Absent for folders. */
  content?: ContentInfo;
  /** My Drive's root and the per-app appDataFolder: never listed, never deleted. */
  isRoot?: boolean;
}

export interface UploadSession {
  id: string;
  /** A new file, or new content for an existing one. */
  fileId?: string;
  /** The validated metadata from the initiation request. */
  metadata: Record<string, unknown>;
  addParents?: string;
  removeParents?: string;
  appId: string;
  contentType: string;
  /** X-Upload-Content-Length, when the client declared it. */
  declaredLength?: number;
  /** Total size once a Content-Range has stated it. */
  totalLength?: number;
  /** Bytes kept so far (always from offset 0). */
  stored: number;
  createdAt: number;
  /** Path and query of the initiation request: the session URI repeats them. */
  path: string;
  query: string;
  completedFileId?: string;
}

export function isFolder(record: FileRecord): boolean {
  return record.mimeType === FOLDER_MIME_TYPE;
}
