import type { StudyCase } from '../contract/entities.js';
import type { Binary } from '../domain/stats/confusionMatrix.js';
import type { Store } from '../store/store.js';

export interface ModelScore {
  score: number;
  call: Binary;
  modelId: string;
}

/** The current stage 2 result of a video from the given model (any model when null); never a superseded one. */
export function videoModelScore(store: Store, videoId: number, modelId: string | null): ModelScore | undefined {
  const analysis = store.analyses.current(videoId, 2, modelId ?? undefined);
  const result = analysis?.result as { videoScore?: number; verdict?: string } | null | undefined;
  if (!analysis || typeof result?.videoScore !== 'number') return undefined;
  return { score: result.videoScore, call: result.verdict === 'ASD' ? 1 : 0, modelId: analysis.modelId ?? 'model' };
}

/** A study case's model score: from its fold's model in a cross-validation study, else the study's model. */
export function caseModelScore(store: Store, c: Pick<StudyCase, 'videoId' | 'fold'>, studyModelId: string | null, foldModels: ReadonlyMap<number, string>): ModelScore | undefined {
  const modelId = c.fold !== null && foldModels.has(c.fold) ? foldModels.get(c.fold)! : studyModelId;
  return videoModelScore(store, c.videoId, modelId);
}
