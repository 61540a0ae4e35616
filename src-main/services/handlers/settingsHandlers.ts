import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../contract/errors.js';
import { appVersion } from '../../runtime/appVersion.js';
import { resolveDataLocation, writeDataLocation } from '../../store/dataLocation.js';
import { installationReport } from '../installationChecks.js';
import type { ServiceContext } from '../serviceContext.js';
import type { AreaHandlers } from './handlerTypes.js';

/** The app itself: what it is and where its data is, its settings, and the audit log. */
export function settingsHandlers(ctx: ServiceContext): AreaHandlers<'app.info' | 'audit.list' | 'audit.verify' | 'settings.get' | 'settings.update' | 'settings.setDataFolder'> {
  const { store } = ctx;
  return {
    'app.info': (_request, context) => {
      const { ffmpeg, warnings } = installationReport(store.dataDir, ctx.ffmpeg());
      return {
        name: 'WalkScope',
        version: appVersion,
        dataDir: store.dataDir,
        transport: context.transport === 'test' ? 'cli' : context.transport,
        ffmpeg,
        schemaVersion: store.schemaVersion,
        actor: context.actor,
        dataFolder: dataFolderInfo(ctx.dataLocationHome, store.dataDir),
        warnings,
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

    'settings.update': (request, context) => store.settings.update(context.actor, request.changes),

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
