/**
 * Which names a `fields` selection may use at each level of a response, taken from Drive v3's
 * discovery document (the property lists of File, FileList, About and User in
 * @googleapis/drive). Drive answers 400 "Invalid field selection x" for anything else.
 */
export interface FieldSchema {
  /** name → nested schema, 'leaf' (no sub-selection allowed) or 'open' (anything below). */
  readonly fields: Readonly<Record<string, FieldSchema | 'leaf' | 'open'>>;
}

const USER: FieldSchema = {
  fields: Object.fromEntries(
    ['displayName', 'emailAddress', 'kind', 'me', 'permissionId', 'photoLink'].map((name) => [name, 'leaf']),
  ),
};

const FILE_LEAVES = [
  'copyRequiresWriterPermission',
  'createdTime',
  'description',
  'driveId',
  'explicitlyTrashed',
  'fileExtension',
  'folderColorRgb',
  'fullFileExtension',
  'hasAugmentedPermissions',
  'hasThumbnail',
  'headRevisionId',
  'iconLink',
  'id',
  'inheritedPermissionsDisabled',
  'isAppAuthorized',
  'kind',
  'md5Checksum',
  'mimeType',
  'modifiedByMe',
  'modifiedByMeTime',
  'modifiedTime',
  'name',
  'originalFilename',
  'ownedByMe',
  'parents',
  'permissionIds',
  'quotaBytesUsed',
  'resourceKey',
  'sha1Checksum',
  'sha256Checksum',
  'shared',
  'sharedWithMeTime',
  'size',
  'spaces',
  'starred',
  'teamDriveId',
  'thumbnailLink',
  'thumbnailVersion',
  'trashed',
  'trashedTime',
  'version',
  'viewedByMe',
  'viewedByMeTime',
  'viewersCanCopyContent',
  'webContentLink',
  'webViewLink',
  'writersCanShare',
];

const FILE_OBJECTS = [
  'appProperties',
  'capabilities',
  'clientEncryptionDetails',
  'contentHints',
  'contentRestrictions',
  'downloadRestrictions',
  'exportLinks',
  'imageMediaMetadata',
  'labelInfo',
  'linkShareMetadata',
  'permissions',
  'properties',
  'shortcutDetails',
  'videoMediaMetadata',
];

export const FILE_SCHEMA: FieldSchema = {
  fields: {
    ...Object.fromEntries(FILE_LEAVES.map((name) => [name, 'leaf' as const])),
    ...Object.fromEntries(FILE_OBJECTS.map((name) => [name, 'open' as const])),
    owners: USER,
    lastModifyingUser: USER,
    sharingUser: USER,
    trashingUser: USER,
  },
};

export const FILE_LIST_SCHEMA: FieldSchema = {
  fields: { files: FILE_SCHEMA, incompleteSearch: 'leaf', kind: 'leaf', nextPageToken: 'leaf' },
};

export const ABOUT_SCHEMA: FieldSchema = {
  fields: {
    ...Object.fromEntries(
      [
        'appInstalled',
        'canCreateDrives',
        'canCreateTeamDrives',
        'folderColorPalette',
        'kind',
        'maxUploadSize',
      ].map((name) => [name, 'leaf' as const]),
    ),
    ...Object.fromEntries(
      ['driveThemes', 'exportFormats', 'importFormats', 'maxImportSizes', 'teamDriveThemes'].map((name) => [
        name,
        'open' as const,
      ]),
    ),
    storageQuota: {
      fields: { limit: 'leaf', usage: 'leaf', usageInDrive: 'leaf', usageInDriveTrash: 'leaf' },
    },
    user: USER,
  },
};
