import { Readable } from 'node:stream';
import { parseRange } from '../domain/byteRange.js';
import { isMediaRefusal, openVaultMedia } from '../server/vaultMedia.js';
import type { WalkScopeApp } from '../services/walkscopeApp.js';

/**
 * walkscope-media://video/<id>: streams a stored video with range requests so the player can
 * seek in long videos. walkscope-media://study/<id>/<case> streams a reader-study case without
 * revealing which video it is. Only vault files of registered videos, and only when the file
 * really lies in the vault (openVaultMedia: no symlink out of it); the page cannot name a path.
 */
export async function mediaResponse(app: WalkScopeApp, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const videoMatch = url.host === 'video' ? /^\/?(\d+)$/.exec(url.pathname) : null;
  const caseMatch = url.host === 'study' ? /^\/?(\d+)\/(C\d{3,6})$/.exec(url.pathname) : null;
  const video = videoMatch ? app.store.videos.find(Number(videoMatch[1])) : caseMatch ? app.services.studies.caseVideo(Number(caseMatch[1]), caseMatch[2]!) : undefined;
  if (!video) return new Response('Not found', { status: 404 });
  const opened = await openVaultMedia(app.store.vault, video.vaultPath);
  if (isMediaRefusal(opened)) {
    app.log(`media: ${url.host}${url.pathname} -> ${opened.status}: ${opened.reason}`);
    return new Response(opened.status === 403 ? 'Refused' : opened.status === 500 ? 'This video cannot be read' : 'Not found', { status: opened.status });
  }
  const size = opened.size;
  // ranges apply to GET only (RFC 9110, 14.2)
  const range = request.method === 'GET' ? parseRange(request.headers.get('range') ?? undefined, size) : undefined;
  if (range === 'unsatisfiable') {
    await opened.close();
    return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${size}` } });
  }
  const headers = { 'Content-Type': 'video/mp4', 'Accept-Ranges': 'bytes', 'Content-Length': String(range ? range.end - range.start + 1 : size) };
  if (request.method === 'HEAD' || size === 0) {
    await opened.close();
    return new Response(null, { status: 200, headers });
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const stream = opened.stream(start, end);
  stream.once('close', () => void opened.close());
  const body = Readable.toWeb(stream) as ReadableStream<Uint8Array>;
  return new Response(body, {
    status: range ? 206 : 200,
    headers: { ...headers, ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}) },
  });
}
