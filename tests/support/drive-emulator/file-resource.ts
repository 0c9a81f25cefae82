import type { GoogleAccount } from '../oauth-server/token-registry';
import { type FileRecord, isFolder } from './file-record';

/**
 * The complete `drive#file` resource for a record, as `fields=*` would return it. Shapes follow
 * Drive v3: counts are decimal strings (size, version, quotaBytesUsed), times are RFC 3339 with
 * milliseconds in UTC, and folders carry no size or checksums.
 */
export function toFileResource(record: FileRecord, viewer: { clientId: string; account: GoogleAccount }) {
  const folder = isFolder(record);
  const user = userResource(viewer.account);
  const resource: Record<string, unknown> = {
    kind: 'drive#file',
    id: record.id,
    name: record.name,
    mimeType: record.mimeType,
  };
  if (record.description !== undefined) resource.description = record.description;
  resource.starred = record.starred;
  resource.trashed = record.trashed;
  resource.explicitlyTrashed = record.explicitlyTrashed;
  if (record.trashed && record.trashedTime !== undefined) {
    resource.trashedTime = rfc3339(record.trashedTime);
    resource.trashingUser = user;
  }
  if (record.parents.length > 0) resource.parents = [...record.parents];
  const appProperties = record.appProperties[viewer.clientId];
  if (appProperties && Object.keys(appProperties).length > 0) resource.appProperties = { ...appProperties };
  if (Object.keys(record.properties).length > 0) resource.properties = { ...record.properties };
  resource.spaces = [record.space];
  resource.version = String(record.version);
  if (!folder) resource.webContentLink = `https://drive.google.com/uc?id=${record.id}&export=download`;
  resource.webViewLink = folder
    ? `https://drive.google.com/drive/folders/${record.id}`
    : `https://drive.google.com/file/d/${record.id}/view?usp=drivesdk`;
  resource.iconLink = `https://drive-thirdparty.googleusercontent.com/16/type/${record.mimeType}`;
  resource.hasThumbnail = false;
  resource.thumbnailVersion = '0';
  resource.viewedByMe = true;
  resource.createdTime = rfc3339(record.createdTime);
  resource.modifiedTime = rfc3339(record.modifiedTime);
  resource.modifiedByMeTime = rfc3339(record.modifiedTime);
  resource.modifiedByMe = true;
  resource.owners = [user];
  resource.lastModifyingUser = user;
  resource.shared = false;
  resource.ownedByMe = true;
  resource.capabilities = capabilities(record);
  resource.viewersCanCopyContent = true;
  resource.copyRequiresWriterPermission = false;
  resource.writersCanShare = true;
  resource.permissionIds = [viewer.account.permissionId];
  resource.isAppAuthorized = record.appId === viewer.clientId;
  if (record.content) {
    if (record.originalFilename !== undefined) resource.originalFilename = record.originalFilename;
    const extension = fileExtensions(record.name);
    if (extension) {
      resource.fullFileExtension = extension.full;
      resource.fileExtension = extension.last;
    }
    resource.md5Checksum = record.content.md5;
    resource.sha1Checksum = record.content.sha1;
    resource.sha256Checksum = record.content.sha256;
    resource.headRevisionId = record.content.headRevisionId;
    resource.size = String(record.content.size);
    resource.quotaBytesUsed = String(record.content.size);
  } else {
    resource.quotaBytesUsed = '0';
  }
  return resource;
}

export function userResource(account: GoogleAccount) {
  return {
    kind: 'drive#user',
    displayName: account.displayName,
    me: true,
    permissionId: account.permissionId,
    emailAddress: account.email,
  };
}

/** RFC 3339 in UTC with milliseconds, as Drive writes times ("2024-01-25T09:39:27.123Z"). */
export function rfc3339(milliseconds: number): string {
  return new Date(milliseconds).toISOString();
}

function capabilities(record: FileRecord): Record<string, boolean> {
  const folder = isFolder(record);
  return {
    canAddChildren: folder,
    canDelete: !record.isRoot,
    canDownload: !folder,
    canEdit: true,
    canListChildren: folder,
    canModifyContent: !folder,
    canRename: !record.isRoot,
    canTrash: !record.isRoot,
    canUntrash: !record.isRoot,
  };
}

function fileExtensions(name: string): { full: string; last: string } | undefined {
  const dot = name.indexOf('.');
  if (dot <= 0 || dot === name.length - 1) return undefined;
  const full = name.slice(dot + 1);
  return { full, last: full.slice(full.lastIndexOf('.') + 1) };
}
