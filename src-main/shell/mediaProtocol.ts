import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { parseRange } from '../server/mediaRange.js';
import type { WalkScopeApp } from '../services/walkscopeApp.js';

/**
 * walkscope-media://video/<id>: streams a stored video with range requests so the player can
 * seek in long videos. walkscope-media://study/<id>/<case> streams a reader-study case without
 * revealing which video it is. Only vault files of registered videos; the page cannot name a path.
 */
export async function mediaResponse(app: WalkScopeApp, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const videoMatch = url.host === 'video' ? /^\/?(\d+)$/.exec(url.pathname) : null;
  const caseMatch = url.host === 'study' ? /^\/?(\d+)\/(C\d{3,6})$/.exec(url.pathname) : null;
  const video = videoMatch ? app.store.videos.find(Number(videoMatch[1])) : caseMatch ? app.services.studies.caseVideo(Number(caseMatch[1]), caseMatch[2]!) : undefined;
  if (!video) return new Response('Not found', { status: 404 });
  const file = app.store.vault.absolute(video.vaultPath);
  const { size } = await stat(file);
  const range = parseRange(request.headers.get('range') ?? undefined, size);
  if (range === 'invalid') return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${size}` } });
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const body = Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream<Uint8Array>;
  return new Response(body, {
    status: range ? 206 : 200,
    headers: {
      'Content-Type': 'video/mp4',
      'Accept-Ranges': 'bytes',
      'Content-Length': String(end - start + 1),
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
    },
  });
}
