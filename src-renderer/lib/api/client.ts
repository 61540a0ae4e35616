import type { EventName, EventPayload, MethodName, ReplyOf, RequestOf } from '../../../src-main/contract/methods.js';
import type { ErrorReply } from '../../../src-main/contract/errors.js';
import type { ImportSource } from '../../../src-main/contract/methods.js';
import type { PreloadBridge, Transport } from './transport.js';
import { ElectronTransport } from './electronTransport.js';
import { ServeTransport } from './serveTransport.js';
import { translatorFor } from '../../../src-main/contract/i18n/translator.js';
import { language, t } from '../i18n.svelte.js';

/**
 * The sentence of an error reply in the current language: the catalogue's sentence for its code
 * with its detail, or the English sentence the back end sent when the code or detail is unknown.
 */
export function errorSentence(reply: { code: string; message: string; detail?: string | undefined }): string {
  const key = `errors.${reply.code}`;
  return reply.detail !== undefined && translatorFor(language()).has(key) ? t(key, { detail: reply.detail }) : reply.message;
}

/** A failed call: the catalogue code and the sentence to show, in the current language. */
export class ApiError extends Error {
  readonly code: string;
  constructor(reply: ErrorReply | { code: string; message: string; detail?: string }) {
    super(errorSentence(reply));
    this.name = 'ApiError';
    this.code = reply.code;
  }
}

/** The only way screens talk to WalkScope: typed calls and events of the contract. */
export class WalkScopeClient {
  constructor(readonly transport: Transport) {}

  async call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<ReplyOf<M>> {
    const result = await this.transport.call(method, request);
    if (!result.ok) throw new ApiError(result.error);
    return result.value as ReplyOf<M>;
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.transport.onEvent((eventName, payload) => {
      if (eventName === name) listener(payload as EventPayload<E>);
    });
  }

  importSourceFor(file: File, onProgress?: (fraction: number) => void): Promise<ImportSource> {
    return this.transport.importSourceFor(file, onProgress);
  }

  studyCaseUrl(studyId: number, caseCode: string): string {
    return this.transport.studyCaseUrl(studyId, caseCode);
  }

  videoUrl(videoId: number): string {
    return this.transport.videoUrl(videoId);
  }
}

/** Picks the transport: the Electron preload bridge when present, else serve mode's WebSocket. */
export function connect(): WalkScopeClient {
  const bridge = (globalThis as { walkscope?: PreloadBridge }).walkscope;
  if (bridge) return new WalkScopeClient(new ElectronTransport(bridge));
  const token = new URLSearchParams(location.search).get('token') ?? '';
  return new WalkScopeClient(new ServeTransport(token));
}
