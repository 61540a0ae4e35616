import type { CallResult } from '../../../src-main/contract/dispatcher.js';
import type { EventName, ImportSource } from '../../../src-main/contract/methods.js';
import type { ClientMessage, ServerMessage } from '../../../src-main/contract/wire.js';
import type { Transport } from './transport.js';
import { t } from '../i18n.svelte.js';

/**
 * Serve mode: the contract over a WebSocket to the loopback server that served this page.
 * The access token rides along from the page URL (the server also set it as a cookie).
 * Reconnects after a drop; calls made while disconnected wait for the connection.
 */
export class ServeTransport implements Transport {
  readonly kind = 'serve' as const;
  private socket: WebSocket | undefined;
  private opened: Promise<WebSocket> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (result: CallResult) => void>();
  private readonly listeners = new Set<(name: EventName, payload: unknown) => void>();
  private readonly connectionListeners = new Set<(connected: boolean) => void>();

  constructor(private readonly token: string) {}

  private connect(): Promise<WebSocket> {
    if (this.opened) return this.opened;
    this.opened = new Promise<WebSocket>((resolve, reject) => {
      const url = new URL('api', location.href);
      url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
      // The page's cookie carries the token too; the URL copy helps when cookies are blocked.
      url.search = this.token ? `?token=${encodeURIComponent(this.token)}` : '';
      const socket = new WebSocket(url);
      socket.onopen = () => {
        this.socket = socket;
        for (const l of this.connectionListeners) l(true);
        resolve(socket);
      };
      socket.onmessage = (event) => this.receive(JSON.parse(String(event.data)) as ServerMessage);
      socket.onclose = () => {
        this.socket = undefined;
        this.opened = undefined;
        for (const l of this.connectionListeners) l(false);
        for (const [id, settle] of this.pending) {
          settle({ ok: false, error: { code: 'INTERNAL', message: t('components.connection.lost') } });
          this.pending.delete(id);
        }
        reject(new Error('closed'));
        setTimeout(() => void this.connect().catch(() => {}), 1000);
      };
    });
    return this.opened;
  }

  private receive(message: ServerMessage): void {
    if (message.type === 'reply') {
      const settle = this.pending.get(message.id);
      this.pending.delete(message.id);
      settle?.(message.result);
    } else {
      for (const listener of this.listeners) listener(message.name, message.payload);
    }
  }

  async call(method: string, payload: unknown): Promise<CallResult> {
    let socket: WebSocket;
    try {
      socket = await this.connect();
    } catch {
      return { ok: false, error: { code: 'INTERNAL', message: 'WalkScope is not reachable. Check that `npm run serve` is running.' } };
    }
    const id = this.nextId++;
    const message: ClientMessage = { type: 'call', id, method, payload };
    return new Promise<CallResult>((resolve) => {
      this.pending.set(id, resolve);
      socket.send(JSON.stringify(message));
    });
  }

  onEvent(listener: (name: EventName, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    void this.connect().catch(() => {});
    return () => this.listeners.delete(listener);
  }

  onConnectionChange(listener: (connected: boolean) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  importSourceFor(file: File, onProgress?: (fraction: number) => void): Promise<ImportSource> {
    // XMLHttpRequest rather than fetch: it reports upload progress for large videos.
    return new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open('POST', new URL(this.token ? `upload?token=${encodeURIComponent(this.token)}` : 'upload', location.href));
      request.upload.onprogress = (event) => {
        if (event.lengthComputable) onProgress?.(event.loaded / event.total);
      };
      request.onload = () => {
        if (request.status !== 200) return reject(new Error(uploadRefusalText(file.name, request.status, request.responseText)));
        const { uploadId } = JSON.parse(request.responseText) as { uploadId: string };
        resolve({ kind: 'upload', uploadId, fileName: file.name.slice(0, 255) });
      };
      request.onerror = () => reject(new Error(t('components.connection.uploadLost', { file: file.name })));
      request.send(file);
    });
  }

  studyCaseUrl(studyId: number, caseCode: string): string {
    return new URL(`media/study/${studyId}/${encodeURIComponent(caseCode)}`, location.href).href;
  }

  videoUrl(videoId: number): string {
    return new URL(`media/video/${videoId}`, location.href).href;
  }
}

/** The sentence for a refused upload: the server's own (a 413 carries UPLOAD_TOO_LARGE's), else the status. */
export function uploadRefusalText(fileName: string, status: number, body: string): string {
  try {
    const message = (JSON.parse(body) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string') return t('components.connection.uploadRefusedBecause', { file: fileName, reason: message });
  } catch {
    // not JSON: a refusal from before the upload route (token, origin)
  }
  return t('components.connection.uploadRefused', { file: fileName, status });
}
