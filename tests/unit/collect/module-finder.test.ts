import { describe, expect, it } from 'vitest';
import { createModuleFinder } from '@/utils/collect/module-finder';

/**
 * A page with Meta's module system as the public record describes it (wa-js src/loader): modules
 * registered progressively through `__d`, listed in `require('__debug').modulesMap`, some that
 * throw, some with dependencies not registered yet, and lazy bundles behind the Bootloader.
 */
function fakePage() {
  const registry: Record<
    string,
    { dependencies: string[]; factory: () => unknown; exports?: unknown; done?: boolean }
  > = {};
  const requires: string[] = [];
  const lazy: Record<string, () => unknown> = {};
  const page: Record<string, unknown> = {};
  const define = (name: string, factory: () => unknown, dependencies: string[] = []) => {
    registry[name] = { dependencies, factory };
  };
  page.require = (name: string) => {
    requires.push(name);
    const entry = registry[name];
    if (!entry) throw new Error(`Requiring unknown module "${name}"`);
    for (const dependency of entry.dependencies)
      if (!registry[dependency])
        throw new Error(`Requiring module "${name}" with unresolved dependency "${dependency}"`);
    if (!entry.done) {
      entry.exports = entry.factory();
      entry.done = true;
    }
    return entry.exports;
  };
  define('__debug', () => ({ modulesMap: registry }));
  define('Bootloader', () => ({
    loadModules(names: string[], callback: () => void) {
      for (const name of names) if (lazy[name]) define(name, lazy[name]);
      setTimeout(callback, 5);
    },
  }));
  const collection = (items: unknown[] = []) => ({ getModelsArray: () => items });
  return { page, define, requires, lazy, collection };
}

describe('module finder', () => {
  it('finds values by their record names first', () => {
    const { page, define, collection } = fakePage();
    const chats = collection(['chat']);
    define('WAWebCollections', () => ({ Chat: chats, Msg: collection() }));
    const finder = createModuleFinder(page);
    expect(finder.available()).toBe(true);
    expect(finder.find('chats')).toBe(chats);
  });

  it('finds a renamed module by what it exports, past decoys and modules that throw', () => {
    const { page, define, collection } = fakePage();
    const load = () => Promise.resolve([]);
    define('WAWebLabelUtils', () => ({ LabelCollection: collection() }));
    define('WAWebSearchAction', () => ({ loadEarlierResults: load }));
    define('WAWebCameraAction', () => {
      throw new Error('not supported');
    });
    define('React', () => ({ loadEarlierMsgs: () => 'not WhatsApp' }));
    define('WAWebLoadEarlierMsgsChatAction', () => ({ loadEarlierMsgs: load }));
    const finder = createModuleFinder(page);
    expect(finder.find('loadEarlierMsgs')).toBe(load);
    expect(finder.find('chats')).toBeUndefined();
  });

  it('never caches a miss: a module that registers later is found later', () => {
    const { page, define, collection } = fakePage();
    const finder = createModuleFinder(page);
    expect(finder.find('contacts')).toBeUndefined();
    const contacts = collection();
    define('WAWebContactCollection', () => ({ ContactCollection: contacts }));
    expect(finder.find('contacts')).toBe(contacts);
  });

  it('does not require a module before its dependencies are registered', () => {
    const { page, define, requires, collection } = fakePage();
    const chats = collection();
    define('WAWebCollections', () => ({ Chat: chats }), ['WAWebChatCollection']);
    const finder = createModuleFinder(page);
    expect(finder.find('chats')).toBeUndefined();
    expect(requires).not.toContain('WAWebCollections');
    define('WAWebChatCollection', () => ({ ChatCollection: chats }));
    expect(finder.find('chats')).toBe(chats);
  });

  it('keeps a method found through a path bound to its object', () => {
    const { page, define } = fakePage();
    const manager = {
      prefix: 'bytes of ',
      downloadAndMaybeDecrypt(this: { prefix: string }, request: { directPath: string }) {
        return `${this.prefix}${request.directPath}`;
      },
    };
    define('WAWebDownloadManager', () => ({ downloadManager: manager }));
    const download = createModuleFinder(page).find('downloadManager') as (r: {
      directPath: string;
    }) => string;
    expect(download({ directPath: '/x' })).toBe('bytes of /x');
  });

  it('loads a lazy bundle through the Bootloader when the role is not registered yet', async () => {
    const { page, lazy } = fakePage();
    const find = () => Promise.resolve({ messages: [], status: 404 });
    lazy.WAWebDBMessageFindLocal = () => ({ msgFindByDirection: find });
    const finder = createModuleFinder(page);
    expect(finder.find('findByDirection')).toBeUndefined();
    expect(await finder.findLoading('findByDirection', new AbortController().signal)).toBe(find);
  });

  it('waits until registration has been quiet, then returns', async () => {
    const { page, define } = fakePage();
    const finder = createModuleFinder(page);
    let lastRegistration = 0;
    for (let i = 0; i < 5; i++) {
      setTimeout(() => {
        define(`WAWebFiller${i}`, () => ({}));
        lastRegistration = Date.now();
      }, i * 100);
    }
    // A limit far beyond the test's own timeout: only quiet can end this wait.
    await finder.settle(new AbortController().signal, 600_000);
    expect(finder.count()).toBe(7);
    expect(Date.now() - lastRegistration).toBeGreaterThanOrEqual(750);
  });

  it('works on a page without a module system (the world of the DOM fallback)', async () => {
    const finder = createModuleFinder({});
    expect(finder.available()).toBe(false);
    expect(finder.find('chats')).toBeUndefined();
    expect(await finder.findLoading('downloadManager', new AbortController().signal)).toBeUndefined();
  });
});
