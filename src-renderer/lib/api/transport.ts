import type { CallResult } from '../../../src-main/contract/dispatcher.js';
import type { EventName } from '../../../src-main/contract/methods.js';
import type { ImportSource } from '../../../src-main/contract/methods.js';

/** What the page needs from whichever transport carries the contract. */
export interface Transport {
  readonly kind: 'electron' | 'serve';
  call(method: string, payload: unknown): Promise<CallResult>;
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
  /** Turns a dropped or picked File into an import source (a path in Electron, an upload in serve mode). */
  importSourceFor(file: File, onProgress?: (fraction: number) => void): Promise<ImportSource>;
  /** A URL the <video> element can stream (with seeking) for a stored video. */
  videoUrl(videoId: number): string;
  /** A URL for a blinded reader-study case (the video id stays hidden). */
  studyCaseUrl(studyId: number, caseCode: string): string;
  /** Fires when the connection drops or comes back. */
  onConnectionChange(listener: (connected: boolean) => void): () => void;
}

/** The object the Electron preload exposes as `window.walkscope`. */
export interface PreloadBridge {
  call(method: string, payload: unknown): Promise<CallResult>;
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void;
  pathForFile(file: File): string;
}
