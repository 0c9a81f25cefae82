import type { PortLike } from '@/utils/collect/port-like';

/**
 * Stand-ins for WhatsApp Web's objects and the browser's Ports, shaped like the public record
 * says (Wid and MsgKey with `_serialized` or only `toString()`, Backbone-like collections).
 */
export class FakeWid {
  readonly _serialized: string;
  constructor(readonly jid: string) {
    this._serialized = jid;
  }
  toString() {
    return this.jid;
  }
}

/** A MsgKey after client 2.3000.1042401057: no `_serialized`, only `toString()`. */
export class FakeMsgKey {
  constructor(
    readonly fromMe: boolean,
    readonly remote: string,
    readonly id: string,
    readonly participant?: string,
  ) {}
  toString() {
    return `${this.fromMe}_${this.remote}_${this.id}${this.participant ? `_${this.participant}` : ''}`;
  }
}

export class FakeCollection<T extends { id: unknown }> {
  models: T[];
  constructor(models: T[] = []) {
    this.models = models;
  }
  getModelsArray() {
    return this.models.slice();
  }
  get(id: unknown) {
    return this.models.find((model) => String(model.id) === String(id));
  }
  find(id: unknown) {
    return Promise.resolve(this.get(id));
  }
}

export const wid = (jid: string) => new FakeWid(jid);

/** A pair of connected fake Ports (what one end posts, the other receives, asynchronously). */
export function portPair(name: string, sender?: PortLike['sender']): [FakePort, FakePort] {
  const a = new FakePort(name, sender);
  const b = new FakePort(name, sender);
  a.peer = b;
  b.peer = a;
  return [a, b];
}

export class FakePort implements PortLike {
  peer?: FakePort;
  connected = true;
  readonly sent: unknown[] = [];
  private readonly messageListeners: ((message: unknown) => void)[] = [];
  private readonly disconnectListeners: (() => void)[] = [];
  readonly onMessage = {
    addListener: (listener: (message: unknown) => void) => void this.messageListeners.push(listener),
  };
  readonly onDisconnect = {
    addListener: (listener: () => void) => void this.disconnectListeners.push(listener),
  };

  constructor(
    readonly name: string,
    readonly sender?: PortLike['sender'],
  ) {}

  postMessage(message: unknown): void {
    if (!this.connected) throw new Error('Attempting to use a disconnected port object');
    // Like Chrome: JSON only, delivered later.
    const copy = JSON.parse(JSON.stringify(message));
    this.sent.push(copy);
    const peer = this.peer;
    queueMicrotask(() => {
      if (peer?.connected) for (const listener of peer.messageListeners) listener(copy);
    });
  }

  disconnect(): void {
    if (!this.connected) return;
    this.connected = false;
    const peer = this.peer;
    if (peer?.connected) {
      peer.connected = false;
      queueMicrotask(() => {
        for (const listener of peer.disconnectListeners) listener();
      });
    }
  }

  /** The other end goes away (tab closed, worker stopped): only this end hears about it. */
  drop(): void {
    this.peer?.disconnect();
  }
}

/** Lets queued microtasks and short timers run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}
