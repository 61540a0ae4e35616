// Child process for the GPU test: the Vulkan driver (VK_ICD_FILENAMES) is chosen when Dawn
// first loads, so this runs in a process of its own. Runs a fixture bundle's reference batch
// on WebGPU and on CPU through Stage2Classifier and prints one JSON line.
import { openBundle } from '../../../src-main/classify/bundle.js';
import { Stage2Classifier } from '../../../src-main/classify/classifier.js';
import { join } from 'node:path';
import { maxAbsDiff, modelFixtures, referenceBatch } from './fixtures.js';

const name = process.argv[2] ?? 'slow_r50-tiny';
const bundle = await openBundle(join(modelFixtures, name));
const { input, shape, expected } = referenceBatch(name);
const gpu = new Stage2Classifier({ providers: ['webgpu'], allowSoftwareGpu: true, intraOpThreads: 1 });
const cpu = new Stage2Classifier({ providers: ['cpu'], intraOpThreads: 1 });
try {
  const a = await gpu.runBatch(bundle, input, shape[0]!);
  const b = await cpu.runBatch(bundle, input, shape[0]!);
  console.log(JSON.stringify({ provider: a.provider, skipped: a.skipped, maxDiffCpu: maxAbsDiff(a.output, b.output), maxDiffTorch: maxAbsDiff(a.output, expected) }));
} finally {
  await gpu.dispose();
  await cpu.dispose();
  await bundle.dispose();
}
