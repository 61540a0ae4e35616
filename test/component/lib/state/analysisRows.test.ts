import { describe, expect, it } from 'vitest';
import { analyseRow } from '../../../../src-renderer/lib/state/analysisRows.js';
import type { AnalysisRun } from '../../../../src-main/contract/entities.js';

type Step = AnalysisRun['steps'][number];
const step = (kind: Step['kind'], status: Step['status'], message = '', progress = 0): Step => ({ kind, status, jobId: status === 'waiting' || status === 'skipped' ? null : 1, progress, message });
const run = (steps: Step[], finished = false): AnalysisRun => ({ id: 5, videoId: 1, createdAt: 't', steps, finished });
const line = (r: AnalysisRun | null, needs: AnalysisRun['steps'][number]['kind'][] = ['stage1', 'measure', 'stage2']) => {
  const row = analyseRow(1, 'walk.mp4', needs, r);
  return [row.step, row.message, row.runId];
};

describe('a video’s line in "Analyse all", in words', () => {
  it('says what each step is doing', () => {
    expect(line(run([step('stage1', 'queued'), step('measure', 'waiting'), step('stage2', 'waiting')]))).toEqual([
      'working',
      'Person-centred clip: queued. Posture measures: waits for the person-centred clip. Classification: waits for the person-centred clip.',
      5,
    ]);
    expect(line(run([step('stage1', 'done'), step('measure', 'running', '', 0.4), step('stage2', 'queued')]))).toEqual(['working', 'Person-centred clip: done. Posture measures: running, 40%. Classification: queued.', 5]);
    expect(line(run([step('stage1', 'done'), step('measure', 'done'), step('stage2', 'done')], true))).toEqual(['done', 'Person-centred clip: done. Posture measures: done. Classification: done.', 5]);
    expect(line(run([step('stage2', 'queued')]), ['stage2'])).toEqual(['working', 'Classification: queued.', 5]);
  });

  it('says what went wrong, and what did not run', () => {
    expect(line(run([step('stage1', 'failed', 'No person was found in walk.mp4.'), step('measure', 'skipped', 'Not run: stage 1 did not finish.'), step('stage2', 'skipped', 'Not run: stage 1 did not finish.')], true))).toEqual([
      'failed',
      'Person-centred clip: failed: No person was found in walk.mp4. Posture measures: not run: stage 1 did not finish. Classification: not run: stage 1 did not finish.',
      5,
    ]);
    expect(line(run([step('stage1', 'cancelled'), step('stage2', 'skipped', 'x')], true))[0]).toBe('failed');
    expect(line(run([step('stage1', 'done'), step('measure', 'done'), step('stage2', 'skipped', 'No classification model is installed.')], true))).toEqual([
      'done',
      'Person-centred clip: done. Posture measures: done. Classification: not run: No classification model is installed.',
      5,
    ]);
  });

  it('an up-to-date video has no run', () => {
    expect(line(null, [])).toEqual(['up to date', 'Already analysed: not run again (Re-run all runs it anyway).', null]);
  });
});
