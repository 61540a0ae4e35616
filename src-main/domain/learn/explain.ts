import { notShownToBeatChance, type FeatureExplanation, type ScreeningExplanation, type ScreeningModelBody } from '../../contract/screening.js';
import { measureInfo } from '../../contract/measurements.js';
import { AppError } from '../../contract/errors.js';
import { fuse, measurementWeight, outlyingness } from './gate.js';
import { patientMeans } from './norms.js';
import { patientProbability } from './segmentModel.js';

/**
 * One patient's verdict from a stored model, in numbers a clinician can check: the
 * probability (the mean of the segments' probabilities), each measure's value against the
 * not-ASD norms ("Trunk lean 14.0 deg, norm 6.0 ± 3.0 deg: +2.7 SD") and what it adds to the
 * logit of the patient's mean measures, the outlyingness, and, when the model was trained
 * with a CNN and a CNN probability is given, the gated fused verdict. Always labelled
 * "research only"; "not shown to beat chance" when the model's evaluation did not show it.
 */

const researchOnly = 'research only';

/** Degrees to 1 decimal, trunk lengths to 2. */
function formatValue(value: number, unit: 'deg' | 'trunk lengths'): string {
  return value.toFixed(unit === 'deg' ? 1 : 2);
}

/** "+2.7", "-0.4", and "0.0" rather than "-0.0". */
function signed(z: number): string {
  const text = Math.abs(z).toFixed(1);
  if (Number(text) === 0) return '0.0';
  return `${z > 0 ? '+' : '-'}${text}`;
}

export function explainPatient(
  model: ScreeningModelBody,
  patient: { code: string; segments: readonly (readonly number[])[]; videos: number },
  cnn?: { probability: number; bundleIds: string[] } | null,
): Omit<ScreeningExplanation, 'model'> {
  const names = model.features;
  if (patient.segments.length === 0) {
    throw new AppError('NOT_MEASURABLE', `patient ${patient.code} has no segment with all of the model's measures (${names.map((n) => measureInfo[n].label.toLowerCase()).join(', ')})`);
  }
  const wrong = patient.segments.find((s) => s.length !== names.length);
  if (wrong) throw new AppError('STATS_INVALID', `a segment of patient ${patient.code} has ${wrong.length} values but the model uses ${names.length} measures`);
  const notes: string[] = [];
  const probability = patientProbability(model, patient.segments);
  const values = patientMeans(patient.segments);
  const norms = names.map((name) => model.norms[name] ?? { mean: 0, sd: 0, n: 0 });
  const features: FeatureExplanation[] = names.map((name, j) => {
    const info = measureInfo[name];
    const value = values[j]!;
    const norm = norms[j]!;
    const hasNorm = norm.sd > 0 && Number.isFinite(norm.sd);
    const zScore = hasNorm ? (value - norm.mean) / norm.sd : 0;
    const contribution = model.coefficients[j]! * ((value - model.standardisation.mean[j]!) / model.standardisation.scale[j]!);
    const shown = `${info.label} ${formatValue(value, info.unit)} ${info.unit}`;
    const sentence = hasNorm ? `${shown}, norm ${formatValue(norm.mean, info.unit)} ± ${formatValue(norm.sd, info.unit)} ${info.unit}: ${signed(zScore)} SD` : `${shown} (no not-ASD norm to compare with)`;
    if (!hasNorm) notes.push(`${info.label} has no not-ASD norm in this model (too few not-ASD patients, or the measure did not vary); it is left out of the outlyingness`);
    return { name, label: info.label, unit: info.unit, value, norm, zScore, contribution, sentence };
  });
  const logitOfMeans = model.intercept + features.reduce((s, f) => s + f.contribution, 0);
  const outlying = outlyingness(values, norms);
  notes.push(
    `the probability is the mean of ${patient.segments.length} segment probabilities; the logit shown is that of the mean measures, so it need not equal the logit of the probability`,
  );
  const call = (p: number): 'ASD' | 'not ASD' => (p >= model.threshold ? 'ASD' : 'not ASD');

  let fused: ScreeningExplanation['fused'] = null;
  if (cnn && model.fusion) {
    const gate = model.fusion.finalGate;
    const w = measurementWeight(outlying, gate);
    const p = fuse(probability, cnn.probability, outlying, gate);
    fused = { cnnProbability: cnn.probability, bundleIds: cnn.bundleIds, gateOpen: outlying >= gate.threshold, measurementWeight: w, probability: p, call: call(p) };
    notes.push(
      `fused with the 3D CNN: outlyingness ${outlying.toFixed(2)} is ${outlying >= gate.threshold ? 'at or above' : 'below'} the gate's ${gate.threshold.toFixed(2)}, so the measures weigh ${w} and the CNN ${1 - w}`,
    );
  } else if (cnn) notes.push('this model was trained without a CNN, so the CNN probability is not combined with it');
  else if (model.fusion) notes.push('no CNN probability for this patient: the measurement model alone');

  return {
    patientCode: patient.code,
    probability,
    call: call(probability),
    threshold: model.threshold,
    segments: patient.segments.length,
    videos: patient.videos,
    logitOfMeans,
    intercept: model.intercept,
    features,
    outlyingness: outlying,
    fused,
    labels: model.beatsChance ? [researchOnly] : [researchOnly, notShownToBeatChance],
    notes,
  };
}
