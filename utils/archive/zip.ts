import { makeZip } from 'client-zip';
import type { ArchiveEntry } from './archive';
import { ArchiveError, DamagedEntryError } from './errors';

/**
 * The archive as one streaming zip (client-zip: no compression — photos and videos are
 * compressed already — zip64 beyond 4 GiB, UTF-8 names, constant memory). Pipe the stream to
 * a FileSystemWritableFileStream, a download, or a file; it pulls entries only as fast as the
 * destination takes bytes.
 *
 * A zip cannot take back bytes it has sent, so a large media file found damaged part-way
 * (DamagedEntryError) ends its entry where the damage began; the archive's problems.txt names
 * the file as incomplete. Any other failure aborts the stream.
 */
export function zipArchive(entries: AsyncIterable<ArchiveEntry>): ReadableStream<Uint8Array> {
  if (entries === null || typeof entries !== 'object' || !(Symbol.asyncIterator in entries)) {
    throw new ArchiveError('invalid-argument', 'entries must be an async iterable of archive entries');
  }
  return makeZip(zipInputs(entries), { buffersAreUTF8: true });
}

async function* zipInputs(entries: AsyncIterable<ArchiveEntry>) {
  for await (const entry of entries) {
    yield {
      name: entry.path,
      lastModified: entry.lastModified,
      input: entry.content instanceof Uint8Array ? entry.content : untilDamage(entry.content),
    };
  }
}

async function* untilDamage(content: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    for await (const piece of content) {
      // client-zip ends an entry at the first empty piece; skip them instead.
      if (piece.length > 0) yield piece;
    }
  } catch (error) {
    if (!(error instanceof DamagedEntryError)) throw error;
  }
}
