import { describe, expect, it } from 'vitest';
import { sessionCreateOptions } from '../../../src-main/runtime/openSession.js';

describe('session options', () => {
  it('creates sessions with full graph optimisation, sequential execution and the given threads', () => {
    expect(sessionCreateOptions('cpu', { intraOpThreads: 3 })).toMatchObject({ executionProviders: ['cpu'], intraOpNumThreads: 3, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' });
    expect(sessionCreateOptions('cpu', { intraOpThreads: 1, allowSpinning: false })).toMatchObject({ extra: { session: { intra_op: { allow_spinning: '0' } } } });
  });
});
