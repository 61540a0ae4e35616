import type { Assessment, Call } from '../../../src-main/contract/entities.js';

/**
 * Doctors' assessments of one video as the review screen shows them: each reader's current
 * assessment with its earlier versions (an amendment supersedes, never overwrites).
 */

export interface AssessmentChain {
  current: Assessment;
  /** Earlier versions, newest first. */
  history: Assessment[];
}

/** Current assessments (newest first), each with the versions it superseded. */
export function currentWithHistory(assessments: readonly Assessment[]): AssessmentChain[] {
  const byId = new Map(assessments.map((a) => [a.id, a]));
  return assessments
    .filter((a) => a.supersededById === null || !byId.has(a.supersededById))
    .sort((a, b) => b.id - a.id)
    .map((current) => {
      const history: Assessment[] = [];
      const seen = new Set([current.id]);
      let previous = current.supersedesId === null ? undefined : byId.get(current.supersedesId);
      while (previous && !seen.has(previous.id)) {
        history.push(previous);
        seen.add(previous.id);
        previous = previous.supersedesId === null ? undefined : byId.get(previous.supersedesId);
      }
      return { current, history };
    });
}

export interface AgreementSummary {
  agree: number;
  total: number;
  modelVerdict: Call;
}

/**
 * How many doctors' current calls match the model's: one vote per reader (their newest
 * current assessment). Null when the model has no verdict or no doctor has assessed.
 */
export function agreementSummary(currents: readonly Assessment[], modelVerdict: Call | null): AgreementSummary | null {
  if (modelVerdict === null) return null;
  const newestByReader = new Map<string, Assessment>();
  for (const a of currents) {
    const known = newestByReader.get(a.readerCode);
    if (!known || a.id > known.id) newestByReader.set(a.readerCode, a);
  }
  if (newestByReader.size === 0) return null;
  let agree = 0;
  for (const a of newestByReader.values()) if (a.call === modelVerdict) agree++;
  return { agree, total: newestByReader.size, modelVerdict };
}
