// Child process for the adapter probe test: the Vulkan driver (VK_ICD_FILENAMES) is chosen
// when Dawn first loads, so this runs in a process of its own. Probes twice, opens a session
// asking for WebGPU only, and prints one JSON line.
import { join } from 'node:path';
import { isSoftwareAdapter } from '../../../src-main/runtime/adapterFacts.js';
import { probeGpuAdapter } from '../../../src-main/runtime/gpuAdapter.js';
import { openSession } from '../../../src-main/runtime/openSession.js';
import { modelFixtures } from '../classify/fixtures.js';

const first = await probeGpuAdapter();
const again = await probeGpuAdapter();
const opened = await openSession(join(modelFixtures, 'slow_r50-tiny', 'model.onnx'), { providers: ['webgpu'], intraOpThreads: 1 });
await opened.session.release();
console.log(
  JSON.stringify({
    found: first.found,
    facts: first.found ? first.facts : null,
    software: first.found ? isSoftwareAdapter(first.facts) : null,
    cached: first === again,
    provider: opened.provider,
    skipped: opened.skipped,
  }),
);
