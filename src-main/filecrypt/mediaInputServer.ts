import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseRange } from '../domain/byteRange.js';
import { isEncryptedFile, openStoredFile } from './storedFile.js';

/**
 * How ffmpeg and ffprobe read an encrypted vault file: they cannot decrypt it, and an MP4 cannot
 * be read through a pipe (its index is often at the end), so they get an address on a small HTTP
 * server that decrypts the byte ranges they ask for. ffmpeg's http protocol seeks with Range
 * requests. The server listens on 127.0.0.1 on a port the system picks, only while a job or an
 * export needs it, and answers only paths holding its random token and a number it handed out;
 * it never names a file and never serves one it was not given. A plain file is handed back as
 * its path: nothing is served then.
 */
export class MediaInputServer {
  private server: Server | undefined;
  private starting: Promise<void> | undefined;
  private readonly token = randomBytes(24).toString('hex');
  private readonly files = new Map<string, string>();
  private readonly numbers = new Map<string, string>();
  private base = '';

  constructor(private readonly vaultKey: Buffer | undefined) {}

  /**
   * What to give ffmpeg as the input for `path`: the path itself, or an address on this server. A
   * file that cannot be opened is handed back as its path too, so the reader's own check names
   * the problem (FILE_NOT_FOUND, FILE_IS_FOLDER) as it would without encryption.
   */
  async input(path: string): Promise<string> {
    if (!this.vaultKey || !(await isEncryptedFile(path).catch(() => false))) return path;
    await this.listen();
    let name = this.numbers.get(path);
    if (!name) {
      name = `${this.files.size + 1}${extname(path)}`;
      this.files.set(name, path);
      this.numbers.set(path, name);
    }
    return `${this.base}/${this.token}/${name}`;
  }

  /** `text` (an error message) with every address this server handed out replaced by its file's path. */
  redact(text: string): string {
    if (!this.base) return text;
    let out = text;
    for (const [name, path] of this.files) out = out.split(`${this.base}/${this.token}/${name}`).join(path);
    return out.split(this.token).join('…');
  }

  /** Whether the server is listening (only once an encrypted file was asked for). */
  get listening(): boolean {
    return this.server?.listening ?? false;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.starting = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private listen(): Promise<void> {
    this.starting ??= new Promise<void>((resolve, reject) => {
      const server = createServer((request, response) => void this.answer(request, response));
      server.keepAliveTimeout = 2000;
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        this.base = `http://127.0.0.1:${port}`;
        this.server = server;
        resolve();
      });
    });
    return this.starting;
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const parts = (request.url ?? '').split('/');
    const path = parts.length === 3 && parts[1] === this.token ? this.files.get(parts[2] ?? '') : undefined;
    if (!path || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(path ? 405 : 404).end();
      return;
    }
    let file;
    try {
      file = await openStoredFile(path, this.vaultKey);
    } catch {
      response.writeHead(404).end();
      return;
    }
    try {
      const range = request.method === 'GET' ? parseRange(request.headers.range, file.size) : undefined;
      if (range === 'unsatisfiable') {
        response.writeHead(416, { 'Content-Range': `bytes */${file.size}` }).end();
        return;
      }
      const { start, end } = range ?? { start: 0, end: file.size - 1 };
      response.writeHead(range ? 206 : 200, {
        'Accept-Ranges': 'bytes',
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(end - start + 1),
        ...(range ? { 'Content-Range': `bytes ${start}-${end}/${file.size}` } : {}),
      });
      if (request.method === 'HEAD' || file.size === 0) {
        response.end();
        return;
      }
      // ffmpeg drops a connection when it seeks; a chunk that fails to authenticate ends the
      // response short, and ffmpeg reports the input as damaged
      await pipeline(file.stream(start, end), response).catch(() => undefined);
    } finally {
      await file.close();
    }
  }
}
