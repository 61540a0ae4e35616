import { EventEmitter } from 'node:events';
import { userInfo } from 'node:os';
import type { QueueInUse } from '../contract/entities.js';
import type { EventName, EventPayload } from '../contract/methods.js';
import type { JobQueue } from '../jobs/jobRunner.js';
import type { FfmpegPathOverrides } from '../media/ffmpegPaths.js';
import type { Store } from '../store/store.js';
import type { UploadArea } from './uploads.js';

/** Typed event bus for what the services push to every UI. */
export class AppEvents {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(100);
  }
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    this.emitter.emit(name, payload);
  }
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}

/**
 * What every service and handler depends on: the store, the job queue, the upload area, the
 * event bus and the media settings. WalkScopeApp implements it; nothing below it knows the app.
 */
export interface ServiceContext {
  readonly store: Store;
  readonly jobs: JobQueue;
  readonly uploads: UploadArea;
  readonly events: AppEvents;
  /** ffmpeg and ffprobe as the settings name them (empty: the bundled or system ones). */
  ffmpeg(): FfmpegPathOverrides;
  /** Where data-location.json lives when the data folder may be changed from the app (absent: fixed by --data-dir or WALKSCOPE_HOME). */
  readonly dataLocationHome: string | undefined;
  /** The job queue chosen when this process started, and where from (no password). */
  readonly queueInUse: QueueInUse;
  log(message: string, cause?: unknown): void;
}

/** The person acting, for the audit log: the operating-system account running WalkScope. */
export function currentActor(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}
