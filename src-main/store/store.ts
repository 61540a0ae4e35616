import { vaultKeyFromDatabaseKey } from '../filecrypt/vaultKey.js';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { databaseKeyFromEnvironment, type DatabaseKey } from './databaseKey.js';
import { openDatabase, schemaVersion, type Db } from './database.js';
import { createPrivateFolder } from './dataDir.js';
import { systemClock, type Clock } from './clock.js';
import { AuditLog } from './auditLog.js';
import type { AuditChainState } from './auditChain.js';
import { PatientsRepo } from './patientsRepo.js';
import { VideosRepo } from './videosRepo.js';
import { JobsRepo } from './jobsRepo.js';
import { SettingsRepo, defaultSettings } from './settingsRepo.js';
import { Vault } from './vault.js';
import { ReadersRepo } from './readersRepo.js';
import { AssessmentsRepo } from './assessmentsRepo.js';
import { StudiesRepo } from './studiesRepo.js';
import { AnalysesRepo } from './analysesRepo.js';
import { AnalysisRunsRepo } from './analysisRunsRepo.js';
import { ModelBundlesRepo } from './modelBundlesRepo.js';
import { MeasurementsRepo } from './measurementsRepo.js';
import { AnnotationsRepo } from './annotationsRepo.js';
import { ScreeningModelsRepo } from './screeningModelsRepo.js';
import { ClipFeaturesRepo } from './clipFeaturesRepo.js';
import { InstanceMarker } from './instanceLock.js';
import { isReferenced, referencedVaultPaths } from './vaultReferences.js';

export interface StoreOptions {
  dataDir: string;
  /** ':memory:' keeps the database private to this process (tests); files still go to dataDir. */
  databaseFile?: string;
  clock?: Clock;
  /** After this many attempts an interrupted job fails instead of being re-queued (default 3). */
  maxJobAttempts?: number;
  /** The key walkscope.db is encrypted with: absent, the environment's (databaseKey.ts); null, none. */
  databaseKey?: DatabaseKey | null;
}

/**
 * Owns the database handle, the repositories and the vault of one data folder. Open it once
 * per process and close it on exit.
 */
export class Store {
  readonly db: Db;
  /** The key the database is encrypted with (undefined: not encrypted); backups keep it encrypted with the same key. */
  readonly databaseKey: DatabaseKey | undefined;
  readonly audit: AuditLog;
  /** The audit chain as verified when the store opened (a broken chain is recorded, never a reason to refuse to open). */
  readonly auditChain: AuditChainState;
  readonly patients: PatientsRepo;
  readonly videos: VideosRepo;
  readonly jobs: JobsRepo;
  readonly settings: SettingsRepo;
  readonly readers: ReadersRepo;
  readonly assessments: AssessmentsRepo;
  readonly studies: StudiesRepo;
  readonly analyses: AnalysesRepo;
  readonly analysisRuns: AnalysisRunsRepo;
  readonly modelBundles: ModelBundlesRepo;
  readonly measurements: MeasurementsRepo;
  readonly annotations: AnnotationsRepo;
  readonly screeningModels: ScreeningModelsRepo;
  readonly clipFeatures: ClipFeaturesRepo;
  readonly vault: Vault;
  readonly dataDir: string;
  readonly clock: Clock;
  private readonly marker: InstanceMarker;
  private closed = false;

  private constructor(options: StoreOptions) {
    this.dataDir = options.dataDir;
    createPrivateFolder(options.dataDir);
    this.clock = options.clock ?? systemClock;
    const file = options.databaseFile ?? join(options.dataDir, 'walkscope.db');
    this.databaseKey = file === ':memory:' || options.databaseKey === null ? undefined : (options.databaseKey ?? databaseKeyFromEnvironment(options.dataDir));
    this.db = openDatabase(file, { key: this.databaseKey });
    this.audit = new AuditLog(this.db, this.clock);
    this.auditChain = this.audit.openChain();
    this.patients = new PatientsRepo(this.db, this.clock, this.audit);
    this.videos = new VideosRepo(this.db, this.clock, this.audit);
    this.jobs = new JobsRepo(this.db, this.clock, options.maxJobAttempts === undefined ? {} : { maxAttempts: options.maxJobAttempts });
    this.settings = new SettingsRepo(this.db, this.audit, defaultSettings(availableParallelism()));
    this.readers = new ReadersRepo(this.db, this.clock, this.audit);
    this.assessments = new AssessmentsRepo(this.db, this.clock, this.audit);
    this.studies = new StudiesRepo(this.db, this.clock, this.audit);
    this.analyses = new AnalysesRepo(this.db, this.clock, this.audit);
    this.analysisRuns = new AnalysisRunsRepo(this.db, this.clock, this.audit);
    this.modelBundles = new ModelBundlesRepo(this.db, this.clock, this.audit);
    this.measurements = new MeasurementsRepo(this.db, this.clock, this.audit);
    this.annotations = new AnnotationsRepo(this.db, this.clock, this.audit);
    this.screeningModels = new ScreeningModelsRepo(this.db, this.clock, this.audit);
    this.clipFeatures = new ClipFeaturesRepo(this.db, this.clock, this.audit);
    this.vault = new Vault(join(options.dataDir, 'vault'), this.databaseKey ? vaultKeyFromDatabaseKey(this.databaseKey.hex) : undefined);
    this.marker = new InstanceMarker(join(options.dataDir, 'instances'));
  }

  /** Opens the store, creates the vault folders, re-queues jobs whose owner is gone and, when no other process uses the folder, sweeps the vault. */
  static async open(options: StoreOptions): Promise<Store> {
    const store = new Store(options);
    try {
      await store.vault.init();
      await store.recover();
      return store;
    } catch (error) {
      store.close();
      throw error;
    }
  }

  /** Runs `work` in one database transaction (all of its writes, or none); it must not await. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  /**
   * Like `transaction`, but takes SQLite's write lock first (BEGIN IMMEDIATE): what `work` reads
   * cannot be changed by another connection before it writes (a job's commit checks its lease).
   */
  writeTransaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  get schemaVersion(): number {
    return schemaVersion(this.db);
  }

  /**
   * Crash recovery: re-queue jobs whose owner is gone (never one a live runner holds, in this
   * process or another) and, when no other process uses the folder, remove vault files no row
   * refers to.
   */
  async recover(): Promise<{ requeued: number[]; removedFiles: string[] }> {
    const requeued = this.jobs.requeueAbandoned();
    if (!this.marker.isAlone()) return { requeued, removedFiles: [] };
    const referenced = this.referencedVaultPaths();
    const removedFiles = await this.vault.sweep((path) => isReferenced(referenced, path));
    return { requeued, removedFiles };
  }

  /** Vault paths referenced by any table: videos, thumbnails and model bundle folders. */
  referencedVaultPaths(): Set<string> {
    return referencedVaultPaths(this.db);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.marker.release();
    this.db.close();
  }
}
