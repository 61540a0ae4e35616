import { withSubject } from '../store/jobsRepo.js';
import type { DatabaseKey } from '../store/databaseKey.js';
import { join } from 'node:path';
import { createDispatcher, type CallContext, type Dispatch, type Refusal } from '../contract/dispatcher.js';
import { auditedRefusals } from '../contract/errors.js';
import { problemKindWords } from '../store/auditChain.js';
import { Store } from '../store/store.js';
import type { Clock } from '../store/clock.js';
import { JobRunner } from '../jobs/jobRunner.js';
import { RemoteExecutor } from '../remote/remoteExecutor.js';
import { parseQueueAddress, redactQueueUrls } from '../remote/queueAddress.js';
import { chooseQueue, type ChosenQueue, type QueueFlags } from '../remote/queueOption.js';
import type { JobKind, QueueInUse } from '../contract/entities.js';
import type { JobWorkerContext } from '../jobs/workerProtocol.js';
import type { StoredJob } from '../store/jobsRepo.js';
import { ffmpegOverridesOf, type FfmpegPathOverrides } from '../media/ffmpegPaths.js';
import { UploadArea } from './uploads.js';
import { installationReport } from './installationChecks.js';
import { AppEvents, currentActor, type ServiceContext } from './serviceContext.js';
import { createServices, type Services } from './services.js';
import { createHandlers } from './handlers/index.js';

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
  /** The job runner's lease and heartbeat, and how often an interrupted job may run again (tests shorten them). */
  jobs?: { leaseMs?: number; heartbeatMs?: number; maxAttempts?: number };
  log?: (message: string, cause?: unknown) => void;
  /**
   * How often the app checks whether a scheduled backup is due (default 60 s); false: never.
   * Default: on in the window and serve mode when jobs run, off for the CLI.
   */
  backupCheckMs?: number | false;
  /** The database key when it does not come from the environment (the desktop app's keychain). */
  databaseKey?: DatabaseKey;
  /**
   * Send analysis jobs to workers on other machines through a Redis queue (BullMQ) instead of
   * running them here; this process stays the only writer of its database. Absent: the SQLite
   * queue on this machine (the default). See src-main/remote. Given here (tests, the bench),
   * it is used as it is and reported as given at start, like a flag; otherwise see `queueFrom`.
   */
  queue?: QueueOption;
  /**
   * This start's --queue / --media-folder flags and its environment (WALKSCOPE_QUEUE,
   * WALKSCOPE_MEDIA_FOLDER, WALKSCOPE_QUEUE_PASSWORD): they win over the stored setting
   * (chooseQueue). Absent: only the stored setting decides.
   */
  queueFrom?: { flags?: QueueFlags; env?: NodeJS.ProcessEnv };
}

/** The remote queue: the Redis URL, the shared media folder every worker mounts, and how the coordinator treats remote jobs. */
export interface QueueOption {
  url: string;
  mediaFolder: string;
  /** The password when it is not in the URL (WALKSCOPE_QUEUE_PASSWORD). */
  password?: string;
  /** The kinds sent to workers (default: every kind that can run there: media.analyse, stage1, measure, stage2). */
  kinds?: JobKind[];
  /** Tests shorten these. */
  attempts?: number;
  backoffMs?: number;
  pollMs?: number;
}

/**
 * One WalkScope back end, and the only composition root: it opens the store, makes the job
 * runner, the services and the generic dispatcher, and is the ServiceContext they all use.
 * Electron, serve mode and the CLI each create one and carry its dispatcher over their transport.
 */
export class WalkScopeApp implements ServiceContext {
  readonly events = new AppEvents();
  readonly dispatch: Dispatch;
  readonly runner: JobRunner;
  readonly uploads: UploadArea;
  readonly services: Services;
  readonly actor = currentActor();
  readonly dataLocationHome: string | undefined;
  readonly log: (message: string, cause?: unknown) => void;
  readonly queueInUse: QueueInUse;
  private backupTimer: NodeJS.Timeout | undefined;

  private constructor(
    readonly store: Store,
    readonly options: AppOptions,
    /** The remote queue's coordinator side, when jobs go to workers on other machines. */
    readonly remote: RemoteExecutor | undefined,
    queueInUse: QueueInUse,
  ) {
    this.log = options.log ?? ((message: string, cause?: unknown) => console.error(`[walkscope] ${message}`, cause ?? ''));
    this.queueInUse = queueInUse;
    this.dataLocationHome = options.dataLocationHome;
    this.uploads = new UploadArea(join(store.dataDir, 'uploads'));
    this.runner = new JobRunner(store, {
      concurrency: () => store.settings.get().jobConcurrency,
      context: () => this.jobContext(),
      commitContext: () => ({ store, ffmpeg: this.ffmpeg() }),
      onUpdate: (job) => this.events.emit('job.updated', withSubject(job, this.store.videos)),
      afterCommit: (job) => this.services.pipeline.afterCommit(job),
      log: this.log,
      ...(remote ? { executor: remote } : {}),
      ...(options.jobs?.leaseMs === undefined ? {} : { leaseMs: options.jobs.leaseMs }),
      ...(options.jobs?.heartbeatMs === undefined ? {} : { heartbeatMs: options.jobs.heartbeatMs }),
    });
    this.services = createServices(this);
    this.dispatch = createDispatcher(createHandlers(this, this.services), {
      onInternalError: (method, cause) => this.log(`${method} failed`, cause),
      onRefused: (refusal, context) => this.auditRefusal(refusal, context),
    });
    if (!store.auditChain.intact) {
      const first = store.auditChain.problems[0]!;
      this.log(`the audit log's hash chain is broken at row ${first.id} (${first.at}, ${first.action}): ${problemKindWords(first.kind)}; ${store.auditChain.problemCount} problem(s). Run walkscope audit verify.`);
    }
  }

  /** Refused requests of the audited kinds: the method, the code and the fields at fault, never the request's values. */
  private auditRefusal(refusal: Refusal, context: CallContext): void {
    if (!auditedRefusals.has(refusal.code)) return;
    this.store.audit.record(context.actor, 'request.refused', 'request', refusal.method, null, {
      code: refusal.code,
      transport: context.transport,
      ...(refusal.fields.length > 0 ? { fields: refusal.fields } : {}),
    });
  }

  get jobs(): JobRunner {
    return this.runner;
  }

  static async open(options: AppOptions): Promise<WalkScopeApp> {
    const store = await Store.open({
      dataDir: options.dataDir,
      ...(options.databaseFile ? { databaseFile: options.databaseFile } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.databaseKey ? { databaseKey: options.databaseKey } : {}),
      ...(options.jobs?.maxAttempts === undefined ? {} : { maxJobAttempts: options.jobs.maxAttempts }),
    });
    let opened: OpenedQueue;
    try {
      opened = await openQueue(store, options);
    } catch (error) {
      store.close();
      throw error;
    }
    const { remote, queueInUse } = opened;
    const app = new WalkScopeApp(store, options, remote, queueInUse);
    if (queueInUse.problem) app.log(`warning: ${queueInUse.problem}`);
    // what a coordinator that stopped between a commit and its clean-up left in Redis and the shared folder
    if (remote) await remote.reconcile().catch((error) => app.log('cleaning up finished remote jobs failed', error));
    await app.uploads.init();
    // the installation's problems (an old ffmpeg, a data folder others can read) go to the log at start
    for (const warning of installationReport(store.dataDir, app.ffmpeg()).warnings) app.log(`warning: ${warning}`);
    if (options.runJobs !== false) app.runner.start();
    const backupCheckMs = options.backupCheckMs ?? (options.runJobs !== false && options.transport !== 'cli' ? 60_000 : false);
    if (backupCheckMs !== false) app.startBackupSchedule(backupCheckMs);
    return app;
  }

  private startBackupSchedule(everyMs: number): void {
    const check = () => {
      try {
        this.queueBackupIfDue();
      } catch (error) {
        this.log('checking the backup schedule failed', error);
      }
    };
    check();
    this.backupTimer = setInterval(check, everyMs);
    this.backupTimer.unref();
  }

  /**
   * Queues a scheduled backup when Settings name a backup folder and the newest backup job (of
   * any process on this data folder, in any state) was queued `backupEveryHours` ago or more;
   * never a second one while one waits or runs. Decided under the write lock, so two processes
   * sharing the folder queue one. Returns the job queued, if any.
   */
  queueBackupIfDue(): StoredJob | null {
    const settings = this.store.settings.get();
    const folder = settings.backupFolder;
    if (folder === null) return null;
    return this.store.writeTransaction(() => {
      const last = this.store.jobs.latestOfKind('backup');
      if (last && (last.status === 'queued' || last.status === 'running')) return null;
      if (last && Date.parse(this.store.clock()) - Date.parse(last.createdAt) < settings.backupEveryHours * 3_600_000) return null;
      return this.runner.enqueue('backup', null, { folder, keep: settings.backupKeep });
    });
  }

  /** Calls a contract method as this process's own user (CLI, tests). */
  call(method: string, payload: unknown) {
    return this.dispatch(method, payload, { transport: this.options.transport, actor: this.actor });
  }

  ffmpeg(): FfmpegPathOverrides {
    return ffmpegOverridesOf(this.store.settings.get());
  }

  jobContext(): JobWorkerContext {
    const settings = this.store.settings.get();
    return {
      dataDir: this.store.dataDir,
      vaultDir: this.store.vault.root,
      databaseKey: this.store.databaseKey ?? null,
      ffmpegPath: settings.ffmpegPath,
      ffprobePath: settings.ffprobePath,
      detectionWorkers: settings.detectionWorkers,
      inferenceThreads: settings.inferenceThreads,
      executionProviders: settings.executionProviders,
    };
  }

  async close(): Promise<void> {
    clearInterval(this.backupTimer);
    await this.runner.stop();
    await this.remote?.close();
    this.store.close();
  }
}

interface OpenedQueue {
  remote?: RemoteExecutor;
  queueInUse: QueueInUse;
}

const sqliteQueue: QueueInUse = { source: 'default', url: null, mediaFolder: null, problem: null };

/**
 * The queue of this start: the one given directly, else the flags', else the environment's, all
 * of which must work or stop the start; else the stored setting's, which falls back to the SQLite
 * queue with the reason when it cannot be used (Settings, where it is fixed, must still open).
 */
async function openQueue(store: Store, options: AppOptions): Promise<OpenedQueue> {
  if (options.queue) return openChosen(store, { source: 'flag', choice: options.queue }, options);
  const flags = options.queueFrom?.flags ?? {};
  const env = options.queueFrom?.env ?? {};
  const fromStart = chooseQueue(flags, env, { queueUrl: null, queueMediaFolder: null });
  if (fromStart.choice) return openChosen(store, fromStart, options);
  try {
    return await openChosen(store, chooseQueue(flags, env, store.settings.get()), options);
  } catch (error) {
    return { queueInUse: { ...sqliteQueue, problem: settingProblem(store, error) } };
  }
}

async function openChosen(store: Store, chosen: ChosenQueue, options: AppOptions): Promise<OpenedQueue> {
  if (!chosen.choice) return { queueInUse: sqliteQueue };
  const queue: QueueOption = { ...options.queue, ...chosen.choice };
  const remote = await openRemote(store, queue, options.log);
  return { remote, queueInUse: { source: chosen.source, url: parseQueueAddress(queue.url).display, mediaFolder: queue.mediaFolder, problem: null } };
}

/** Why the stored queue setting is not in use at this start, in a sentence without a password. */
function settingProblem(store: Store, error: unknown): string {
  const url = store.settings.get().queueUrl;
  const reason = redactQueueUrls(error instanceof Error ? error.message : String(error));
  return `The queue in the settings${url ? ` (${redactQueueUrls(url)})` : ''} could not be used at this start, so analysis runs on this machine: ${reason}`;
}

function openRemote(store: Store, queue: QueueOption, log: AppOptions['log']): Promise<RemoteExecutor> {
  return RemoteExecutor.open({
    address: parseQueueAddress(queue.url, queue.password),
    mediaDir: queue.mediaFolder,
    vault: store.vault,
    jobStatus: (id) => store.jobs.find(id)?.status,
    ...(queue.kinds ? { kinds: queue.kinds } : {}),
    ...(queue.attempts === undefined ? {} : { attempts: queue.attempts }),
    ...(queue.backoffMs === undefined ? {} : { backoffMs: queue.backoffMs }),
    ...(queue.pollMs === undefined ? {} : { pollMs: queue.pollMs }),
    ...(log ? { log } : {}),
  });
}
