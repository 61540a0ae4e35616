import type { AnalysisNeed, AnalysisRun, AnalysisStepKind } from '../../../src-main/contract/entities.js';

/** Where one video is in an "Analyse all" run. */
export type AnalyseStep = 'working' | 'done' | 'failed' | 'up to date';

export interface AnalyseRow {
  videoId: number;
  name: string;
  step: AnalyseStep;
  /** What each step is doing, in words (the error sentence when one failed). */
  message: string;
  runId: number | null;
}

type Step = AnalysisRun['steps'][number];

/** The steps as a clinician names them. */
export const stepNames: Record<AnalysisStepKind, string> = { stage1: 'Person-centred clip', measure: 'Posture measures', stage2: 'Classification' };

function stateOf(step: Step): string {
  switch (step.status) {
    case 'waiting':
      return 'waits for the person-centred clip';
    case 'queued':
      return 'queued';
    case 'running':
      return `running, ${Math.round(step.progress * 100)}%`;
    case 'done':
      return 'done';
    case 'cancelled':
      return 'cancelled';
    case 'failed':
      return `failed: ${step.message}`;
    case 'skipped':
      return `not run: ${step.message.replace(/^Not run: /, '')}`;
  }
}

/**
 * One video's line in "Analyse all", from what the back end planned and how far its run is:
 * one phrase per step ("Person-centred clip: done. Posture measures: running, 40%.
 * Classification: queued."). The back end decides what a video needs and queues each step;
 * this only puts it in words.
 */
export function analyseRow(videoId: number, name: string, needs: AnalysisNeed, run: AnalysisRun | null): AnalyseRow {
  const row = (step: AnalyseStep, message: string): AnalyseRow => ({ videoId, name, step, message, runId: run?.id ?? null });
  if (!run) return row('up to date', needs.length === 0 ? 'Already analysed: not run again (Re-run all runs it anyway).' : 'Nothing was queued.');
  const message = run.steps.map((s) => `${stepNames[s.kind]}: ${stateOf(s)}${/[.!?]$/.test(stateOf(s)) ? '' : '.'}`).join(' ');
  if (run.steps.some((s) => s.status === 'failed' || s.status === 'cancelled')) return row('failed', message);
  if (!run.finished) return row('working', message);
  return row('done', message);
}
