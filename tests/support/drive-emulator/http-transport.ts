import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorResponse } from './exchange';
import type { TimerScope } from './timer-scope';

/**
 * Moves bytes between the socket and the emulator, applying the transport faults: bandwidth
 * pacing and deliberate connection cuts. Everything above this layer sees whole requests.
 */

export interface ReadOptions {
  bytesPerSecond?: number;
  /** Destroy the socket once this many body bytes have arrived. */
  cutAfter?: number;
  timers: TimerScope;
}

export interface ReadResult {
  body: Buffer;
  complete: boolean;
  /** True when this layer broke the connection on purpose. */
  cut: boolean;
}

export function readBody(request: IncomingMessage, options: ReadOptions): Promise<ReadResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const startedAt = Date.now();
    const finish = (complete: boolean, cut = false) => {
      if (settled) return;
      settled = true;
      resolve({ body: Buffer.concat(chunks), complete, cut });
    };
    const cut = () => {
      finish(false, true);
      request.socket.destroy();
    };
    if (options.cutAfter === 0) {
      cut();
      return;
    }
    if (request.destroyed) {
      // The client went away while the request waited (e.g. injected latency).
      finish(false);
      return;
    }
    request.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (options.cutAfter !== undefined && received + chunk.length >= options.cutAfter) {
        chunks.push(chunk.subarray(0, options.cutAfter - received));
        received = options.cutAfter;
        cut();
        return;
      }
      chunks.push(chunk);
      received += chunk.length;
      const rate = options.bytesPerSecond;
      if (rate !== undefined) {
        const wait = startedAt + (received / rate) * 1000 - Date.now();
        if (wait > 0) {
          request.pause();
          void options.timers.sleep(wait).then(() => {
            if (!settled) request.resume();
          });
        }
      }
    });
    request.on('end', () => finish(true));
    request.on('error', () => finish(false));
    request.on('close', () => finish(request.complete));
  });
}

export interface WriteOptions {
  bytesPerSecond?: number;
  cutAfter?: number;
  timers: TimerScope;
}

/** Sends a response; returns how many body bytes went out and whether the connection was cut. */
export async function writeResponse(
  response: ServerResponse,
  value: EmulatorResponse,
  options: WriteOptions,
): Promise<{ sent: number; cut: boolean }> {
  const body = value.body ?? Buffer.alloc(0);
  const headers: Record<string, string> = { ...value.headers };
  if (value.body !== undefined) headers['content-length'] = String(body.length);
  if (value.statusMessage) response.writeHead(value.status, value.statusMessage, headers);
  else response.writeHead(value.status, headers);
  const { bytesPerSecond, cutAfter } = options;
  if (bytesPerSecond === undefined && (cutAfter === undefined || cutAfter >= body.length)) {
    response.end(body);
    return { sent: body.length, cut: false };
  }
  // Paced or cut: send in slices of ~50 ms worth of bandwidth.
  const slice = bytesPerSecond === undefined ? body.length : Math.max(1, Math.floor(bytesPerSecond / 20));
  const limit = Math.min(body.length, cutAfter ?? body.length);
  const startedAt = Date.now();
  let sent = 0;
  // After dispose() the sleeps return at once, so the rest goes out unpaced rather than truncated.
  while (sent < limit && !response.destroyed) {
    const end = Math.min(limit, sent + slice);
    // Waiting for each write to reach the socket is the backpressure, and makes sure the bytes
    // before a cut really leave before the socket is destroyed.
    await flushed(response, body.subarray(sent, end));
    sent = end;
    if (bytesPerSecond !== undefined)
      await options.timers.sleep(startedAt + (sent / bytesPerSecond) * 1000 - Date.now());
  }
  if (cutAfter !== undefined && cutAfter < body.length) {
    response.socket?.destroy();
    return { sent, cut: true };
  }
  response.end();
  return { sent, cut: false };
}

function flushed(response: ServerResponse, chunk: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('close', done);
      resolve();
    };
    response.on('close', done);
    response.write(chunk, done);
  });
}
