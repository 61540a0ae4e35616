import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { contentSecurityPolicy } from '../contract/security.js';
import { maxClientMessageBytes, type ClientMessage, type ServerMessage } from '../contract/wire.js';
import { eventNames } from '../contract/methods.js';
import { AppError } from '../contract/errors.js';
import { defaultUploadLimits, type UploadLimits } from '../domain/uploadLimits.js';
import type { WalkScopeApp } from '../services/walkscopeApp.js';
import { sendFileWithRanges } from './mediaRange.js';
import { OpenReadings } from '../services/openReadings.js';
import { isMediaRefusal, openVaultMedia } from './vaultMedia.js';

export interface ServeOptions {
  app: WalkScopeApp;
  /** Built renderer folder (out/renderer). */
  staticDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token for tests; a random one per run otherwise. */
  token?: string;
  /** What a browser may upload (domain/uploadLimits.ts; its defaults when absent). */
  uploadLimits?: UploadLimits;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

const cookieName = 'walkscope_token';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(request: IncomingMessage): string | undefined {
  const header = request.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === cookieName) return rest.join('=');
  }
  return undefined;
}

/** The request's path for the log: never the query, which may carry the token. */
function loggedPath(request: IncomingMessage): string {
  const path = (request.url ?? '/').split('?')[0]!;
  return path.length > 200 ? `${path.slice(0, 200)}...` : path;
}

/**
 * Whether a media request comes from the app's own page. The SameSite=Strict cookie does not
 * tell: a page served from another port of 127.0.0.1 is the same site, so its <video> gets the
 * cookie. The browser's Sec-Fetch-Site header does tell, and a page cannot forge it: with only
 * the cookie, the request must say `same-origin`; `same-site` and `cross-site` are refused even
 * with the token in the URL. An Origin or Referer, when sent, must name this server. Clients
 * without Sec-Fetch-Site (not a browser) must put the token in the URL. Returns the reason to
 * refuse, or undefined.
 */
export function mediaFetchRefusal(headers: IncomingMessage['headers'], tokenInUrl: boolean, allowedOrigins: readonly string[]): string | undefined {
  const site = headers['sec-fetch-site'];
  if (site === 'same-site' || site === 'cross-site') return `Sec-Fetch-Site is ${site}`;
  if (!tokenInUrl && site !== 'same-origin') return site ? `Sec-Fetch-Site is ${site}, and the token is not in the URL` : 'no Sec-Fetch-Site, and the token is not in the URL';
  const origin = headers.origin;
  if (origin !== undefined && !allowedOrigins.includes(origin)) return `Origin ${origin} is not this server`;
  const referer = headers.referer;
  if (referer !== undefined) {
    const from = URL.canParse(referer) ? new URL(referer).origin : undefined;
    if (!from || !allowedOrigins.includes(from)) return `Referer from ${from ?? 'an unreadable address'} is not this server`;
  }
  return undefined;
}

/**
 * Serve mode: the same services as the desktop app behind a static + WebSocket server bound
 * to 127.0.0.1 only. Every request needs the per-run token (in the URL the server prints, then
 * a same-site cookie); the Host and Origin headers must name this server, which stops other
 * web pages and DNS-rebinding tricks from reaching it. Media also needs mediaFetchRefusal's
 * consent, and the file must really lie in the vault (openVaultMedia). Every refused or failed
 * request is logged (method, path without the query, status, reason).
 */
export async function startServeServer(options: ServeOptions): Promise<RunningServer> {
  const { app } = options;
  const token = options.token ?? randomBytes(24).toString('base64url');
  const uploadLimits = options.uploadLimits ?? defaultUploadLimits;
  let port = 0;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = () => allowedHosts().map((h) => `http://${h}`);
  const csp = () => contentSecurityPolicy({ connectSrc: allowedOrigins().map((o) => o.replace('http', 'ws')), mediaSrc: [] });

  const hasToken = (request: IncomingMessage, url: URL): boolean => {
    const offered = url.searchParams.get('token') || cookieToken(request);
    return offered !== undefined && offered !== null && sameSecret(offered, token);
  };

  const logRequest = (request: IncomingMessage, status: number, reason: string, cause?: unknown) =>
    app.log(`serve: ${request.method ?? '?'} ${loggedPath(request)} -> ${status}: ${reason}`, cause);

  /** Answers with a short text for the page and logs `reason` (the page never sees it). */
  const refuse = (request: IncomingMessage, response: ServerResponse, status: number, text: string, reason = text) => {
    logRequest(request, status, reason);
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(text);
  };

  const server: Server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      const code = (error as { code?: unknown } | undefined)?.code;
      logRequest(request, 500, typeof code === 'string' ? code : error instanceof Error ? error.message : String(error), error);
      if (!response.headersSent) {
        response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        response.end('Internal error');
      } else response.destroy();
    });
  });

  const sendVaultVideo = async (request: IncomingMessage, response: ServerResponse, vaultPath: string) => {
    const opened = await openVaultMedia(app.store.vault, vaultPath);
    if (isMediaRefusal(opened)) return refuse(request, response, opened.status, opened.status === 403 ? 'Refused' : opened.status === 500 ? 'This video cannot be read' : 'Not found', opened.reason);
    return sendFileWithRanges(request, response, opened, 'video/mp4');
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!allowedHosts().includes(request.headers.host ?? '')) return refuse(request, response, 421, 'Wrong host', `Host ${request.headers.host ?? '(none)'} is not this server`);
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    if (!hasToken(request, url)) return refuse(request, response, 403, 'WalkScope: open the address printed by `npm run serve` (it carries the access token).', 'no valid token');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    if (url.searchParams.has('token')) {
      response.setHeader('Set-Cookie', `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    }

    if (url.pathname === '/upload' && request.method === 'POST') {
      const origin = request.headers.origin;
      if (origin && !allowedOrigins().includes(origin)) return refuse(request, response, 403, 'Wrong origin');
      const declared = request.headers['content-length'];
      const declaredBytes = declared === undefined ? undefined : Number(declared);
      try {
        const { uploadId, sizeBytes } = await app.uploads.receive(request, { declaredBytes, limits: uploadLimits });
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ uploadId, sizeBytes }));
      } catch (error) {
        if (!(error instanceof AppError && error.code === 'UPLOAD_TOO_LARGE')) throw error;
        // 413 with the sentence; the rest of the body is read and dropped, so the browser gets
        // this answer rather than a reset connection
        logRequest(request, 413, error.detail);
        app.store.audit.record(app.actor, 'request.refused', 'request', 'upload', null, { code: error.code, transport: 'serve', ...(declaredBytes === undefined ? {} : { declaredBytes }) });
        request.resume();
        response.writeHead(413, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ error: error.toReply() }));
      }
      return;
    }

    const media = /^\/media\/video\/(\d+)$/.exec(url.pathname);
    const studyCase = /^\/media\/study\/(\d+)\/(C\d{3,6})$/.exec(url.pathname);
    if ((media || studyCase) && (request.method === 'GET' || request.method === 'HEAD')) {
      const refusal = mediaFetchRefusal(request.headers, url.searchParams.has('token'), allowedOrigins());
      if (refusal) return refuse(request, response, 403, 'WalkScope media plays only in the WalkScope page.', refusal);
      const video = media ? app.store.videos.find(Number(media[1])) : app.services.studies.caseVideo(Number(studyCase![1]), studyCase![2]!);
      if (!video) return refuse(request, response, 404, media ? 'No such video' : 'No such case');
      return sendVaultVideo(request, response, video.vaultPath);
    }

    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(request, response, 405, 'Method not allowed');
    let relativePath: string;
    try {
      relativePath = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    } catch {
      return refuse(request, response, 400, 'Bad path', 'the path has a malformed %-escape');
    }
    const file = normalize(join(options.staticDir, relativePath));
    if (!file.startsWith(normalize(options.staticDir) + sep)) return refuse(request, response, 404, 'Not found');
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return refuse(request, response, 404, 'Not found');
    const body = await readFile(file);
    response.writeHead(200, {
      'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': csp(),
      'Cache-Control': 'no-store',
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxClientMessageBytes });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    const originOk = allowedOrigins().includes(request.headers.origin ?? '');
    if (!allowedHosts().includes(request.headers.host ?? '') || url.pathname !== '/api' || !originOk || !hasToken(request, url)) {
      logRequest(request, 403, 'WebSocket refused (host, path, origin or token)');
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  // the leaves recorded for tabs that closed mid-reading; close() waits for them
  const leaving = new Set<Promise<unknown>>();
  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    const readings = new OpenReadings();
    ws.on('close', () => {
      sockets.delete(ws);
      if (readings.count === 0) return;
      const done = readings.leaveAll((method, payload) => app.dispatch(method, payload, { transport: 'serve', actor: app.actor })).finally(() => leaving.delete(done));
      leaving.add(done);
    });
    // Oversized or malformed frames close the connection (code 1009/1002); never crash the server.
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      void (async () => {
        let message: ClientMessage;
        try {
          if (isBinary) throw new Error('binary');
          message = JSON.parse(String(data)) as ClientMessage;
          if (message?.type !== 'call' || typeof message.id !== 'number') throw new Error('shape');
        } catch {
          ws.send(JSON.stringify({ type: 'reply', id: -1, result: { ok: false, error: new AppError('BAD_REQUEST', 'the message is not a WalkScope call').toReply() } } satisfies ServerMessage));
          return;
        }
        const result = await app.dispatch(message.method, message.payload, { transport: 'serve', actor: app.actor });
        readings.observe(message.method, message.payload, result);
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'reply', id: message.id, result } satisfies ServerMessage));
      })();
    });
  });

  const unsubscribe = eventNames.map((name) =>
    app.events.on(name, (payload) => {
      const text = JSON.stringify({ type: 'event', name, payload } satisfies ServerMessage);
      for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: async () => {
      for (const off of unsubscribe) off();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await Promise.all([...leaving]);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
