import type { CohortPatient } from '../../contract/screening.js';
import { AppError } from '../../contract/errors.js';
import { fitLogisticRegressionMatrix, logisticProbability, type DesignMatrix, type LogisticStart } from './logisticRegression.js';
import { fitStandardiser, standardise, standardisedDesign, type Standardisation } from './standardiser.js';

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

/**
 * The training rows of a set of patients, standardised once, so that every C of a grid is
 * fitted on the same design (the inner cross-validation fits each inner training part at every
 * candidate C). Fitting from it gives the same numbers to the bit as fitSegmentModel.
 */
export interface SegmentTrainingSet {
  standardisation: Standardisation;
  design: DesignMatrix;
  labels: (0 | 1)[];
  /** Balanced class weights, or undefined (every row weight 1). */
  sampleWeight: number[] | undefined;
}

export function segmentTrainingSet(patients: readonly CohortPatient[], classWeight: SegmentModelOptions['classWeight']): SegmentTrainingSet {
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
  return { standardisation, design: standardisedDesign(standardisation, rows), labels, sampleWeight: classWeight === 'balanced' ? balancedWeights(labels) : undefined };
}

/** The model at one C on a prepared training set (`initial`: a warm start, e.g. the fit at the previous C). */
export function fitSegmentModelOn(set: SegmentTrainingSet, c: number, initial?: LogisticStart): SegmentModel {
  const fit = fitLogisticRegressionMatrix(set.design, set.labels, { c, ...(set.sampleWeight ? { sampleWeight: set.sampleWeight } : {}), ...(initial ? { initial } : {}) });
  return { standardisation: set.standardisation, coefficients: fit.coefficients, intercept: fit.intercept, c };
}

export function fitSegmentModel(patients: readonly CohortPatient[], options: SegmentModelOptions): SegmentModel {
  return fitSegmentModelOn(segmentTrainingSet(patients, options.classWeight), options.c);
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
