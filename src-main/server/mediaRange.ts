import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { parseRange } from '../domain/byteRange.js';
import type { StoredFile } from '../filecrypt/storedFile.js';

/**
 * Streams an opened vault file (plain or encrypted: the ranges are of its plain content) with
 * HTTP range support so the video element can seek in long videos, and closes it. Ranges apply
 * to GET only (RFC 9110, 14.2); HEAD answers as the whole file would.
 */
export async function sendFileWithRanges(request: IncomingMessage, response: ServerResponse, file: StoredFile, contentType: string): Promise<void> {
  const size = file.size;
  try {
    const range = request.method === 'GET' ? parseRange(request.headers.range, size) : undefined;
    response.setHeader('Accept-Ranges', 'bytes');
    response.setHeader('Content-Type', contentType);
    response.setHeader('Cache-Control', 'no-store');
    if (range === 'unsatisfiable') {
      response.writeHead(416, { 'Content-Range': `bytes */${size}` });
      response.end();
      return;
    }
    const { start, end } = range ?? { start: 0, end: size - 1 };
    response.writeHead(range ? 206 : 200, {
      'Content-Length': String(range ? end - start + 1 : size),
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
    });
    if (request.method === 'HEAD' || size === 0) {
      response.end();
      return;
    }
    await pipeline(file.stream(start, end), response).catch(() => {
      // the player cancelled the request while seeking (or a chunk failed to authenticate, which
      // ends the response early): not an error of the server
    });
  } finally {
    await file.close();
  }
}
