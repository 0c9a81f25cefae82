/**
 * The part of a runtime Port (chrome.runtime.Port / browser.runtime.Port) the collection code
 * uses. utils/ may not import browser APIs, so the entrypoints hand real ports in and tests hand
 * in fakes (tests/unit/collect/fake-ports.ts).
 */
export interface PortLike {
  readonly name: string;
  readonly sender?: { id?: string; url?: string; tab?: { id?: number } };
  postMessage(message: unknown): void;
  disconnect(): void;
  readonly onMessage: { addListener(listener: (message: unknown) => void): void };
  readonly onDisconnect: { addListener(listener: () => void): void };
}
