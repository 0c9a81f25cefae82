import { afterEach, describe, expect, it } from 'vitest';
import { createCatalog } from '@/utils/catalog/catalog';
import { LATEST_CATALOG_VERSION, migrations } from '@/utils/catalog/migrations';
import { monthOf } from '@/utils/schema/month';

let counter = 0;
const names: string[] = [];
const freshName = () => {
  const name = `catalog-test-${counter++}`;
  names.push(name);
  return name;
};
afterEach(async () => {
  for (const name of names.splice(0)) await createCatalog(name).delete();
});

describe('catalog migrations', () => {
  it('numbers versions consecutively from 1', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(LATEST_CATALOG_VERSION).toBe(migrations.length);
  });

  it('upgrades a version 1 database, deriving the month of every message', async () => {
    const name = freshName();
    const v1 = createCatalog(name, 1);
    await v1.open();
    // Version 1 rows had no month field.
    await v1.table('messages').bulkAdd([
      { id: 'a', chatId: 'c1@c.us', timestamp: 1_700_000_000, message: { text: 'hi' } },
      { id: 'b', chatId: 'c1@c.us', timestamp: 1_704_067_199, message: { text: 'last of 2023' } },
      { id: 'c', chatId: 'c2@g.us', timestamp: 1_704_067_200, message: { text: 'first of 2024' } },
    ]);
    await v1.table('chats').add({ id: 'c1@c.us', chat: { name: 'Ana' }, updatedAt: 5 });
    v1.close();

    const latest = createCatalog(name);
    await latest.open();
    expect(latest.verno).toBe(LATEST_CATALOG_VERSION);
    expect((await latest.messages.get('b'))?.month).toBe('2023-12');
    expect((await latest.messages.get('c'))?.month).toBe('2024-01');
    expect(await latest.chats.get('c1@c.us')).toEqual({ id: 'c1@c.us', chat: { name: 'Ana' }, updatedAt: 5 });
    // The new compound indexes answer the queries the backup makes.
    expect(
      await latest.messages.where('[chatId+month]').equals(['c1@c.us', '2023-12']).primaryKeys(),
    ).toEqual(['b']);
    expect(
      await latest.messages
        .where('[chatId+timestamp]')
        .between(['c1@c.us', 0], ['c1@c.us', 1_704_000_000])
        .primaryKeys(),
    ).toEqual(['a']);
    latest.close();
  });

  it('derives months in UTC', () => {
    expect(monthOf(0)).toBe('1970-01');
    expect(monthOf(951_782_400)).toBe('2000-02-29'.slice(0, 7));
  });
});
