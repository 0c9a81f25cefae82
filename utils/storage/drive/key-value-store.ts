/**
 * The little persistence the Drive backend needs (resumable upload sessions), injected so this
 * code runs unchanged in the service worker (browser.storage.local) and in Node (memory, tests).
 * Values must survive a JSON round trip: browser.storage keeps only JSON-like values.
 */
export interface KeyValueStore {
  /** The stored value, or undefined when there is none. */
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
}

/** A KeyValueStore in a Map; values are copied through JSON, as browser.storage does. */
export class MemoryKeyValueStore implements KeyValueStore {
  readonly #values = new Map<string, string>();

  async get(key: string): Promise<unknown> {
    const text = this.#values.get(checkKey(key));
    return text === undefined ? undefined : JSON.parse(text);
  }

  async set(key: string, value: unknown): Promise<void> {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`Cannot store ${String(value)} under ${key}`);
    this.#values.set(checkKey(key), text);
  }

  async remove(key: string): Promise<void> {
    this.#values.delete(checkKey(key));
  }
}

export function isKeyValueStore(value: unknown): value is KeyValueStore {
  const store = value as KeyValueStore | null;
  return (
    typeof store === 'object' &&
    store !== null &&
    typeof store.get === 'function' &&
    typeof store.set === 'function' &&
    typeof store.remove === 'function'
  );
}

function checkKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0)
    throw new TypeError('A store key must be a non-empty string');
  return key;
}
