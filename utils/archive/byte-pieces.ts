/**
 * Small adapters between the ways bytes move through the archive writer: text produced piece
 * by piece, and media pushed by the backup reader while the archive's consumer pulls.
 */

const TEXT_BATCH_CHARS = 1 << 16;

/** UTF-8 bytes of text pieces, in batches of about 64 Ki characters (never one giant string). */
export async function* encodePieces(pieces: Iterable<string>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let batch = '';
  for (const piece of pieces) {
    batch += piece;
    if (batch.length >= TEXT_BATCH_CHARS) {
      yield encoder.encode(batch);
      batch = '';
    }
  }
  if (batch.length > 0) yield encoder.encode(batch);
}

export async function* fromChunks(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

export type PushSink = (piece: Uint8Array) => Promise<void>;

/** The consumer stopped reading; the producer's sink throws this to end its run early. */
export class ConsumerGoneError extends Error {
  override readonly name = 'ConsumerGoneError';
  constructor() {
    super('the archive consumer stopped reading');
  }
}

/**
 * Turns a producer that pushes pieces into an async sink (utils/repo streams media that way)
 * into an async iterable the consumer pulls from. The producer waits while `highWater` pieces
 * are queued, so memory stays bounded and a slow destination slows the reading down.
 * A producer failure is rethrown to the consumer after the pieces that came before it.
 */
export function pushToPull(
  run: (sink: PushSink) => Promise<unknown>,
  highWater = 4,
): AsyncGenerator<Uint8Array> {
  const queue: Uint8Array[] = [];
  let finished = false;
  let failed = false;
  let failure: unknown;
  let cancelled = false;
  let wakeConsumer: (() => void) | undefined;
  let wakeProducer: (() => void) | undefined;
  const notify = (which: 'consumer' | 'producer') => {
    const wake = which === 'consumer' ? wakeConsumer : wakeProducer;
    if (which === 'consumer') wakeConsumer = undefined;
    else wakeProducer = undefined;
    wake?.();
  };

  const sink: PushSink = async (piece) => {
    if (cancelled) throw new ConsumerGoneError();
    queue.push(piece);
    notify('consumer');
    while (queue.length >= highWater && !cancelled) {
      await new Promise<void>((resolve) => {
        wakeProducer = resolve;
      });
    }
    if (cancelled) throw new ConsumerGoneError();
  };

  let started = false;
  const start = () => {
    started = true;
    run(sink).then(
      () => {
        finished = true;
        notify('consumer');
      },
      (error) => {
        finished = true;
        failed = true;
        failure = error;
        notify('consumer');
      },
    );
  };

  return (async function* pull() {
    if (!started) start();
    try {
      for (;;) {
        if (queue.length > 0) {
          const piece = queue.shift()!;
          notify('producer');
          yield piece;
          continue;
        }
        if (finished) {
          if (failed) throw failure;
          return;
        }
        await new Promise<void>((resolve) => {
          wakeConsumer = resolve;
        });
      }
    } finally {
      cancelled = true;
      notify('producer');
    }
  })();
}
