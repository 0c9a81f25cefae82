import type { EmulatorRequest, EmulatorResponse } from '../exchange';
import { jsonResponse } from '../exchange';
import { applyFieldMask, parseFieldMask } from '../field-mask';
import { ABOUT_SCHEMA } from '../field-schemas';
import { userResource } from '../file-resource';
import { fieldsRequired } from '../google-errors';
import type { HandlerContext } from './context';

/** GET /drive/v3/about: the user and the storage quota. Drive insists on `fields` here. */
export function getAbout(context: HandlerContext, request: EmulatorRequest): EmulatorResponse {
  const fields = request.url.searchParams.get('fields');
  if (!fields) throw fieldsRequired();
  const mask = parseFieldMask(fields, ABOUT_SCHEMA);
  const { usage, usageInDriveTrash } = context.state.usage();
  const about = {
    kind: 'drive#about',
    user: userResource(context.account),
    storageQuota: {
      limit: String(context.state.quotaBytes),
      usage: String(usage),
      usageInDrive: String(usage),
      usageInDriveTrash: String(usageInDriveTrash),
    },
    importFormats: {},
    exportFormats: {},
    maxImportSizes: {},
    maxUploadSize: '5242880000000',
    appInstalled: false,
    folderColorPalette: ['#ac725e', '#d06b64', '#f83a22', '#fa573c', '#ff7537', '#ffad46'],
    driveThemes: [],
    canCreateDrives: false,
  };
  return jsonResponse(200, applyFieldMask(about, mask), request);
}
