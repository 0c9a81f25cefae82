import { streamFromBytes } from '@/utils/storage/byte-streams';
import {
  type ByteRange,
  type ObjectInfo,
  type PutOptions,
  type Storage,
  StorageError,
  type StorageErrorCode,
} from '@/utils/storage/storage';
import type { StorageOperation } from './counting-storage';

/**
 * One way to break a Storage. A call matches when its operation and object name (for `list`, the
 * prefix) match; each rule counts its own matching calls.
 */
export interface FaultRule {
  /** The operation to break; omitted: every operation. */
  operation?: StorageOperation;
  /** Exact name, or a pattern tested against the name; omitted: every name. */
  name?: string | RegExp;
  /** Fail from the Nth matching call on (1-based); omitted: from the first. */
  nth?: number;
  /** How many matching calls fail, from the Nth on. Default: 1 when `nth` is set, otherwise all. */
  times?: number;
  /**
   * `put`/`getStream` only: let this many bytes through, then fail the byte stream — a connection
   * cut mid-upload or mid-download. The wrapped backend sees a source that errors part-way.
   */
  afterBytes?: number;
  /** `list` only: yield this many objects, then fail. */
  afterItems?: number;
  /**
   * `before` (default): the wrapped backend never sees the call. `after`: the call completes in the
   * wrapped backend, then the caller gets the error anyway — a response lost on the way back.
   */
  when?: 'before' | 'after';
  /** The error to inject. */
  code: StorageErrorCode;
  retryable?: boolean;
  retryAfterSeconds?: number;
  message?: string;
}

export interface InjectedFault {
  operation: StorageOperation;
  name: string;
  code: StorageErrorCode;
}

interface ActiveRule {
  rule: FaultRule;
  matched: number;
  fired: number;
}

/**
 * Wraps a Storage and makes chosen calls fail with chosen StorageErrors, for the repository's
 * damaged-backup, crash-resume and retry tests. Rules can be added while in use; `injected`
 * records every fault that fired, so a test can assert that its fault really happened.
 */
export class FaultyStorage implements Storage {
  readonly description: string;
  readonly #inner: Storage;
  readonly #rules: ActiveRule[] = [];
  readonly #injected: InjectedFault[] = [];

  constructor(inner: Storage, rules: readonly FaultRule[] = []) {
    if (typeof inner?.put !== 'function') throw new TypeError('FaultyStorage needs a Storage to wrap');
    this.#inner = inner;
    this.description = `faulty ${inner.description}`;
    for (const rule of rules) this.addRule(rule);
  }

  get injected(): readonly InjectedFault[] {
    return [...this.#injected];
  }

  addRule(rule: FaultRule): void {
    checkRule(rule);
    this.#rules.push({ rule, matched: 0, fired: 0 });
  }

  clearRules(): void {
    this.#rules.length = 0;
  }

  async put(
    name: string,
    data: Uint8Array | ReadableStream<Uint8Array>,
    options?: PutOptions,
  ): Promise<void> {
    const rule = this.#firing('put', name);
    if (rule === undefined) return this.#inner.put(name, data, options);
    const error = this.#inject(rule, 'put', name);
    if (rule.afterBytes !== undefined) {
      const source = data instanceof Uint8Array ? streamFromBytes(data) : data;
      // The backend's own rejection is replaced by ours, so tests see the chosen code whatever the backend.
      await this.#inner.put(name, failAfterBytes(source, rule.afterBytes, error), options).catch(() => {});
      throw error;
    }
    if (rule.when === 'after') await this.#inner.put(name, data, options);
    else if (!(data instanceof Uint8Array) && !data.locked) await data.cancel(error).catch(() => {});
    throw error;
  }

  async get(name: string, range?: ByteRange): Promise<Uint8Array> {
    return this.#simple('get', name, () => this.#inner.get(name, range));
  }

  async getStream(name: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
    const rule = this.#firing('getStream', name);
    if (rule === undefined) return this.#inner.getStream(name, range);
    const error = this.#inject(rule, 'getStream', name);
    if (rule.afterBytes !== undefined) {
      return failAfterBytes(await this.#inner.getStream(name, range), rule.afterBytes, error);
    }
    if (rule.when === 'after') await (await this.#inner.getStream(name, range)).cancel();
    throw error;
  }

  async stat(name: string): Promise<ObjectInfo | undefined> {
    return this.#simple('stat', name, () => this.#inner.stat(name));
  }

  async delete(name: string): Promise<void> {
    return this.#simple('delete', name, () => this.#inner.delete(name));
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const rule = this.#firing('list', prefix);
    if (rule === undefined) {
      yield* this.#inner.list(prefix);
      return;
    }
    const error = this.#inject(rule, 'list', prefix);
    const limit = rule.afterItems ?? (rule.when === 'after' ? Number.POSITIVE_INFINITY : 0);
    let yielded = 0;
    if (limit > 0) {
      for await (const info of this.#inner.list(prefix)) {
        yield info;
        yielded += 1;
        if (yielded >= limit) break;
      }
    }
    throw error;
  }

  async #simple<T>(operation: StorageOperation, name: string, call: () => Promise<T>): Promise<T> {
    const rule = this.#firing(operation, name);
    if (rule === undefined) return call();
    const error = this.#inject(rule, operation, name);
    if (rule.when === 'after') await call();
    throw error;
  }

  /** Counts this call against every matching rule; returns the first rule that fires for it. */
  #firing(operation: StorageOperation, name: string): FaultRule | undefined {
    let firing: FaultRule | undefined;
    for (const active of this.#rules) {
      const { rule } = active;
      if (!matches(rule, operation, name)) continue;
      active.matched += 1;
      const limit = rule.times ?? (rule.nth === undefined ? Number.POSITIVE_INFINITY : 1);
      if (firing === undefined && active.matched >= (rule.nth ?? 1) && active.fired < limit) {
        active.fired += 1;
        firing = rule;
      }
    }
    return firing;
  }

  #inject(rule: FaultRule, operation: StorageOperation, name: string): StorageError {
    this.#injected.push({ operation, name, code: rule.code });
    return new StorageError(
      rule.code,
      rule.message ?? `Injected fault: ${operation} ${JSON.stringify(name)}`,
      {
        retryable: rule.retryable,
        retryAfterSeconds: rule.retryAfterSeconds,
      },
    );
  }
}

function matches(rule: FaultRule, operation: StorageOperation, name: string): boolean {
  if (rule.operation !== undefined && rule.operation !== operation) return false;
  if (rule.name === undefined) return true;
  if (typeof rule.name === 'string') return rule.name === name;
  rule.name.lastIndex = 0; // a /g or /y pattern would otherwise remember where it last matched
  return rule.name.test(name);
}

/** Passes the first `limit` bytes of `source` through, then errors with `error` and cancels `source`. */
function failAfterBytes(source: ReadableStream<Uint8Array>, limit: number, error: StorageError) {
  const reader = source.getReader();
  let passed = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // Erroring right after an enqueue would discard the queued bytes, so the last allowed bytes
      // go out on one pull and the error comes on the next.
      const next = passed < limit ? await reader.read() : undefined;
      if (next === undefined || next.done) {
        controller.error(error);
        await reader.cancel(error).catch(() => {});
        return;
      }
      const chunk = next.value.subarray(0, limit - passed);
      passed += chunk.length;
      controller.enqueue(chunk);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

function checkRule(rule: FaultRule): void {
  if (typeof rule !== 'object' || rule === null || typeof rule.code !== 'string') {
    throw new TypeError('A fault rule needs at least a StorageErrorCode in `code`');
  }
  for (const key of ['nth', 'times', 'afterBytes', 'afterItems'] as const) {
    const value = rule[key];
    const least = key === 'nth' || key === 'times' ? 1 : 0;
    if (value !== undefined && (!Number.isSafeInteger(value) || value < least)) {
      throw new RangeError(`Fault rule ${key} must be an integer >= ${least}, got ${value}`);
    }
  }
  if (rule.afterBytes !== undefined && rule.operation !== 'put' && rule.operation !== 'getStream') {
    throw new TypeError('afterBytes needs operation "put" or "getStream"');
  }
  if (rule.afterItems !== undefined && rule.operation !== 'list') {
    throw new TypeError('afterItems needs operation "list"');
  }
  if (rule.when === 'after' && (rule.afterBytes !== undefined || rule.afterItems !== undefined)) {
    throw new TypeError('when: "after" cannot be combined with afterBytes or afterItems');
  }
}
