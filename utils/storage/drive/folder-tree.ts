import type { DriveApi } from './drive-api';
import { type DriveFile, deleteDriveFile, listAllDriveFiles, oldestFirst } from './drive-files';
import { FOLDER_MIME_TYPE, foldersNamedQuery, markedFoldersQuery } from './drive-query';

/** The private appProperties key that marks a backup root folder; its value is the folder's name. */
export const ROOT_MARKER_KEY = 'chatvaultRoot';

/**
 * The folders that hold a repository in Drive: one visible root folder ("ChatVault Backups") in
 * My Drive, and below it one folder per name segment (`data/ab12…` is the file `ab12…` in the
 * folder `data`), the same layout as the local folder backend. Ids are cached for the life of the
 * instance (they never change), and lookups of one path share a single request.
 *
 * The root is found by a private appProperties marker, so it is found again after the user
 * renames or moves it. Two devices (or two service workers) creating the same folder at once make
 * twin folders; everybody then uses the oldest, and whoever created a younger twin deletes it
 * again at once, before anything is written into it.
 */
export class FolderTree {
  readonly #api: DriveApi;
  readonly rootName: string;
  readonly #known = new Map<string, Promise<string>>();

  constructor(api: DriveApi, rootName: string) {
    this.#api = api;
    this.rootName = rootName;
  }

  /** The folder for `segments` (empty for the root), created when missing. */
  ensure(segments: readonly string[]): Promise<string> {
    const key = segments.join('/');
    const known = this.#known.get(key);
    if (known) return known;
    // Remembered before the first await, so concurrent puts into one folder share one lookup.
    const resolution = (async () => {
      const parentId = segments.length === 0 ? undefined : await this.ensure(segments.slice(0, -1));
      return (await this.#lookup(segments, parentId)) ?? (await this.#create(segments, parentId));
    })();
    this.#known.set(key, resolution);
    resolution.catch(() => {
      if (this.#known.get(key) === resolution) this.#known.delete(key);
    });
    return resolution;
  }

  /** The folder for `segments`, or undefined when it does not exist (nothing is created). */
  async find(segments: readonly string[]): Promise<string | undefined> {
    const key = segments.join('/');
    const known = this.#known.get(key);
    if (known) return known;
    const parentId = segments.length === 0 ? undefined : await this.find(segments.slice(0, -1));
    if (segments.length > 0 && parentId === undefined) return undefined;
    const id = await this.#lookup(segments, parentId);
    // Only a folder that exists is remembered: one that is missing may be created any moment.
    if (id !== undefined && !this.#known.has(key)) this.#known.set(key, Promise.resolve(id));
    return id;
  }

  /** Forgets every cached id, e.g. after Drive said a cached folder is gone (the user deleted it). */
  forget(): void {
    this.#known.clear();
  }

  #lookup(segments: readonly string[], parentId: string | undefined): Promise<string | undefined> {
    return segments.length === 0
      ? this.#findRoot()
      : this.#findChild(parentId as string, segments.at(-1) as string);
  }

  #create(segments: readonly string[], parentId: string | undefined): Promise<string> {
    return segments.length === 0
      ? this.#createRoot()
      : this.#createChild(parentId as string, segments.at(-1) as string);
  }

  async #findRoot(): Promise<string | undefined> {
    const found = await listAllDriveFiles(
      this.#api,
      markedFoldersQuery(ROOT_MARKER_KEY, this.rootName),
      `finding the folder "${this.rootName}"`,
    );
    return found.sort(oldestFirst)[0]?.id;
  }

  async #findChild(parentId: string, name: string): Promise<string | undefined> {
    const found = await listAllDriveFiles(
      this.#api,
      foldersNamedQuery(parentId, name),
      `finding the folder ${name}`,
    );
    return found.sort(oldestFirst)[0]?.id;
  }

  async #createRoot(): Promise<string> {
    const created = await this.#createFolder({
      name: this.rootName,
      parents: ['root'],
      appProperties: { [ROOT_MARKER_KEY]: this.rootName },
    });
    return this.#settleTwins(created, () =>
      listAllDriveFiles(
        this.#api,
        markedFoldersQuery(ROOT_MARKER_KEY, this.rootName),
        'checking for twin folders',
      ),
    );
  }

  async #createChild(parentId: string, name: string): Promise<string> {
    const created = await this.#createFolder({ name, parents: [parentId] });
    return this.#settleTwins(created, () =>
      listAllDriveFiles(this.#api, foldersNamedQuery(parentId, name), 'checking for twin folders'),
    );
  }

  async #createFolder(metadata: Record<string, unknown>): Promise<DriveFile> {
    return this.#api.json<DriveFile>({
      method: 'POST',
      url: 'drive/v3/files',
      query: { fields: 'id,name,mimeType,createdTime' },
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      body: JSON.stringify({ ...metadata, mimeType: FOLDER_MIME_TYPE }),
      what: `creating the folder ${String(metadata.name)}`,
    });
  }

  /** Keeps the oldest of twin folders; deletes ours if it lost (it is empty: we just made it). */
  async #settleTwins(created: DriveFile, list: () => Promise<DriveFile[]>): Promise<string> {
    const twins = await list();
    if (!twins.some((twin) => twin.id === created.id)) twins.push(created);
    const winner = twins.sort(oldestFirst)[0] as DriveFile;
    if (winner.id !== created.id) {
      await deleteDriveFile(this.#api, created.id, 'removing a twin folder').catch(() => {});
    }
    return winner.id;
  }
}
