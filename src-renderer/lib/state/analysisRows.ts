import type { AnalysisPlan, AnalysisRun } from '../../../src-main/contract/entities.js';

/** Where one video is in an "Analyse all" run. */
export type AnalyseStep = 'stage 1 queued' | 'stage 2 queued' | 'done' | 'stage 1 only' | 'up to date' | 'failed';

export interface AnalyseRow {
  videoId: number;
  name: string;
  step: AnalyseStep;
  /** What happened, in words (the error sentence when failed). */
  message: string;
  runId: number | null;
}

type Step = AnalysisRun['steps'][number];
const active = (step: Step) => step.status === 'waiting' || step.status === 'queued' || step.status === 'running';
const ended = (step: Step) => step.status === 'failed' || step.status === 'cancelled';
const why = (step: Step) => (step.status === 'cancelled' ? 'it was cancelled' : step.message);

/**
 * One video's line in "Analyse all", from what the back end planned and how far its run is.
 * The back end decides what a video needs and queues each step; this only puts it in words.
 */
export function analyseRow(videoId: number, name: string, needs: AnalysisPlan['needs'], run: AnalysisRun | null): AnalyseRow {
  const row = (step: AnalyseStep, message: string): AnalyseRow => ({ videoId, name, step, message, runId: run?.id ?? null });
  if (!run) return row('up to date', needs === 'nothing' ? 'Already analysed: not run again (Re-run all runs it anyway).' : 'Nothing was queued.');
  const stage1 = run.steps.find((s) => s.kind === 'stage1');
  const stage2 = run.steps.find((s) => s.kind === 'stage2');
  if (stage1 && active(stage1)) return row('stage 1 queued', 'Stage 1 (person-centred clip) queued.');
  if (stage1 && (ended(stage1) || stage1.status === 'skipped')) return row('failed', `Stage 1 did not finish: ${why(stage1)}`);
  if (!stage2) return row('stage 1 only', 'Stage 1 done.');
  if (stage2.status === 'skipped') return row('stage 1 only', stage1 ? `Stage 1 done. Stage 2 did not run: ${stage2.message}` : `Stage 2 did not run: ${stage2.message}`);
  if (active(stage2)) return row('stage 2 queued', stage1 ? 'Stage 1 done; stage 2 (classification) queued.' : 'Stage 1 was already done; stage 2 (classification) queued.');
  if (ended(stage2)) return row('failed', `Stage 2 did not finish: ${why(stage2)}`);
  return row('done', 'Stage 1 and stage 2 done.');
}
