/**
 * From raw model outputs to a verdict.
 *
 * The reference model's raw output is a logit whose sigmoid is P(non-ASD): Walk_Video_PyTorch
 * takes class indices from sorted folder names, so "ASD" = 0 and "ASD_not" = 1, and BCE
 * trains the single output towards 1 for ASD_not. WalkScope converts every raw output to
 * P(ASD) exactly once, here (`probabilityOfAsd`), from the manifest's `output.kind` and
 * `output.positiveClass`; every score past this point is named `...Asd` and means P(ASD).
 */
export type Aggregation = 'mean' | 'median' | 'max';

export const ASD_CLASS = 'ASD';

export interface OutputSpec {
  kind: 'logit' | 'probability';
  /** The class the raw output measures, e.g. "ASD_not" for the reference models. */
  positiveClass: string;
  /** The model's two classes; one of them is "ASD". */
  classNames?: readonly string[];
}

/** Numerically stable logistic function. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** P(the manifest's positive class) from one raw output. */
export function probabilityOfPositiveClass(raw: number, output: OutputSpec): number {
  if (!Number.isFinite(raw)) throw new RangeError(`the model returned ${raw}`);
  return output.kind === 'logit' ? sigmoid(raw) : raw;
}

/** P(ASD) from one raw output: the raw score itself when it measures ASD, its complement otherwise. */
export function probabilityOfAsd(raw: number, output: OutputSpec): number {
  const p = probabilityOfPositiveClass(raw, output);
  if (output.positiveClass === ASD_CLASS) return p;
  if (output.classNames && (output.classNames.length !== 2 || !output.classNames.includes(ASD_CLASS) || !output.classNames.includes(output.positiveClass))) {
    throw new RangeError(`cannot derive P(ASD): classes [${output.classNames.join(', ')}], positive class ${output.positiveClass}`);
  }
  return 1 - p;
}

/** Mean, median (mean of the two middle values for an even count) or max of clip P(ASD)s. */
export function aggregate(values: readonly number[], how: Aggregation): number {
  if (values.length === 0) throw new RangeError('no scores to aggregate');
  if (how === 'max') return values.reduce((m, v) => (v > m ? v : m), -Infinity);
  if (how === 'mean') return values.reduce((s, v) => s + v, 0) / values.length;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Video P(ASD) from its clips' P(ASD) (the reference evaluates the mean). */
export function videoScoreAsd(clipProbabilitiesAsd: readonly number[], how: Aggregation = 'mean'): number {
  return aggregate(clipProbabilitiesAsd, how);
}

/** Patient P(ASD) from the P(ASD) of that patient's videos. */
export function patientScoreAsd(videoScoresAsd: readonly number[], how: Aggregation = 'mean'): number {
  return aggregate(videoScoresAsd, how);
}

export type Verdict = 'ASD' | 'non-ASD';

/** The verdict at the manifest threshold: P(ASD) >= threshold is ASD. */
export function verdictOf(probabilityAsd: number, threshold: number): Verdict {
  return probabilityAsd >= threshold ? 'ASD' : 'non-ASD';
}
