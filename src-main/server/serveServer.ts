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
import type { WalkScopeApp } from '../services/walkscopeApp.js';
import { sendFileWithRanges } from './mediaRange.js';

export interface ServeOptions {
  app: WalkScopeApp;
  /** Built renderer folder (out/renderer). */
  staticDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token for tests; a random one per run otherwise. */
  token?: string;
  maxUploadBytes?: number;
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

/**
 * Serve mode: the same services as the desktop app behind a static + WebSocket server bound
 * to 127.0.0.1 only. Every request needs the per-run token (in the URL the server prints, then
 * a same-site cookie); the Host and Origin headers must name this server, which stops other
 * web pages and DNS-rebinding tricks from reaching it.
 */
export async function startServeServer(options: ServeOptions): Promise<RunningServer> {
  const { app } = options;
  const token = options.token ?? randomBytes(24).toString('base64url');
  const maxUpload = options.maxUploadBytes ?? 8 * 1024 ** 3;
  let port = 0;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = () => allowedHosts().map((h) => `http://${h}`);
  const csp = () => contentSecurityPolicy({ connectSrc: allowedOrigins().map((o) => o.replace('http', 'ws')), mediaSrc: [] });

  const hasToken = (request: IncomingMessage, url: URL): boolean => {
    const offered = url.searchParams.get('token') || cookieToken(request);
    return offered !== undefined && offered !== null && sameSecret(offered, token);
  };

  const refuse = (response: ServerResponse, status: number, text: string) => {
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(text);
  };

  const server: Server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) refuse(response, 500, 'Internal error');
      else response.destroy();
      options.app.options.log?.('serve request failed', error);
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!allowedHosts().includes(request.headers.host ?? '')) return refuse(response, 421, 'Wrong host');
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    if (!hasToken(request, url)) return refuse(response, 403, 'WalkScope: open the address printed by `npm run serve` (it carries the access token).');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    if (url.searchParams.has('token')) {
      response.setHeader('Set-Cookie', `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    }

    if (url.pathname === '/upload' && request.method === 'POST') {
      const origin = request.headers.origin;
      if (origin && !allowedOrigins().includes(origin)) return refuse(response, 403, 'Wrong origin');
      const { uploadId, sizeBytes } = await app.uploads.receive(request, maxUpload);
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ uploadId, sizeBytes }));
      return;
    }

    const media = /^\/media\/video\/(\d+)$/.exec(url.pathname);
    if (media && (request.method === 'GET' || request.method === 'HEAD')) {
      const video = app.store.videos.find(Number(media[1]));
      if (!video) return refuse(response, 404, 'No such video');
      return sendFileWithRanges(request, response, app.store.vault.absolute(video.vaultPath), 'video/mp4');
    }

    const studyCase = /^\/media\/study\/(\d+)\/(C\d{3,6})$/.exec(url.pathname);
    if (studyCase && (request.method === 'GET' || request.method === 'HEAD')) {
      const video = app.services.studies.caseVideo(Number(studyCase[1]), studyCase[2]!);
      if (!video) return refuse(response, 404, 'No such case');
      return sendFileWithRanges(request, response, app.store.vault.absolute(video.vaultPath), 'video/mp4');
    }

    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, 405, 'Method not allowed');
    const relativePath = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = normalize(join(options.staticDir, relativePath));
    if (!file.startsWith(normalize(options.staticDir) + sep)) return refuse(response, 404, 'Not found');
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return refuse(response, 404, 'Not found');
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
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
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
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
