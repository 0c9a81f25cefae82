import { badContent } from './google-errors';

/**
 * The body of `uploadType=multipart`: `multipart/related` with exactly two parts, the JSON
 * metadata and then the media (RFC 2387, as Drive's "Perform a multipart upload" describes).
 * Binary-safe: the media part is never decoded as text.
 */
export interface MultipartUpload {
  metadata: Buffer;
  media: Buffer;
  mediaType: string | undefined;
}

interface Part {
  headers: Map<string, string>;
  body: Buffer;
}

export function parseMultipartRelated(contentType: string | undefined, body: Buffer): MultipartUpload {
  const boundary = boundaryOf(contentType);
  const parts = splitParts(body, boundary);
  if (parts.length !== 2) throw badContent('Malformed multipart body.');
  const [metadataPart, mediaPart] = parts as [Part, Part];
  const metadataType = metadataPart.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(metadataType)) {
    throw badContent('Invalid multipart request: the first part must be the JSON metadata.');
  }
  const encoding = mediaPart.headers.get('content-transfer-encoding')?.toLowerCase();
  const media =
    encoding === 'base64' ? Buffer.from(mediaPart.body.toString('latin1'), 'base64') : mediaPart.body;
  return { metadata: metadataPart.body, media, mediaType: mediaPart.headers.get('content-type') };
}

function boundaryOf(contentType: string | undefined): string {
  if (!contentType || !/^multipart\/related\s*;/i.test(contentType)) {
    throw badContent('Invalid multipart request: expected Content-Type multipart/related with a boundary.');
  }
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw badContent('Invalid multipart request: the Content-Type has no boundary.');
  return boundary;
}

function splitParts(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  let position = body.indexOf(delimiter);
  if (position < 0) throw badContent('Malformed multipart body.');
  const parts: Part[] = [];
  for (;;) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString('latin1') === '--') return parts;
    position = skipLineEnd(body, position);
    // The part ends at CRLF--boundary (the CRLF belongs to the delimiter, RFC 2046).
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), position);
    if (next < 0) throw badContent('Malformed multipart body.');
    parts.push(parsePart(body.subarray(position, next)));
    position = next + 2;
  }
}

function skipLineEnd(body: Buffer, position: number): number {
  let cursor = position;
  while (body[cursor] === 0x20 || body[cursor] === 0x09) cursor += 1;
  if (body[cursor] === 0x0d && body[cursor + 1] === 0x0a) return cursor + 2;
  if (body[cursor] === 0x0a) return cursor + 1;
  throw badContent('Malformed multipart body.');
}

function parsePart(raw: Buffer): Part {
  const headers = new Map<string, string>();
  let headerEnd = raw.indexOf('\r\n\r\n');
  let bodyStart = headerEnd + 4;
  if (raw.subarray(0, 2).toString('latin1') === '\r\n') {
    // No headers at all: the body starts right after the blank line.
    headerEnd = 0;
    bodyStart = 2;
  }
  if (headerEnd < 0) throw badContent('Malformed multipart body.');
  for (const line of raw.subarray(0, headerEnd).toString('latin1').split('\r\n')) {
    if (line.length === 0) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw badContent('Malformed multipart body.');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.subarray(bodyStart) };
}
