/**
 * vitest global setup: makes sure resources/models holds the detection models the tests load
 * (tools/copyModels.ts copies what is missing from node_modules and checks every file against
 * resources/models.lock.json; it does nothing when they are already in place). npm install
 * runs it too; this covers a checkout whose node_modules were installed before it existed.
 * Also points the detectors' conversion cache (WALKSCOPE_CACHE_DIR) into test/output.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function setup(): void {
  // converted detector graphs are cached for the test run here, not in the developer's own cache folder
  process.env.WALKSCOPE_CACHE_DIR ??= resolve(import.meta.dirname, '../output/detector-cache');
  const script = resolve(import.meta.dirname, '../../tools/copyModels.ts');
  const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`tools/copyModels.ts failed: ${(run.stderr || run.stdout).trim()}`);
}
