import { describe, expect, it } from 'vitest';
import { applyFieldMask, parseFieldMask } from '../../../support/drive-emulator/field-mask';
import { ABOUT_SCHEMA, FILE_LIST_SCHEMA, FILE_SCHEMA } from '../../../support/drive-emulator/field-schemas';
import { DriveApiError } from '../../../support/drive-emulator/google-errors';

/** Google's partial-response `fields` syntax. */

const list = {
  nextPageToken: 'tok',
  kind: 'drive#fileList',
  incompleteSearch: false,
  files: [
    {
      kind: 'drive#file',
      id: 'a',
      name: 'A',
      size: '1',
      owners: [{ emailAddress: 'x@y', displayName: 'X' }],
    },
    {
      kind: 'drive#file',
      id: 'b',
      name: 'B',
      size: '2',
      owners: [{ emailAddress: 'x@y', displayName: 'X' }],
    },
  ],
};

function project(fields: string, value: unknown = list, schema = FILE_LIST_SCHEMA): unknown {
  return applyFieldMask(value, parseFieldMask(fields, schema));
}

describe('fields', () => {
  it('selects fields inside arrays with parentheses, spaces allowed', () => {
    expect(project('nextPageToken, files(id, name)')).toEqual({
      nextPageToken: 'tok',
      files: [
        { id: 'a', name: 'A' },
        { id: 'b', name: 'B' },
      ],
    });
  });

  it('treats a/b as a(b), and nests', () => {
    expect(project('files/id,files/owners(emailAddress)')).toEqual({
      files: [
        { id: 'a', owners: [{ emailAddress: 'x@y' }] },
        { id: 'b', owners: [{ emailAddress: 'x@y' }] },
      ],
    });
  });

  it('returns the whole value for a field without a sub-selection, and everything for *', () => {
    expect(project('files')).toEqual({ files: list.files });
    expect(project('*')).toEqual(list);
    expect(project('kind,files(*)')).toEqual({ kind: 'drive#fileList', files: list.files });
  });

  it('omits absent fields rather than inventing them', () => {
    expect(project('files(id,md5Checksum)')).toEqual({ files: [{ id: 'a' }, { id: 'b' }] });
  });

  it.each([
    ['an unknown top-level field', 'files(id),nope', 'nope'],
    ['a File field used at FileList level', 'id', 'id'],
    ['an unknown File field', 'files(title)', 'title'],
    ['a sub-selection on a leaf', 'files(name(x))', 'name'],
  ])('rejects %s with 400 invalidParameter', (_label, fields, culprit) => {
    let caught: unknown;
    try {
      parseFieldMask(fields, FILE_LIST_SCHEMA);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DriveApiError);
    expect((caught as DriveApiError).toBody().error.errors[0]).toEqual({
      message: `Invalid field selection ${culprit}`,
      domain: 'global',
      reason: 'invalidParameter',
      location: 'fields',
      locationType: 'parameter',
    });
  });

  it('rejects broken syntax', () => {
    for (const fields of ['files(id', 'files)', 'a,,b', '(id)', 'files(id)x']) {
      expect(() => parseFieldMask(fields, FILE_LIST_SCHEMA), fields).toThrow(DriveApiError);
    }
  });

  it('knows every File and About field of the discovery document', () => {
    expect(() =>
      parseFieldMask('id,name,size,md5Checksum,sha1Checksum,sha256Checksum,appProperties', FILE_SCHEMA),
    ).not.toThrow();
    expect(() => parseFieldMask('storageQuota(limit,usage),user(emailAddress)', ABOUT_SCHEMA)).not.toThrow();
    expect(() => parseFieldMask('storageQuota(quota)', ABOUT_SCHEMA)).toThrow(DriveApiError);
  });
});
