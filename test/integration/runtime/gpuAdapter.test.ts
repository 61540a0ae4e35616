import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runProcess } from '../../helpers/runProcess.js';

/**
 * The adapter probe on a real Dawn: Chromium's software Vulkan driver (SwiftShader), as on a
 * machine without a GPU. Stage 2 must pass over it for WebGPU unless told otherwise, with the
 * same words stage 1 would use for it.
 */
const icd = '/usr/lib/chromium/vk_swiftshader_icd.json';
const child = join(import.meta.dirname, 'gpuAdapterChild.ts');
const haveIcd = existsSync(icd);
if (!haveIcd) console.warn(`[walkscope tests] ${icd} not found (Debian's chromium package): the adapter probe test is skipped.`);

describe.runIf(haveIcd)('the WebGPU adapter probe on SwiftShader Vulkan', () => {
  it('finds SwiftShader once per process, calls it software, and stage 2 runs on CPU saying why', async () => {
    const run = await runProcess(process.execPath, ['--import', 'tsx', child], { env: { ...process.env, VK_ICD_FILENAMES: icd }, timeoutMs: 120_000 });
    const line = run.stdout.trim().split('\n').at(-1) ?? '';
    if (run.status !== 0 || !line.startsWith('{')) throw new Error(`the probe child failed (status ${run.status}): ${run.stderr.slice(-2000)}`);
    expect(JSON.parse(line)).toEqual({
      found: true,
      facts: { vendor: 'google', architecture: 'swiftshader', device: 'swiftshader-device-subzero-', description: 'SwiftShader driver 5.0.0', isFallbackAdapter: true },
      software: true,
      cached: true,
      provider: 'cpu',
      skipped: [{ provider: 'webgpu', reason: 'no hardware GPU adapter (google swiftshader SwiftShader driver 5.0.0 is a software adapter)' }],
    });
  });
});
