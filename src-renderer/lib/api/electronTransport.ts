import type { EventName, ImportSource } from '../../../src-main/contract/methods.js';
import type { PreloadBridge, Transport } from './transport.js';

/** Desktop app: the contract over Electron IPC through the narrow preload bridge. */
export class ElectronTransport implements Transport {
  readonly kind = 'electron' as const;
  constructor(private readonly bridge: PreloadBridge) {}

  call(method: string, payload: unknown) {
    return this.bridge.call(method, payload);
  }

  onEvent(listener: (name: EventName, payload: unknown) => void): () => void {
    return this.bridge.onEvent(listener);
  }

  onConnectionChange(): () => void {
    return () => {};
  }

  async importSourceFor(file: File): Promise<ImportSource> {
    return { kind: 'path', path: this.bridge.pathForFile(file) };
  }

  studyCaseUrl(studyId: number, caseCode: string): string {
    return `walkscope-media://study/${studyId}/${encodeURIComponent(caseCode)}`;
  }

  videoUrl(videoId: number): string {
    return `walkscope-media://video/${videoId}`;
  }
}
