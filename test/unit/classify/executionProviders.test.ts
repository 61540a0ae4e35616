import { describe, expect, it } from 'vitest';
import { cudaBinariesInstalled, defaultProviderOrder, sessionCreateOptions } from '../../../src-main/classify/executionProviders.js';

describe('execution provider order', () => {
  it('puts CUDA first only where its binaries are installed, the GPU APIs next, the CPU last', () => {
    const cuda = cudaBinariesInstalled() ? ['cuda'] : [];
    expect(defaultProviderOrder('linux')).toEqual([...cuda, 'webgpu', 'cpu']);
    expect(defaultProviderOrder('win32')).toEqual([...cuda, 'dml', 'webgpu', 'cpu']);
    expect(defaultProviderOrder('darwin')).toEqual(['webgpu', 'coreml', 'cpu']);
  });

  it('creates sessions with full graph optimisation, sequential execution and the given threads', () => {
    expect(sessionCreateOptions('cpu', { intraOpThreads: 3 })).toMatchObject({ executionProviders: ['cpu'], intraOpNumThreads: 3, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' });
    expect(sessionCreateOptions('cpu', { intraOpThreads: 1, allowSpinning: false })).toMatchObject({ extra: { session: { intra_op: { allow_spinning: '0' } } } });
  });
});
