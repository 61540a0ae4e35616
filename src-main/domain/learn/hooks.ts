import { AppError } from '../../contract/errors.js';
import type { Phrase } from '../../contract/phrase.js';
import { assertPatientDisjoint } from './splits.js';

/**
 * What a training job can watch and steer while the cross-validation runs: progress, a stop
 * request (checked between fits), and every split at every nesting level (for the audit and
 * for the leakage tests).
 */
export interface SplitRecord {
  level: 'outer' | 'inner';
  /** 0-based; -1 for an inner cross-validation that is not inside an outer split (the final model's, the final gate's). */
  repeat: number;
  /** 0-based; -1 as for `repeat`. */
  fold: number;
  /** 0-based, inner splits only. */
  innerFold?: number;
  train: readonly string[];
  test: readonly string[];
}

export interface CvHooks {
  /** fraction 0..1 of the fits done, and what is being done (jobs.progress.train.*; English: `englishOf`). */
  onProgress?(fraction: number, message: Phrase): void;
  /** Checked before every fit; true stops the work with AppError('JOB_CANCELLED'). */
  shouldStop?(): boolean;
  onSplit?(split: SplitRecord): void;
}

/** Checks every split for patients on both sides, counts the checks and reports each split. */
export class SplitLedger {
  checked = 0;
  constructor(private readonly hooks: CvHooks = {}) {}

  check(split: SplitRecord, where: string): void {
    assertPatientDisjoint(split.train, split.test, where);
    this.checked++;
    this.hooks.onSplit?.(split);
  }
}

/**
 * Counts model fits against an expected total for progress, and honours a stop request
 * before each fit. The total is an estimate made before the work starts (a fold can hold
 * fewer inner folds than asked), so the fraction is capped at 1.
 */
export class FitCounter {
  private done = 0;
  constructor(
    private readonly hooks: CvHooks,
    private readonly total: number,
  ) {}

  /** Call before a fit: throws JOB_CANCELLED when a stop was asked for. */
  before(): void {
    if (this.hooks.shouldStop?.()) throw new AppError('JOB_CANCELLED');
  }

  /** Call after a fit. */
  after(message: Phrase): void {
    this.done++;
    this.hooks.onProgress?.(Math.min(1, this.done / Math.max(1, this.total)), message);
  }
}

/** Hooks whose progress is mapped into [from, to] of the caller's progress (for a job made of several parts). */
export function progressSpan(hooks: CvHooks, from: number, to: number): CvHooks {
  return {
    ...(hooks.shouldStop ? { shouldStop: () => hooks.shouldStop!() } : {}),
    ...(hooks.onSplit ? { onSplit: (s: SplitRecord) => hooks.onSplit!(s) } : {}),
    ...(hooks.onProgress ? { onProgress: (fraction: number, message: Phrase) => hooks.onProgress!(from + (to - from) * fraction, message) } : {}),
  };
}
