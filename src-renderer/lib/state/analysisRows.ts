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

/** The steps as a clinician names them. */
export const stepNames: Record<AnalysisStepKind, () => string> = {
  stage1: () => t('patients.analyseAll.step.stage1'),
  measure: () => t('patients.analyseAll.step.measure'),
  stage2: () => t('patients.analyseAll.step.stage2'),
};

function stateOf(step: Step): string {
  switch (step.status) {
    case 'waiting':
      return t('patients.analyseAll.state.waiting');
    case 'queued':
      return t('patients.analyseAll.state.queued');
    case 'running':
      return t('patients.analyseAll.state.running', { percent: Math.round(step.progress * 100) });
    case 'done':
      return t('patients.analyseAll.state.done');
    case 'cancelled':
      return t('patients.analyseAll.state.cancelled');
    case 'failed':
      return t('patients.analyseAll.state.failed', { message: step.message.replace(/[.。]$/, '') });
    case 'skipped':
      return t('patients.analyseAll.state.skipped', { message: step.message.replace(/^Not run: /, '').replace(/[.。]$/, '') });
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
  if (!run) return row('up to date', needs.length === 0 ? t('patients.analyseAll.upToDate') : t('patients.analyseAll.nothingQueued'));
  const message = run.steps.map((s) => t('patients.analyseAll.line', { step: stepNames[s.kind](), state: stateOf(s) })).join(' ');
  if (run.steps.some((s) => s.status === 'failed' || s.status === 'cancelled')) return row('failed', message);
  if (!run.finished) return row('working', message);
  return row('done', message);
}
