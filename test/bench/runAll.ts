/** `npm run bench [-- name]`: runs every benchmark script (or the named one) and prints its numbers. */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv[2];
const dir = import.meta.dirname;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort()) {
  if (only && !file.includes(only)) continue;
  console.log(`\n=== ${file} ===`);
  spawnSync(process.execPath, ['--import', 'tsx', join(dir, file)], { stdio: 'inherit' });
}
