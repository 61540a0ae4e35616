import type { AnalysisNeed } from '../../contract/entities.js';

interface ModelIdentity {
  id: string;
  sha256: string;
}

/**
 * What a video still needs, from its current results. It is up to date when it has a stage 1
 * result and, with a model installed, a current stage 2 result made from that stage 1's clip
 * by a model still installed as the same file (same id and SHA-256). Without a model, a stage 1
 * result is all there is to do. A model replaced since (same id, another file) needs stage 2 again.
 */
export function analysisNeeds(
  stage1: { outputVideoIds: readonly number[] } | null,
  stage2: { classifiedVideoId: number; model: ModelIdentity } | null,
  models: readonly ModelIdentity[],
): AnalysisNeed {
  if (!stage1) return 'both stages';
  if (models.length === 0) return 'nothing';
  const fromThisClip = stage2 !== null && stage1.outputVideoIds.includes(stage2.classifiedVideoId);
  const sameModel = stage2 !== null && models.some((m) => m.id === stage2.model.id && m.sha256 === stage2.model.sha256);
  return fromThisClip && sameModel ? 'nothing' : 'stage 2';
}
