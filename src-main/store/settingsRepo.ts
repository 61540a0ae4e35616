import { settingsSchema, type Settings } from '../contract/entities.js';
import type { Db } from './database.js';
import type { AuditLog } from './auditLog.js';

export function defaultSettings(cores: number): Settings {
  return {
    ffmpegPath: null,
    ffprobePath: null,
    jobConcurrency: 1,
    inferenceThreads: Math.max(1, cores),
    executionProviders: ['cuda', 'webgpu', 'cpu'],
    detectionWorkers: Math.max(1, cores),
    backupFolder: null,
    backupEveryHours: 24,
    backupKeep: 7,
    language: 'system',
    queueUrl: null,
    queueMediaFolder: null,
  };
}

/** Settings are stored one key per row as JSON and merged over the defaults. */
export class SettingsRepo {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly defaults: Settings,
  ) {}

  get(): Settings {
    const rows = this.db.prepare('SELECT key, value_json FROM settings').all() as Array<{ key: string; value_json: string }>;
    const stored: Record<string, unknown> = {};
    for (const row of rows) stored[row.key] = JSON.parse(row.value_json);
    const merged = settingsSchema.safeParse({ ...this.defaults, ...stored });
    // A stored value that no longer fits the schema falls back to the defaults rather than blocking start-up.
    return merged.success ? merged.data : this.defaults;
  }

  update(actor: string, changes: Partial<Settings>): Settings {
    return this.db.transaction(() => {
      const before = this.get();
      const upsert = this.db.prepare('INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json');
      for (const [key, value] of Object.entries(changes)) {
        if (value !== undefined) upsert.run(key, JSON.stringify(value));
      }
      const after = this.get();
      this.audit.record(actor, 'settings.update', 'settings', 'app', before, after);
      return after;
    })();
  }
}
