import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openSession } from '../../../src-main/runtime/openSession.js';
import { modelFixtures } from '../classify/fixtures.js';

describe('execution provider fallback', () => {
  it('asked for CUDA without its binaries, runs on CPU and says why', async () => {
    const opened = await openSession(join(modelFixtures, 'slow_r50-tiny', 'model.onnx'), { providers: ['cuda', 'cpu'], intraOpThreads: 1 });
    expect(opened.provider).toBe('cpu');
    expect(opened.skipped[0]).toMatchObject({ provider: 'cuda' });
    expect(opened.skipped[0]!.reason.length).toBeGreaterThan(10);
    console.log(`[providers] cuda -> cpu: ${opened.skipped[0]!.reason}`);
    await opened.session.release();
  });

  it('passes over unknown names and providers of other platforms, recording each', async () => {
    const opened = await openSession(join(modelFixtures, 'slow_r50-tiny', 'model.onnx'), { providers: ['tpu', 'coreml', 'dml'], intraOpThreads: 1 });
    expect(opened.provider).toBe('cpu');
    expect(opened.skipped.map((s) => s.provider)).toEqual(process.platform === 'linux' ? ['tpu', 'coreml', 'dml'] : expect.any(Array));
  });

  it('never picks WebGPU on a software adapter unless told to', async () => {
    const opened = await openSession(join(modelFixtures, 'slow_r50-tiny', 'model.onnx'), { providers: ['webgpu'], intraOpThreads: 1 });
    if (opened.provider === 'cpu') expect(opened.skipped[0]).toMatchObject({ provider: 'webgpu', reason: expect.stringMatching(/GPU adapter|WebGPU/) });
    await opened.session.release();
  });
});
