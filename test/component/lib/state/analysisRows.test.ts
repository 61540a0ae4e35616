import { describe, expect, it } from 'vitest';
import { analyseRow } from '../../../../src-renderer/lib/state/analysisRows.js';
import type { AnalysisRun } from '../../../../src-main/contract/entities.js';

type Step = AnalysisRun['steps'][number];
const step = (kind: Step['kind'], status: Step['status'], message = ''): Step => ({ kind, status, jobId: status === 'waiting' || status === 'skipped' ? null : 1, progress: 0, message });
const run = (...steps: Step[]): AnalysisRun => ({ id: 5, videoId: 1, createdAt: 't', steps, finished: false });
const line = (r: AnalysisRun | null, needs: 'both stages' | 'stage 2' | 'nothing' = 'both stages') => {
  const row = analyseRow(1, 'walk.mp4', needs, r);
  return [row.step, row.message, row.runId];
};

describe('a video’s line in "Analyse all", in words', () => {
  it('follows stage 1, then stage 2', () => {
    expect(line(run(step('stage1', 'waiting'), step('stage2', 'waiting')))).toEqual(['stage 1 queued', 'Stage 1 (person-centred clip) queued.', 5]);
    expect(line(run(step('stage1', 'running'), step('stage2', 'waiting')))).toEqual(['stage 1 queued', 'Stage 1 (person-centred clip) queued.', 5]);
    expect(line(run(step('stage1', 'done'), step('stage2', 'running')))).toEqual(['stage 2 queued', 'Stage 1 done; stage 2 (classification) queued.', 5]);
    expect(line(run(step('stage1', 'done'), step('stage2', 'done')))).toEqual(['done', 'Stage 1 and stage 2 done.', 5]);
    expect(line(run(step('stage2', 'queued')), 'stage 2')).toEqual(['stage 2 queued', 'Stage 1 was already done; stage 2 (classification) queued.', 5]);
  });

  it('says what went wrong, and what did not run', () => {
    expect(line(run(step('stage1', 'failed', 'No person was found in walk.mp4.'), step('stage2', 'skipped')))).toEqual(['failed', 'Stage 1 did not finish: No person was found in walk.mp4.', 5]);
    expect(line(run(step('stage1', 'cancelled', 'The job was cancelled.'), step('stage2', 'skipped')))).toEqual(['failed', 'Stage 1 did not finish: it was cancelled', 5]);
    expect(line(run(step('stage1', 'done'), step('stage2', 'failed', 'The video is too short for this model: 0.5 s.')))).toEqual(['failed', 'Stage 2 did not finish: The video is too short for this model: 0.5 s.', 5]);
    expect(line(run(step('stage1', 'done'), step('stage2', 'skipped', 'No classification model is installed.')))).toEqual(['stage 1 only', 'Stage 1 done. Stage 2 did not run: No classification model is installed.', 5]);
    expect(line(run(step('stage1', 'done')))).toEqual(['stage 1 only', 'Stage 1 done.', 5]);
  });

  it('an up-to-date video has no run', () => {
    expect(line(null, 'nothing')).toEqual(['up to date', 'Already analysed: not run again (Re-run all runs it anyway).', null]);
  });
});
