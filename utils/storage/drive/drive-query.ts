/** Drive's folder type: folders are files with this MIME type. */
export const FOLDER_MIME_TYPE = 'application/vnd.google-apps.folder';

/**
 * A string literal for Drive's `q` language: single-quoted, with `\` and `'` escaped by a
 * backslash ("Search for files and folders"). Object names cannot hold either, but folder names
 * and ids come from elsewhere, and a query must never be built by plain concatenation.
 */
export function quoteQueryString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Everything directly inside a folder that is not in the trash. */
export function childrenQuery(parentId: string): string {
  return `${quoteQueryString(parentId)} in parents and trashed = false`;
}

/** The files (not folders) called `name` directly inside a folder. */
export function filesNamedQuery(parentId: string, name: string): string {
  return `${childrenQuery(parentId)} and name = ${quoteQueryString(name)} and mimeType != '${FOLDER_MIME_TYPE}'`;
}

/** The folders called `name` directly inside a folder. */
export function foldersNamedQuery(parentId: string, name: string): string {
  return `${childrenQuery(parentId)} and name = ${quoteQueryString(name)} and mimeType = '${FOLDER_MIME_TYPE}'`;
}

/** Folders, anywhere, carrying one of our private appProperties markers. */
export function markedFoldersQuery(key: string, value: string): string {
  return (
    `mimeType = '${FOLDER_MIME_TYPE}' and trashed = false and ` +
    `appProperties has { key=${quoteQueryString(key)} and value=${quoteQueryString(value)} }`
  );
}
