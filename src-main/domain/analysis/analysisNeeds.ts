import type { AnalysisNeed } from '../../contract/entities.js';

interface ModelIdentity {
  id: string;
  sha256: string;
}

/** A video's current results, as far as deciding what it needs goes. */
export interface CurrentResults {
  stage1: { outputVideoIds: readonly number[] } | null;
  /** The measurements made on the current stage 1 result, if any. */
  measurement: { version: number; verticalReferenceDeg: number } | null;
  stage2: { classifiedVideoId: number; model: ModelIdentity } | null;
}

/** What the results should have been made with now. */
export interface Expected {
  /** The measurement code's version: results of another version are made again. */
  measurementVersion: number;
  /** The video's vertical reference now (a user may have drawn one since). */
  verticalReferenceDeg: number;
  models: readonly ModelIdentity[];
}

/**
 * The steps a video still needs, in pipeline order. Before stage 1 it needs everything (stage 2
 * is planned even without a model, and skipped with the reason then). After it: the measures
 * when there are none on this stage 1, or they were made by another version of the code or
 * against another vertical reference; stage 2, with a model installed, when there is no current
 * result made from this stage 1's clip by a model still installed as the same file.
 */
export function analysisNeeds(current: CurrentResults, expected: Expected): AnalysisNeed {
  if (!current.stage1) return ['stage1', 'measure', 'stage2'];
  const needs: AnalysisNeed = [];
  const m = current.measurement;
  if (!m || m.version !== expected.measurementVersion || m.verticalReferenceDeg !== expected.verticalReferenceDeg) needs.push('measure');
  if (expected.models.length > 0) {
    const s2 = current.stage2;
    const fromThisClip = s2 !== null && current.stage1.outputVideoIds.includes(s2.classifiedVideoId);
    const sameModel = s2 !== null && expected.models.some((model) => model.id === s2.model.id && model.sha256 === s2.model.sha256);
    if (!fromThisClip || !sameModel) needs.push('stage2');
  }
  return needs;
}
