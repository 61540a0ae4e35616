import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import type { Job } from '../contract/entities.js';
import { createDispatcher, type CallContext, type Dispatch } from '../contract/dispatcher.js';
import type { EventName, EventPayload } from '../contract/methods.js';
import { Store } from '../store/store.js';
import type { Clock } from '../store/clock.js';
import { JobRunner, type JobCommitter } from '../jobs/jobRunner.js';
import type { JobWorkerContext } from '../jobs/workerProtocol.js';
import { resolveFfmpeg, ffmpegOverridesOf } from '../media/ffmpegPaths.js';
import { UploadArea } from './uploads.js';
import { createHandlers } from './handlers.js';
import { mediaAnalyseCommitter } from './mediaAnalyseCommit.js';
import { stage2Committer } from './stage2Service.js';
import { stage1Committer } from './stage1Service.js';

export interface AppOptions {
  dataDir: string;
  transport: CallContext['transport'];
  /** Tests pass ':memory:'. */
  databaseFile?: string;
  /** Where data-location.json lives, when the data folder may be changed from the app (absent: fixed by --data-dir or WALKSCOPE_HOME). */
  dataLocationHome?: string;
  clock?: Clock;
  /** Start running queued jobs at once (default true). The CLI turns it off for read-only commands. */
  runJobs?: boolean;
  log?: (message: string, cause?: unknown) => void;
}

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

/** The person acting, for the audit log: the operating-system account running WalkScope. */
export function currentActor(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * One WalkScope back end: store, job runner, services and the generic dispatcher. Electron,
 * serve mode and the CLI each create one and carry its dispatcher over their transport.
 */
export class WalkScopeApp {
  readonly events = new AppEvents();
  readonly dispatch: Dispatch;
  readonly runner: JobRunner;
  readonly uploads: UploadArea;
  readonly actor = currentActor();

  private constructor(
    readonly store: Store,
    readonly options: AppOptions,
  ) {
    const log = options.log ?? ((message: string, cause?: unknown) => console.error(`[walkscope] ${message}`, cause ?? ''));
    this.uploads = new UploadArea(join(store.dataDir, 'uploads'));
    const committers: Partial<Record<Job['kind'], JobCommitter>> = {
      'media.analyse': mediaAnalyseCommitter(store),
      stage2: stage2Committer(store),
      stage1: stage1Committer(store, () => this.ffmpegOverrides()),
    };
    for (const extension of appExtensions) Object.assign(committers, extension.committers?.(this) ?? {});
    this.runner = new JobRunner(store, {
      concurrency: () => store.settings.get().jobConcurrency,
      committers,
      context: () => this.jobContext(),
      onUpdate: (job) => this.events.emit('job.updated', job),
      log,
    });
    this.dispatch = createDispatcher(createHandlers(this), { onInternalError: (method, cause) => log(`${method} failed`, cause) });
  }

  static async open(options: AppOptions): Promise<WalkScopeApp> {
    const store = await Store.open({
      dataDir: options.dataDir,
      ...(options.databaseFile ? { databaseFile: options.databaseFile } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      migrations: appExtensions.flatMap((e) => e.migrations ?? []),
    });
    const app = new WalkScopeApp(store, options);
    await app.uploads.init();
    if (options.runJobs !== false) app.runner.start();
    return app;
  }

  /** Calls a contract method as this process's own user (CLI, tests). */
  call(method: string, payload: unknown) {
    return this.dispatch(method, payload, { transport: this.options.transport, actor: this.actor });
  }

  ffmpegOverrides() {
    const settings = this.store.settings.get();
    return ffmpegOverridesOf(settings);
  }

  jobContext(): JobWorkerContext {
    const settings = this.store.settings.get();
    return {
      dataDir: this.store.dataDir,
      vaultDir: this.store.vault.root,
      ffmpegPath: settings.ffmpegPath,
      ffprobePath: settings.ffprobePath,
      detectionWorkers: settings.detectionWorkers,
      inferenceThreads: settings.inferenceThreads,
      executionProviders: settings.executionProviders,
    };
  }

  ffmpegInfo(): { path: string; source: string } | null {
    try {
      const paths = resolveFfmpeg(this.ffmpegOverrides());
      return { path: paths.ffmpeg, source: paths.source.ffmpeg };
    } catch {
      return null;
    }
  }

  /** The stored video behind a study case, or undefined (for the blinded media endpoints). */
  studyCaseVideo(studyId: number, caseCode: string) {
    const id = this.store.studies.caseVideoId(studyId, caseCode);
    return id === undefined ? undefined : this.store.videos.find(id);
  }

  async thumbnailDataUrl(thumbnailVaultPath: string | null): Promise<string | null> {
    if (!thumbnailVaultPath) return null;
    const bytes = await readFile(this.store.vault.absolute(thumbnailVaultPath)).catch(() => null);
    return bytes ? `data:image/jpeg;base64,${bytes.toString('base64')}` : null;
  }

  async close(): Promise<void> {
    await this.runner.stop();
    this.store.close();
  }
}

/**
 * Later stages (stage 1, stage 2, studies) plug into the app here: their migrations and the
 * main-thread committers of their job kinds.
 */
export interface AppExtension {
  name: string;
  migrations?: import('../store/migrations/index.js').Migration[];
  committers?: (app: WalkScopeApp) => Partial<Record<Job['kind'], JobCommitter>>;
}

export const appExtensions: AppExtension[] = [];
