import type { CohortPatient } from '../../contract/screening.js';
import { AppError } from '../../contract/errors.js';
import { fitLogisticRegression, logisticProbability } from './logisticRegression.js';
import { fitStandardiser, standardise, type Standardisation } from './standardiser.js';

/**
 * The screening model of one training set: every segment of the training patients is a row
 * (labelled with its patient's label), standardised with those rows' means and SDs, and an
 * L2 logistic regression is fitted on them. A patient's probability is the mean of their
 * segments' probabilities, so a patient with many segments counts once at prediction time.
 */
export interface SegmentModel {
  standardisation: Standardisation;
  coefficients: number[];
  intercept: number;
  c: number;
}

export interface SegmentModelOptions {
  c: number;
  /** 'balanced': sklearn's class_weight="balanced" over segments, n_segments / (2 * n_segments of the class). */
  classWeight: 'balanced' | 'none';
}

/** Balanced class weights over rows, as sklearn's compute_class_weight("balanced"): n / (2 * n_class). */
export function balancedWeights(labels: readonly (0 | 1)[]): number[] {
  let positives = 0;
  for (const y of labels) positives += y;
  const negatives = labels.length - positives;
  const wPos = labels.length / (2 * positives);
  const wNeg = labels.length / (2 * negatives);
  return labels.map((y) => (y === 1 ? wPos : wNeg));
}

export function fitSegmentModel(patients: readonly CohortPatient[], options: SegmentModelOptions): SegmentModel {
  const rows: (readonly number[])[] = [];
  const labels: (0 | 1)[] = [];
  for (const patient of patients) {
    for (const segment of patient.segments) {
      rows.push(segment);
      labels.push(patient.label);
    }
  }
  if (rows.length === 0) throw new AppError('STATS_INVALID', 'the training patients have no measured segments');
  const positives = labels.reduce<number>((s, y) => s + y, 0);
  if (positives === 0 || positives === labels.length) {
    throw new AppError('STATS_INVALID', `the training patients have segments of one class only (${positives === 0 ? 'not ASD' : 'ASD'}), so no model can be fitted`);
  }
  const standardisation = fitStandardiser(rows);
  const design = rows.map((row) => standardise(standardisation, row));
  const fit = fitLogisticRegression(design, labels, { c: options.c, ...(options.classWeight === 'balanced' ? { sampleWeight: balancedWeights(labels) } : {}) });
  return { standardisation, coefficients: fit.coefficients, intercept: fit.intercept, c: options.c };
}

/** Each segment's P(ASD). */
export function segmentProbabilities(model: SegmentModel, segments: readonly (readonly number[])[]): number[] {
  return segments.map((segment) => logisticProbability(model, standardise(model.standardisation, segment)));
}

/** A patient's P(ASD): the mean of their segments' probabilities. Refuses a patient without segments. */
export function patientProbability(model: SegmentModel, segments: readonly (readonly number[])[]): number {
  if (segments.length === 0) throw new AppError('STATS_INVALID', 'a patient without measured segments has no probability');
  const probabilities = segmentProbabilities(model, segments);
  let sum = 0;
  for (const p of probabilities) sum += p;
  return sum / probabilities.length;
}
