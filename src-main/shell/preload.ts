// The preload runs sandboxed; it is bundled into one CommonJS file (tools/buildShell.js) so it
// needs nothing but Electron's own modules at run time.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { methodNames, eventNames, type EventName } from '../contract/methods.js';
import type { CallResult } from '../contract/dispatcher.js';
import { ipcChannels } from './windowPolicy.js';

const allowedMethods = new Set<string>(methodNames);
const allowedEvents = new Set<string>(eventNames);

/**
 * The only thing the page gets: call a contract method by name, listen to contract events,
 * and turn a dropped File into its path. Never ipcRenderer itself.
 */
const bridge = {
  call(method: string, payload: unknown): Promise<CallResult> {
    if (typeof method !== 'string' || !allowedMethods.has(method)) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_METHOD', message: `The application asked for an operation that does not exist (${String(method).slice(0, 80)}).` } });
    }
    return ipcRenderer.invoke(ipcChannels.call, method, payload) as Promise<CallResult>;
  },
  onEvent(listener: (name: EventName, payload: unknown) => void): () => void {
    const handler = (_event: IpcRendererEvent, name: string, payload: unknown) => {
      if (allowedEvents.has(name)) listener(name as EventName, payload);
    };
    ipcRenderer.on(ipcChannels.event, handler);
    return () => ipcRenderer.off(ipcChannels.event, handler);
  },
  pathForFile(file: File): string {
    return webUtils.getPathForFile(file);
  },
};

contextBridge.exposeInMainWorld('walkscope', bridge);
