import { createHash } from 'node:crypto';
import { type ContentStore, DirectoryContentStore, MemoryContentStore } from './content-store';
import { DriveEmulatorError, invalidArgument } from './emulator-error';
import {
  type ContentInfo,
  type DriveSpace,
  type FileRecord,
  FOLDER_MIME_TYPE,
  isFolder,
  type UploadSession,
} from './file-record';
import { newFileId, newRevisionId, newRootId } from './ids';
import { loadStateFile, type PersistedState, removeStateFile, saveStateFile } from './state-file';

/** Google's free tier. */
export const DEFAULT_QUOTA_BYTES = 15 * 1024 ** 3;

export interface DriveStateOptions {
  /** Persist to this directory (metadata JSON + one content file per file); memory when omitted. */
  directory?: string;
  /** Storage quota; when omitted, the persisted value, else 15 GiB. */
  quotaBytes?: number;
  clock: () => number;
}

export interface NewFile {
  id?: string;
  name: string;
  mimeType: string;
  parents: string[];
  space: DriveSpace;
  appId: string | null;
  appProperties?: Record<string, string>;
  properties?: Record<string, string>;
  description?: string;
  starred?: boolean;
  createdTime?: number;
  modifiedTime?: number;
  originalFilename?: string;
  /** File bytes; ignored for folders, empty when omitted. */
  content?: Uint8Array;
}

export interface StorageUsage {
  /** Every byte counted against the quota (Drive counts trashed files too). */
  usage: number;
  usageInDriveTrash: number;
}

/** Options of the test helper `seedFile`: make a file exist without going through HTTP. */
export interface SeedFileOptions {
  name: string;
  content?: Uint8Array | string;
  mimeType?: string;
  /** Parent folder id, or 'root' (the default) or 'appDataFolder'. */
  parent?: string;
  /** OAuth client that "created" it; visible to that client's drive.file tokens. `null`: made in Drive's UI. */
  appId?: string | null;
  appProperties?: Record<string, string>;
  trashed?: boolean;
}

/**
 * The emulated Drive of one user: file records, their bytes, upload sessions and the quota.
 * Handlers change it through these methods; tests read it (and seed it) through the same object,
 * exposed as `emulator.state`.
 */
export class DriveState {
  readonly #directory: string | undefined;
  readonly #store: ContentStore;
  readonly #clock: () => number;
  readonly #files = new Map<string, FileRecord>();
  readonly #sessions = new Map<string, UploadSession>();
  readonly #appDataFolders = new Map<string, string>();
  #rootId = '';
  #seq = 0;
  #quotaBytes: number;
  /** The OAuth client seedFile() attributes files to when not told otherwise. */
  defaultAppId: string | null = null;

  constructor(options: DriveStateOptions) {
    if (options.quotaBytes !== undefined) assertByteCount(options.quotaBytes, 'quotaBytes');
    this.#directory = options.directory;
    this.#clock = options.clock;
    this.#store = options.directory ? new DirectoryContentStore(options.directory) : new MemoryContentStore();
    this.#quotaBytes = DEFAULT_QUOTA_BYTES;
    const persisted = options.directory ? loadStateFile(options.directory) : undefined;
    if (persisted) this.#restore(persisted);
    else this.#initialise();
    if (options.quotaBytes !== undefined) this.#quotaBytes = options.quotaBytes;
    this.persist();
  }

  now(): number {
    return this.#clock();
  }

  get rootId(): string {
    return this.#rootId;
  }

  get quotaBytes(): number {
    return this.#quotaBytes;
  }

  set quotaBytes(bytes: number) {
    assertByteCount(bytes, 'quotaBytes');
    this.#quotaBytes = bytes;
    this.persist();
  }

  usage(): StorageUsage {
    let usage = 0;
    let usageInDriveTrash = 0;
    for (const record of this.#files.values()) {
      const size = record.content?.size ?? 0;
      usage += size;
      if (record.trashed) usageInDriveTrash += size;
    }
    return { usage, usageInDriveTrash };
  }

  freeBytes(): number {
    return Math.max(0, this.#quotaBytes - this.usage().usage);
  }

  get(id: string): FileRecord | undefined {
    return this.#files.get(id);
  }

  /** Every record, roots included, in creation order. */
  records(): FileRecord[] {
    return [...this.#files.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Test view: the files a user would see (roots left out). */
  files(): FileRecord[] {
    return this.records().filter((record) => !record.isRoot);
  }

  children(parentId: string): FileRecord[] {
    return this.records().filter((record) => record.parents.includes(parentId));
  }

  /** The app's hidden folder, made on first use as Drive does. */
  appDataFolderId(clientId: string): string {
    const existing = this.#appDataFolders.get(clientId);
    if (existing) return existing;
    const id = newRootId();
    this.#appDataFolders.set(clientId, id);
    this.#insert({
      ...this.#blankRecord(id),
      name: 'Application Data',
      mimeType: FOLDER_MIME_TYPE,
      space: 'appDataFolder',
      appId: clientId,
      isRoot: true,
    });
    return id;
  }

  isAppDataFolder(id: string): boolean {
    return [...this.#appDataFolders.values()].includes(id);
  }

  createFile(init: NewFile): FileRecord {
    const now = this.now();
    const id = init.id ?? newFileId();
    const record: FileRecord = {
      ...this.#blankRecord(id),
      name: init.name,
      mimeType: init.mimeType,
      parents: [...init.parents],
      space: init.space,
      appId: init.appId,
      appProperties: init.appId && init.appProperties ? { [init.appId]: { ...init.appProperties } } : {},
      properties: { ...init.properties },
      description: init.description,
      starred: init.starred ?? false,
      createdTime: init.createdTime ?? now,
      modifiedTime: init.modifiedTime ?? init.createdTime ?? now,
      originalFilename: init.originalFilename,
    };
    if (record.mimeType !== FOLDER_MIME_TYPE) {
      const bytes = init.content ?? new Uint8Array(0);
      this.#store.write(id, bytes);
      record.content = describeContent(bytes);
    }
    this.#insert(record);
    return record;
  }

  /** New bytes for an existing file: a new head revision, as Drive makes. */
  replaceContent(record: FileRecord, bytes: Uint8Array): void {
    this.#store.write(record.id, bytes);
    record.content = describeContent(bytes);
    this.touch(record);
  }

  readContent(id: string): Buffer {
    const record = this.#files.get(id);
    if (!record) throw new DriveEmulatorError('not-found', `No file with id ${id}`);
    if (isFolder(record)) throw invalidArgument(`${id} is a folder and has no content`);
    return this.#store.read(id);
  }

  readContentRange(id: string, start: number, end: number): Buffer {
    return this.#store.readRange(id, start, end);
  }

  /** Records a metadata change: bumps the version and, unless the caller set it, modifiedTime. */
  touch(record: FileRecord, options: { keepModifiedTime?: boolean } = {}): void {
    record.version += 1;
    if (!options.keepModifiedTime) record.modifiedTime = Math.max(this.now(), record.modifiedTime);
    this.persist();
  }

  /** Permanently deletes a file, or a folder with everything under it. */
  deleteTree(id: string): void {
    const pending = [id];
    while (pending.length > 0) {
      const current = pending.pop() as string;
      for (const child of this.children(current)) pending.push(child.id);
      const record = this.#files.get(current);
      if (!record || record.isRoot) continue;
      this.#files.delete(current);
      this.#store.remove(current);
    }
    this.persist();
  }

  // ---- upload sessions ----

  createSession(session: UploadSession): UploadSession {
    this.#sessions.set(session.id, session);
    this.#store.write(sessionKey(session.id), new Uint8Array(0));
    this.persist();
    return session;
  }

  session(uploadId: string): UploadSession | undefined {
    return this.#sessions.get(uploadId);
  }

  sessions(): UploadSession[] {
    return [...this.#sessions.values()];
  }

  appendToSession(session: UploadSession, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#store.append(sessionKey(session.id), bytes);
    session.stored += bytes.length;
    this.persist();
  }

  sessionBytes(session: UploadSession): Buffer {
    return this.#store.read(sessionKey(session.id));
  }

  /** Marks a session finished; its bytes are dropped but a status query still answers 200. */
  completeSession(session: UploadSession, fileId: string): void {
    session.completedFileId = fileId;
    this.#store.remove(sessionKey(session.id));
    this.persist();
  }

  /** Forgets a session, as when it expires: its next request gets 404. */
  dropSession(uploadId: string): boolean {
    const existed = this.#sessions.delete(uploadId);
    this.#store.remove(sessionKey(uploadId));
    if (existed) this.persist();
    return existed;
  }

  // ---- test helpers ----

  /** Creates a file directly (no HTTP, no faults, no quota check); returns its record. */
  seedFile(options: SeedFileOptions): FileRecord {
    if (typeof options?.name !== 'string') throw invalidArgument('seedFile() needs a name');
    const appId = options.appId === undefined ? this.defaultAppId : options.appId;
    const parentId = this.#resolveSeedParent(options.parent ?? 'root', appId);
    const parent = this.#files.get(parentId);
    if (!parent || !isFolder(parent))
      throw invalidArgument(`seedFile(): parent ${options.parent} is not a folder`);
    const content = typeof options.content === 'string' ? Buffer.from(options.content) : options.content;
    const record = this.createFile({
      name: options.name,
      mimeType: options.mimeType ?? 'application/octet-stream',
      parents: [parentId],
      space: parent.space,
      appId,
      appProperties: options.appProperties,
      content,
    });
    if (options.trashed) {
      record.trashed = true;
      record.explicitlyTrashed = true;
      record.trashedTime = this.now();
      this.persist();
    }
    return record;
  }

  seedFolder(options: { name: string; parent?: string; appId?: string | null }): FileRecord {
    if (typeof options?.name !== 'string') throw invalidArgument('seedFolder() needs a name');
    const appId = options.appId === undefined ? this.defaultAppId : options.appId;
    const parentId = this.#resolveSeedParent(options.parent ?? 'root', appId);
    const parent = this.#files.get(parentId);
    if (!parent || !isFolder(parent))
      throw invalidArgument(`seedFolder(): parent ${options.parent} is not a folder`);
    return this.createFile({
      name: options.name,
      mimeType: FOLDER_MIME_TYPE,
      parents: [parentId],
      space: parent.space,
      appId,
    });
  }

  /** Empties the Drive (new root id, no sessions); the quota setting stays. */
  clear(): void {
    this.#files.clear();
    this.#sessions.clear();
    this.#appDataFolders.clear();
    this.#store.clear();
    if (this.#directory) removeStateFile(this.#directory);
    this.#initialise();
    this.persist();
  }

  persist(): void {
    if (!this.#directory) return;
    const state: PersistedState = {
      format: 'chatvault-drive-emulator',
      version: 1,
      seq: this.#seq,
      rootId: this.#rootId,
      appDataFolders: Object.fromEntries(this.#appDataFolders),
      quotaBytes: this.#quotaBytes,
      files: this.records(),
      sessions: this.sessions(),
    };
    saveStateFile(this.#directory, state);
  }

  #resolveSeedParent(parent: string, appId: string | null): string {
    if (parent === 'root') return this.#rootId;
    if (parent === 'appDataFolder') {
      if (!appId) throw invalidArgument('appDataFolder files need an appId');
      return this.appDataFolderId(appId);
    }
    return parent;
  }

  #initialise(): void {
    this.#seq = 0;
    this.#rootId = newRootId();
    this.#insert({
      ...this.#blankRecord(this.#rootId),
      name: 'My Drive',
      mimeType: FOLDER_MIME_TYPE,
      isRoot: true,
    });
  }

  #restore(persisted: PersistedState): void {
    this.#seq = persisted.seq;
    this.#rootId = persisted.rootId;
    this.#quotaBytes = persisted.quotaBytes;
    for (const [clientId, id] of Object.entries(persisted.appDataFolders))
      this.#appDataFolders.set(clientId, id);
    for (const record of persisted.files) this.#files.set(record.id, record);
    for (const session of persisted.sessions) this.#sessions.set(session.id, session);
  }

  #blankRecord(id: string): FileRecord {
    const now = this.now();
    return {
      id,
      seq: 0,
      name: '',
      mimeType: FOLDER_MIME_TYPE,
      parents: [],
      space: 'drive',
      appId: null,
      starred: false,
      trashed: false,
      explicitlyTrashed: false,
      appProperties: {},
      properties: {},
      createdTime: now,
      modifiedTime: now,
      version: 1,
    };
  }

  #insert(record: FileRecord): void {
    this.#seq += 1;
    record.seq = this.#seq;
    this.#files.set(record.id, record);
    this.persist();
  }
}

function sessionKey(uploadId: string): string {
  return `session-${uploadId}`;
}

export function describeContent(bytes: Uint8Array): ContentInfo {
  return {
    size: bytes.length,
    md5: createHash('md5').update(bytes).digest('hex'),
    sha1: createHash('sha1').update(bytes).digest('hex'),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    headRevisionId: newRevisionId(),
  };
}

function assertByteCount(value: unknown, name: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidArgument(`${name} must be a whole number of bytes ≥ 0, got ${String(value)}`);
  }
}
