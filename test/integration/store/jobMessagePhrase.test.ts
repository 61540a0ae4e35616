import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, schemaVersion } from '../../../src-main/store/database.js';
import { migrations } from '../../../src-main/store/migrations/index.js';
import { JobsRepo } from '../../../src-main/store/jobsRepo.js';

/**
 * Migration 13 gives a job's message its phrase (a catalogue key and values) beside the English
 * text. A job from before it keeps its English message and has no phrase; new messages get both.
 */
describe('the job message phrase (migration 13)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function databaseAtVersion12(): string {
    const dir = mkdtempSync(join(tmpdir(), 'ws-phrase-'));
    dirs.push(dir);
    const file = join(dir, 'walkscope.db');
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.filter((m) => m.version <= 12));
    db.prepare(`INSERT INTO jobs (id, kind, status, params_json, progress, message, created_at, started_at) VALUES (4, 'media.analyse', 'running', '{}', 0.5, 'Reading frame timestamps', ?, ?)`).run(
      '2026-12-02T10:00:00.000Z',
      '2026-12-02T10:00:01.000Z',
    );
    db.close();
    return file;
  }

  it('keeps an old job\'s English message with no phrase, and stores the phrase of each new message with its English text', () => {
    const db = openDatabase(databaseAtVersion12());
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(13);
    const jobs = new JobsRepo(db, () => '2026-12-02T10:00:02.000Z');
    expect(jobs.get(4)).toMatchObject({ message: 'Reading frame timestamps', messagePhrase: null, progress: 0.5 });

    expect(jobs.setProgress(4, 0.6, { key: 'jobs.progress.keypoints', vars: { done: 7, total: 90 } })).toBe(true);
    expect(jobs.get(4)).toMatchObject({ message: 'Keypoints: frame 7 of 90', messagePhrase: { key: 'jobs.progress.keypoints', vars: { done: 7, total: 90 } }, progress: 0.6 });
    expect(db.prepare('SELECT message_phrase_json FROM jobs WHERE id = 4').get()).toEqual({ message_phrase_json: '{"key":"jobs.progress.keypoints","vars":{"done":7,"total":90}}' });

    // English only (a message with no phrase): the phrase of the message before is not left behind
    jobs.setProgress(4, 0.7, 'repeat 1, fold 2: fitted with C = 1');
    expect(jobs.get(4)).toMatchObject({ message: 'repeat 1, fold 2: fitted with C = 1', messagePhrase: null });

    expect(jobs.finish(4, 'failed', { error: { code: 'INTERNAL', message: 'x' } })).toMatchObject({ status: 'failed', message: 'Failed', messagePhrase: { key: 'jobs.progress.failed' } });
    db.close();
  });

  it('shows a stored phrase that is not one as no phrase', () => {
    const db = openDatabase(databaseAtVersion12());
    db.prepare(`UPDATE jobs SET message_phrase_json = '{"vars":3}' WHERE id = 4`).run();
    expect(new JobsRepo(db, () => '2026-12-02T10:00:02.000Z').get(4)).toMatchObject({ message: 'Reading frame timestamps', messagePhrase: null });
    db.close();
  });
});
