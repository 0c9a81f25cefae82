/**
 * Every delay the emulator waits (latency, bandwidth pacing) goes through one scope, so
 * `dispose()` can clear them all: a test run must end with no timers keeping Node alive.
 */
export class TimerScope {
  readonly #pending = new Map<ReturnType<typeof setTimeout>, () => void>();
  #disposed = false;

  /** Resolves after `ms`, or at once when the scope is (or becomes) disposed. */
  sleep(ms: number): Promise<void> {
    if (this.#disposed || !(ms > 0)) return Promise.resolve();
    return new Promise((resolve) => {
      const handle = setTimeout(() => {
        this.#pending.delete(handle);
        resolve();
      }, ms);
      this.#pending.set(handle, resolve);
    });
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  dispose(): void {
    this.#disposed = true;
    for (const [handle, resolve] of this.#pending) {
      clearTimeout(handle);
      resolve();
    }
    this.#pending.clear();
  }
}
