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
