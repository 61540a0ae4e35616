import type { AnalysisRun, AnalysisStepKind, JobStatus } from '../../contract/entities.js';

/** A planned step of a run, with the step whose commit queues it. */
export interface StepPlan {
  kind: AnalysisStepKind;
  after: AnalysisStepKind | null;
  /** Why it will not run, when it will not. */
  skipped?: string | undefined;
}

/** What a run's steps need to know of their jobs. */
export interface StepJob {
  id: number;
  kind: string;
  status: JobStatus;
  progress: number;
  message: string;
  error: { message: string } | null;
}

const stepNames: Record<AnalysisStepKind, string> = { stage1: 'stage 1', measure: 'the measurement', stage2: 'stage 2' };

/**
 * The state of each planned step, from the run's jobs (the newest job of a step counts): a
 * step without a job is waiting for the step before it, or skipped when that one ended without
 * being done, or when it was planned as skipped.
 */
export function runSteps(plan: readonly StepPlan[], jobs: readonly StepJob[]): { steps: AnalysisRun['steps']; finished: boolean } {
  const newest = new Map<string, StepJob>();
  for (const job of [...jobs].sort((a, b) => a.id - b.id)) newest.set(job.kind, job);
  const steps: AnalysisRun['steps'] = [];
  for (const step of plan) {
    const job = newest.get(step.kind);
    if (job) {
      steps.push({ kind: step.kind, status: job.status, jobId: job.id, progress: job.progress, message: job.error?.message ?? job.message });
      continue;
    }
    if (step.skipped !== undefined) {
      steps.push({ kind: step.kind, status: 'skipped', jobId: null, progress: 0, message: step.skipped });
      continue;
    }
    const before = step.after === null ? undefined : steps.find((s) => s.kind === step.after);
    const beforeEnded = before !== undefined && (before.status === 'failed' || before.status === 'cancelled' || before.status === 'skipped');
    steps.push(
      beforeEnded
        ? { kind: step.kind, status: 'skipped', jobId: null, progress: 0, message: `Not run: ${stepNames[before.kind]} did not finish.` }
        : { kind: step.kind, status: 'waiting', jobId: null, progress: 0, message: step.after === null ? 'Waiting to be queued.' : `Queued when ${stepNames[step.after]} is done.` },
    );
  }
  const finished = steps.every((s) => s.status !== 'waiting' && s.status !== 'queued' && s.status !== 'running');
  return { steps, finished };
}
