// Builds the Electron shell: the main process with tsc (out/main), and the sandboxed preload
// as one CommonJS bundle (sandboxed preloads cannot load other files).
import { build } from 'esbuild';

await build({
  entryPoints: ['src-main/shell/preload.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron'],
  outfile: 'out/main/shell/preload.cjs',
  logLevel: 'warning',
});
console.log('Built out/main/shell/preload.cjs');

// The detection models the app loads from resources/models (copied and checked against
// resources/models.lock.json), so a build always ships verified model files.
const { spawnSync } = await import('node:child_process');
const copy = spawnSync(process.execPath, ['--import', 'tsx', new URL('./copyModels.ts', import.meta.url).pathname], { stdio: 'inherit' });
if (copy.status !== 0) process.exit(copy.status ?? 1);
