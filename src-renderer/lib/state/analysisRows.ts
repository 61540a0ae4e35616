import type { AnalysisNeed, AnalysisRun, AnalysisStepKind } from '../../../src-main/contract/entities.js';
import { t } from '../i18n.svelte.js';

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

/** The steps as a clinician names them, in the current language. */
export const stepNames: Record<AnalysisStepKind, () => string> = {
  stage1: () => t('jobs.analysis.step.stage1'),
  measure: () => t('jobs.analysis.step.measure'),
  stage2: () => t('jobs.analysis.step.stage2'),
};

function stateOf(step: Step): string {
  switch (step.status) {
    case 'waiting':
      return t('jobs.analysis.waiting');
    case 'queued':
      return t('jobs.status.queued');
    case 'running':
      return t('jobs.analysis.running', { percent: Math.round(step.progress * 100) });
    case 'done':
      return t('jobs.status.done');
    case 'cancelled':
      return t('jobs.status.cancelled');
    case 'failed':
      return t('jobs.analysis.failed', { message: step.message });
    case 'skipped':
      return t('jobs.analysis.skipped', { message: step.message.replace(/^Not run: /, '') });
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
  if (!run) return row('up to date', needs.length === 0 ? t('jobs.analysis.upToDate') : t('jobs.analysis.nothingQueued'));
  const phrase = (s: Step) => {
    const state = stateOf(s);
    // a state that ends in a sentence of its own (an error) gets no second full stop
    return t('jobs.analysis.line', { step: stepNames[s.kind](), state }) + (/[.!?。！？]$/.test(state) ? '' : t('jobs.analysis.lineEnd'));
  };
  const message = run.steps.map(phrase).join(' ');
  if (run.steps.some((s) => s.status === 'failed' || s.status === 'cancelled')) return row('failed', message);
  if (!run.finished) return row('working', message);
  return row('done', message);
}
