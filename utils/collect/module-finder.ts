import { abortableSleep } from './pace';
import {
  BOOTLOADER_LOAD,
  BOOTLOADER_MODULE,
  DEBUG_MODULE,
  MODEL_API,
  MODULE_POLL_MS,
  MODULE_QUIET_MS,
  MODULE_ROLES,
  MODULES_MAP_EXPORT,
  type ModuleRole,
  type ModuleRoleName,
  type ModuleShape,
  REQUIRE_GLOBAL,
  SCANNABLE_MODULE_ID,
} from './whatsapp-names';

/**
 * Finds WhatsApp Web's modules the way wa-js does (src/loader): the registry fills up
 * progressively, so wait until the module count has been quiet for a while; look values up by
 * role — named modules first, then every scannable module by the same export paths — so a
 * renamed module is still found; cache hits only, never a miss (a module may register later);
 * and force lazy bundles in through `Bootloader.loadModules`. Every call into the page is
 * guarded: modules throw when required too early, and some throw always.
 */
export interface ModuleFinder {
  /** True once the page exposes a module system at all. */
  available(): boolean;
  /** Waits until no module registered for MODULE_QUIET_MS, or `maxMs` passed. */
  settle(signal: AbortSignal, maxMs?: number): Promise<void>;
  /** The value for a role, or undefined when no module has it (yet). */
  find(role: ModuleRoleName): unknown;
  /** Like find, but for lazy roles first asks the Bootloader for their bundles. */
  findLoading(role: ModuleRoleName, signal: AbortSignal, timeoutMs?: number): Promise<unknown>;
  /** How many modules are registered (diagnostics). */
  count(): number;
}

export class ModuleFinderError extends Error {
  override readonly name = 'ModuleFinderError';
}

type Require = (name: string) => unknown;

interface RegistryEntry {
  dependencies?: unknown;
}

export function createModuleFinder(page: Record<string, unknown>): ModuleFinder {
  if (page === null || typeof page !== 'object')
    throw new ModuleFinderError('page must be the window object');
  const hits = new Map<ModuleRoleName, unknown>();
  const failing = new Set<string>();

  const requireFn = (): Require | undefined => {
    const value = page[REQUIRE_GLOBAL];
    return typeof value === 'function' ? (value as Require) : undefined;
  };
  const registry = (): Record<string, RegistryEntry> | undefined => {
    const map = (safeRequire(DEBUG_MODULE) as Record<string, unknown> | undefined)?.[MODULES_MAP_EXPORT];
    return map !== null && typeof map === 'object' ? (map as Record<string, RegistryEntry>) : undefined;
  };
  const ids = (): string[] => {
    const map = registry();
    try {
      return map ? Object.keys(map) : [];
    } catch {
      return [];
    }
  };
  /** open-wa: require a module only once it and its dependencies are registered. */
  const fullyDefined = (name: string): boolean => {
    const map = registry();
    if (!map) return true;
    const entry = map[name];
    if (entry === undefined || entry === null) return false;
    const dependencies = (entry as RegistryEntry).dependencies;
    if (!Array.isArray(dependencies)) return true;
    return dependencies.every(
      (dependency) => typeof dependency !== 'string' || map[dependency] !== undefined,
    );
  };
  function safeRequire(name: string): unknown {
    const require = requireFn();
    if (!require || failing.has(name)) return undefined;
    try {
      return require(name);
    } catch {
      // Not registered yet, or a module that throws for this browser. The first kind may work
      // later, so only modules that are fully defined and still throw are remembered.
      if (name !== DEBUG_MODULE && registry()?.[name] !== undefined && fullyDefined(name)) failing.add(name);
      return undefined;
    }
  }
  const valueIn = (exports: unknown, role: ModuleRole): unknown => {
    for (const path of role.paths) {
      let value: unknown = exports;
      let owner: unknown;
      for (const key of path) {
        if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
          value = undefined;
          break;
        }
        owner = value;
        try {
          value = (value as Record<string, unknown>)[key];
        } catch {
          value = undefined;
        }
      }
      if (hasShape(value, role.shape)) {
        // A method found through a path keeps its object as `this`.
        return role.shape === 'function' && path.length > 1
          ? (value as (...args: unknown[]) => unknown).bind(owner)
          : value;
      }
    }
    return undefined;
  };
  const search = (roleName: ModuleRoleName): unknown => {
    const role: ModuleRole = MODULE_ROLES[roleName];
    for (const name of role.names) {
      if (!fullyDefined(name)) continue;
      const found = valueIn(safeRequire(name), role);
      if (found !== undefined) return found;
    }
    for (const id of ids()) {
      if (!SCANNABLE_MODULE_ID.test(id) || role.names.includes(id) || !fullyDefined(id)) continue;
      const found = valueIn(safeRequire(id), role);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const find = (role: ModuleRoleName): unknown => {
    if (hits.has(role)) return hits.get(role);
    const found = search(role);
    if (found !== undefined) hits.set(role, found);
    return found;
  };

  return {
    available: () => requireFn() !== undefined,
    count: () => ids().length,
    async settle(signal, maxMs = 20_000) {
      const deadline = Date.now() + maxMs;
      let last = -1;
      let quietSince = Date.now();
      while (Date.now() < deadline) {
        signal.throwIfAborted();
        const now = ids().length;
        if (now !== last) {
          last = now;
          quietSince = Date.now();
        } else if (now > 0 && Date.now() - quietSince >= MODULE_QUIET_MS) return;
        await abortableSleep(MODULE_POLL_MS, signal);
      }
    },
    find,
    async findLoading(roleName, signal, timeoutMs = 10_000) {
      const found = find(roleName);
      const role: ModuleRole = MODULE_ROLES[roleName];
      if (found !== undefined || !role.lazy) return found;
      const loadModules = (safeRequire(BOOTLOADER_MODULE) as Record<string, unknown> | undefined)?.[
        BOOTLOADER_LOAD
      ];
      if (typeof loadModules !== 'function') return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        signal.addEventListener('abort', done, { once: true });
        try {
          (loadModules as (names: string[], callback: () => void) => void).call(
            safeRequire(BOOTLOADER_MODULE),
            [...role.names],
            done,
          );
        } catch {
          done();
        }
      });
      signal.throwIfAborted();
      return find(roleName);
    },
  };
}

function hasShape(value: unknown, shape: ModuleShape): boolean {
  switch (shape) {
    case 'function':
      return typeof value === 'function';
    case 'object':
      return value !== null && typeof value === 'object';
    case 'collection':
      return (
        value !== null &&
        typeof value === 'object' &&
        typeof (value as Record<string, unknown>)[MODEL_API.modelsArray] === 'function'
      );
  }
}
