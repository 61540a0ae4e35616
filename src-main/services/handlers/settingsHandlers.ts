import { execFile } from 'node:child_process';
import { constants, existsSync } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Settings } from '../../contract/entities.js';
import { AppError } from '../../contract/errors.js';
import { checkQueueSetting } from '../../remote/queueSetting.js';
import type { QueueSetting } from '../../remote/queueOption.js';
import { appVersion } from '../../runtime/appVersion.js';
import { dataFolderProblem, resolveDataLocation, writeDataLocation } from '../../store/dataLocation.js';
import { installationReport } from '../installationChecks.js';
import type { ServiceContext } from '../serviceContext.js';
import type { AreaHandlers } from './handlerTypes.js';

/** The app itself: what it is and where its data is, its settings, and the audit log. */
export function settingsHandlers(ctx: ServiceContext): AreaHandlers<'app.info' | 'audit.list' | 'audit.verify' | 'settings.get' | 'settings.update' | 'settings.queueInUse' | 'settings.setDataFolder'> {
  const { store } = ctx;
  return {
    'app.info': (_request, context) => {
      const { ffmpeg, warnings: installation, warningPhrases: installationPhrases } = installationReport(store.dataDir, ctx.ffmpeg());
      const backup = scheduledBackupWarning(store);
      const warnings = backup === null ? installation : [...installation, backup];
      // the backup warning quotes the job's error in English: it stays English for now
      const warningPhrases = backup === null ? installationPhrases : [...installationPhrases, null];
      return {
        name: 'WalkScope',
        version: appVersion,
        dataDir: store.dataDir,
        transport: context.transport === 'test' ? 'cli' : context.transport,
        ffmpeg,
        schemaVersion: store.schemaVersion,
        databaseEncryption: { encrypted: store.databaseKey !== undefined, keySource: store.databaseKey?.source ?? null },
        actor: context.actor,
        dataFolder: dataFolderInfo(ctx.dataLocationHome, store.dataDir),
        warnings,
        warningPhrases,
        auditChain: {
          intact: store.auditChain.intact,
          rows: store.auditChain.rows,
          problemCount: store.auditChain.problemCount,
          firstProblem: store.auditChain.problems[0] ?? null,
          checkedAt: store.auditChain.checkedAt,
        },
      };
    },

    'audit.list': (request) =>
      store.audit.list({
        ...(request.entity !== undefined ? { entity: request.entity } : {}),
        ...(request.entityId !== undefined ? { entityId: request.entityId } : {}),
        limit: request.limit ?? 100,
      }),

    // a break found now (made while WalkScope ran) is recorded as one found at the start would be
    'audit.verify': () => {
      const state = store.audit.verifyChain();
      store.audit.recordBreak(state);
      return state;
    },

    'settings.get': () => store.settings.get(),

    'settings.update': async (request, context) => {
      // the page can send anything: a new ffmpeg or ffprobe path must be that program (unchanged ones are kept as they are)
      const current = store.settings.get();
      const changes = withQueueTrimmed(request.changes);
      const queue = changedQueueSetting(current, changes);
      if (queue) checkQueueSetting(queue);
      const { ffmpegPath, ffprobePath } = changes;
      if (typeof ffmpegPath === 'string' && ffmpegPath !== current.ffmpegPath) await checkVideoTool('ffmpeg', ffmpegPath);
      if (typeof ffprobePath === 'string' && ffprobePath !== current.ffprobePath) await checkVideoTool('ffprobe', ffprobePath);
      const { backupFolder } = changes;
      if (typeof backupFolder === 'string' && backupFolder !== current.backupFolder) checkBackupFolder(backupFolder, store.dataDir);
      return store.settings.update(context.actor, changes);
    },

    // chosen at start (flags, then the environment, then the setting): a changed setting applies at the next start
    'settings.queueInUse': () => ctx.queueInUse,

    'settings.setDataFolder': (request, context) => {
      const home = ctx.dataLocationHome;
      if (!home) throw new AppError('DATA_FOLDER_FIXED', store.dataDir);
      const before = resolveDataLocation(home).dataDir;
      const next = writeDataLocation(home, request.path, store.dataDir);
      store.audit.record(context.actor, 'settings.dataFolder', 'settings', 'app', { dataDir: before }, { dataDir: next });
      return { current: store.dataDir, next, holdsWalkScopeData: existsSync(join(next, 'walkscope.db')) };
    },
  };
}

const run = promisify(execFile);

/** The queue fields of a change with surrounding spaces removed and empty text as null (none). */
function withQueueTrimmed(changes: Partial<Settings>): Partial<Settings> {
  const trimmed = (value: string | null) => value?.trim() || null;
  return {
    ...changes,
    ...(changes.queueUrl === undefined ? {} : { queueUrl: trimmed(changes.queueUrl) }),
    ...(changes.queueMediaFolder === undefined ? {} : { queueMediaFolder: trimmed(changes.queueMediaFolder) }),
  };
}

/** The queue setting a change would store, when it changes either half (undefined: the queue is left as it is). */
function changedQueueSetting(current: Settings, changes: Partial<Settings>): QueueSetting | undefined {
  const next: QueueSetting = {
    queueUrl: changes.queueUrl === undefined ? current.queueUrl : changes.queueUrl,
    queueMediaFolder: changes.queueMediaFolder === undefined ? current.queueMediaFolder : changes.queueMediaFolder,
  };
  return next.queueUrl === current.queueUrl && next.queueMediaFolder === current.queueMediaFolder ? undefined : next;
}

/**
 * Checks a path set for ffmpeg or ffprobe before it is stored: an absolute path to an
 * executable file that answers `-version` with its banner (`ffmpeg version ...`). Throws
 * SETTINGS_INVALID with a sentence that names the path and what is wrong with it.
 */
export async function checkVideoTool(tool: 'ffmpeg' | 'ffprobe', path: string): Promise<void> {
  const refuse = (what: string) => new AppError('SETTINGS_INVALID', `the ${tool} path "${path}" ${what}`);
  if (!isAbsolute(path)) throw refuse(`is not an absolute path; give the full path to the ${tool} program`);
  const info = await stat(path).catch((error: unknown) => {
    throw refuse((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'was not found' : `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  });
  if (info.isDirectory()) throw refuse(`is a folder, not the ${tool} program`);
  if (!info.isFile()) throw refuse('is not a file');
  await access(path, constants.X_OK).catch(() => {
    throw refuse('is not executable');
  });
  const answer = await run(path, ['-version'], { timeout: 10_000, maxBuffer: 1024 * 1024, windowsHide: true }).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    throw refuse(code === 'EACCES' ? 'is not executable' : `is not ${tool}: it does not answer -version`);
  });
  if (!new RegExp(`^${tool} version `).test(answer.stdout)) throw refuse(`is not ${tool}: its -version answer is not the ${tool} banner`);
}

/** The warning when the newest scheduled backup failed (it stays visible in Jobs too), or null. */
function scheduledBackupWarning(store: ServiceContext['store']): string | null {
  const settings = store.settings.get();
  if (settings.backupFolder === null) return null;
  const last = store.jobs.latestOfKind('backup');
  if (last?.status !== 'failed') return null;
  return `The last scheduled backup into ${settings.backupFolder} failed (job ${last.id}, ${last.finishedAt ?? last.createdAt}): ${last.error?.message ?? 'no reason recorded'} The next one is tried ${settings.backupEveryHours} h after it.`;
}

/**
 * A scheduled backup folder must be an absolute path that can be written, outside the data
 * folder (a backup must outlive the data folder's disk; put it on another one).
 */
export function checkBackupFolder(folder: string, dataDir: string): void {
  const refuse = (what: string) => new AppError('SETTINGS_INVALID', `the backup folder "${folder}" ${what}`);
  if (!isAbsolute(folder)) throw refuse('is not an absolute path');
  const inside = relative(resolve(dataDir), resolve(folder));
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) throw refuse(`is inside the data folder ${dataDir}; choose a folder on another disk`);
  const problem = dataFolderProblem(resolve(folder));
  if (problem) throw refuse(`cannot be used: ${problem}`);
}

/** Whether the data folder may be changed here, and the one data-location.json names for the next start when it differs. */
function dataFolderInfo(home: string | undefined, current: string): { changeable: boolean; next: string | null } {
  if (!home) return { changeable: false, next: null };
  try {
    const next = resolveDataLocation(home).dataDir;
    return { changeable: true, next: next === current ? null : next };
  } catch {
    return { changeable: true, next: null };
  }
}
