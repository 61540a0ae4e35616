import { describe, expect, it } from 'vitest';
import { cudaBinariesInstalled, defaultProviderOrder, isProviderName, platformAllows } from '../../../src-main/runtime/executionProviders.js';

describe('execution provider order', () => {
  it('puts CUDA first only where its binaries are installed, the GPU APIs next, the CPU last', () => {
    const cuda = cudaBinariesInstalled() ? ['cuda'] : [];
    expect(defaultProviderOrder('linux')).toEqual([...cuda, 'webgpu', 'cpu']);
    expect(defaultProviderOrder('win32')).toEqual([...cuda, 'dml', 'webgpu', 'cpu']);
    expect(defaultProviderOrder('darwin')).toEqual(['webgpu', 'coreml', 'cpu']);
  });

  it('knows the five providers by name and the platforms each runs on', () => {
    expect(['cuda', 'webgpu', 'dml', 'coreml', 'cpu', 'tpu', 'CPU'].map(isProviderName)).toEqual([true, true, true, true, true, false, false]);
    expect((['linux', 'win32', 'darwin'] as const).map((platform) => ['cuda', 'webgpu', 'dml', 'coreml', 'cpu'].filter((p) => platformAllows(p as never, platform)))).toEqual([
      ['cuda', 'webgpu', 'cpu'],
      ['cuda', 'webgpu', 'dml', 'cpu'],
      ['webgpu', 'coreml', 'cpu'],
    ]);
  });
});
