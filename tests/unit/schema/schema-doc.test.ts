import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  CHAT_KINDS,
  COLLECTION_SOURCES,
  DELETION_KINDS,
  DELIVERY_STATUSES,
  KNOWN_SYSTEM_SUBTYPES,
  MEDIA_STATUSES,
  MESSAGE_TYPES,
  PARTICIPANT_ROLES,
} from '@/utils/schema/types';
import { parseDataset, strictSchemas } from '@/utils/schema/validate';

/** docs/SCHEMA.md is the contract other engineers read: keep it in step with the code. */
const doc = readFileSync(join(import.meta.dirname, '../../../docs/SCHEMA.md'), 'utf8');

/** Every member name of every object schema, found by walking the zod tree. */
function memberNames(schema: z.ZodType, names = new Set<string>(), seen = new Set<z.ZodType>()): Set<string> {
  if (seen.has(schema)) return names;
  seen.add(schema);
  if (schema instanceof z.ZodObject) {
    for (const [name, member] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      names.add(name);
      memberNames(member, names, seen);
    }
  } else if (schema instanceof z.ZodOptional || schema instanceof z.ZodArray) {
    memberNames((schema instanceof z.ZodArray ? schema.element : schema.unwrap()) as z.ZodType, names, seen);
  } else if (schema instanceof z.ZodRecord) {
    memberNames(schema.valueType as z.ZodType, names, seen);
  }
  return names;
}

describe('docs/SCHEMA.md', () => {
  it('documents every member of every type', () => {
    const names = [...memberNames(strictSchemas.dataset)];
    expect(names.length).toBeGreaterThan(60);
    for (const name of names) expect(doc, name).toContain(`\`${name}\``);
  });

  it('documents every value of every enumeration and every known system subtype', () => {
    const values = [
      ...CHAT_KINDS,
      ...COLLECTION_SOURCES,
      ...DELETION_KINDS,
      ...DELIVERY_STATUSES,
      ...KNOWN_SYSTEM_SUBTYPES,
      ...MEDIA_STATUSES,
      ...MESSAGE_TYPES,
      ...PARTICIPANT_ROLES,
    ];
    for (const value of values) expect(doc, value).toContain(`\`${value}\``);
  });

  it('has an example that is a valid dataset', () => {
    const example = doc.split('```json')[1]?.split('```')[0];
    expect(example).toBeDefined();
    const result = parseDataset(JSON.parse(example!), { unknownKeys: 'reject' });
    expect(result.ok || result.error.message).toBe(true);
  });
});
