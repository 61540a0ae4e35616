import { describe, expect, it } from 'vitest';
import { runSteps, type StepJob, type StepPlan } from '../../../../src-main/domain/analysis/runSteps.js';

const plan: StepPlan[] = [
  { kind: 'stage1', after: null },
  { kind: 'stage2', after: 'stage1' },
];
const job = (id: number, kind: string, status: StepJob['status'], extra: Partial<StepJob> = {}): StepJob => ({ id, kind, status, progress: 0, message: `message of ${id}`, error: null, ...extra });

describe('the steps of an analysis run, from its jobs', () => {
  it('a step without a job waits for the one before it', () => {
    expect(runSteps(plan, [job(1, 'stage1', 'running', { progress: 0.4 })])).toEqual({
      steps: [
        { kind: 'stage1', status: 'running', jobId: 1, progress: 0.4, message: 'message of 1' },
        { kind: 'stage2', status: 'waiting', jobId: null, progress: 0, message: 'Queued when stage 1 is done.' },
      ],
      finished: false,
    });
  });

  it('is finished when every step is done, and the newest job of a step counts', () => {
    const result = runSteps(plan, [job(3, 'stage2', 'done'), job(1, 'stage1', 'failed'), job(2, 'stage1', 'done')]);
    expect(result.steps.map((s) => [s.kind, s.status, s.jobId])).toEqual([
      ['stage1', 'done', 2],
      ['stage2', 'done', 3],
    ]);
    expect(result.finished).toBe(true);
  });

  it('a failed or cancelled step skips the steps after it, with the error sentence kept', () => {
    const failed = runSteps(plan, [job(1, 'stage1', 'failed', { error: { message: 'No person was found in a.mp4.' } })]);
    expect(failed.steps).toEqual([
      { kind: 'stage1', status: 'failed', jobId: 1, progress: 0, message: 'No person was found in a.mp4.' },
      { kind: 'stage2', status: 'skipped', jobId: null, progress: 0, message: 'Not run: stage 1 did not finish.' },
    ]);
    expect(failed.finished).toBe(true);
    expect(runSteps(plan, [job(1, 'stage1', 'cancelled')]).steps[1]!.status).toBe('skipped');
  });

  it('a step planned as skipped says why and does not hold the run open', () => {
    const result = runSteps([plan[0]!, { ...plan[1]!, skipped: 'No classification model is installed.' }], [job(1, 'stage1', 'done')]);
    expect(result.steps[1]).toEqual({ kind: 'stage2', status: 'skipped', jobId: null, progress: 0, message: 'No classification model is installed.' });
    expect(result.finished).toBe(true);
  });
});
