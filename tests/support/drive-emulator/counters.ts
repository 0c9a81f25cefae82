import type { RequestKind } from './routes';

/** What tests and benchmarks read back: traffic by kind and status, and body bytes each way. */
export interface DriveCounters {
  totalRequests: number;
  requests: Partial<Record<RequestKind, number>>;
  responses: Record<number, number>;
  /** Request body bytes received (headers not counted). */
  bytesReceived: number;
  /** Response body bytes sent (headers not counted). */
  bytesSent: number;
  /** Connections the emulator broke on purpose (cut faults). */
  connectionsCut: number;
}

export class CounterSet {
  #counters: DriveCounters = emptyCounters();

  countRequest(kind: RequestKind): void {
    this.#counters.totalRequests += 1;
    this.#counters.requests[kind] = (this.#counters.requests[kind] ?? 0) + 1;
  }

  countResponse(status: number): void {
    this.#counters.responses[status] = (this.#counters.responses[status] ?? 0) + 1;
  }

  addReceived(bytes: number): void {
    this.#counters.bytesReceived += bytes;
  }

  addSent(bytes: number): void {
    this.#counters.bytesSent += bytes;
  }

  countCut(): void {
    this.#counters.connectionsCut += 1;
  }

  snapshot(): DriveCounters {
    const counters = this.#counters;
    return { ...counters, requests: { ...counters.requests }, responses: { ...counters.responses } };
  }

  reset(): void {
    this.#counters = emptyCounters();
  }
}

function emptyCounters(): DriveCounters {
  return { totalRequests: 0, requests: {}, responses: {}, bytesReceived: 0, bytesSent: 0, connectionsCut: 0 };
}
