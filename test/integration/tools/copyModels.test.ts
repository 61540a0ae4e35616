import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The build step that puts the detection models into resources/models (run by npm install and npm run build). */
const script = resolve(import.meta.dirname, '../../../tools/copyModels.ts');
const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8' });
/** How many files the lock lists (the detectors' and the pose models'). */
const locked = (JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../resources/models.lock.json'), 'utf8')) as { files: unknown[] }).files.length;

describe('tools/copyModels.ts', () => {
  it('leaves matching copies alone and says so (the global test setup has just copied them)', () => {
    const copy = run();
    expect(copy.status).toBe(0);
    expect(locked).toBe(10);
    expect(copy.stdout.trim()).toBe(`copyModels: 0 copied, ${locked} already in place; ${locked} model files in resources/models match models.lock.json`);
  });

  it('--check verifies the copies against the lock', () => {
    const check = run('--check');
    expect(check.status).toBe(0);
    expect(check.stdout.trim()).toBe(`copyModels: ${locked} model files in ${resolve(import.meta.dirname, '../../../resources/models')} match models.lock.json`);
  });

  it('an unknown option is refused with exit code 2', () => {
    const bad = run('--force');
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('copyModels: unknown option --force (use --check or --write-lock)');
  });
});
