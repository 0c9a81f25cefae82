// Vitest 5 (which declares Node ≥ 22) calls Map.groupBy, added in Node 21, when it prints
// failed tests; on the Node 20 these machines run, its reporter would crash instead of showing
// the failure. Loaded from vitest.config.ts so it is in place in Vitest's main process.
// Remove once the project's Node is ≥ 21.
if (typeof (Map as { groupBy?: unknown }).groupBy !== 'function') {
  Object.defineProperty(Map, 'groupBy', {
    configurable: true,
    writable: true,
    value<K, V>(items: Iterable<V>, keyOf: (item: V, index: number) => K): Map<K, V[]> {
      const groups = new Map<K, V[]>();
      let index = 0;
      for (const item of items) {
        const key = keyOf(item, index++);
        const group = groups.get(key);
        if (group) group.push(item);
        else groups.set(key, [item]);
      }
      return groups;
    },
  });
}
