import type { ScreeningModelBody } from '../contract/screening.js';
import { csvLine, csvNumber } from './csv.js';

/**
 * The out-of-fold predictions as CSV, one row per patient: pseudonymous code, label (1 = ASD,
 * 0 = not ASD), segments, the pooled probability the headline metrics use, and the probability
 * of each repeat (repeat_1, repeat_2, ...), each from a model that never saw the patient.
 * The column headers stay in English whatever the report language: the CSV is a
 * machine-readable export, read by scripts and statistics software, not by the clinician.
 */
export function screeningPredictionsCsv(model: ScreeningModelBody): string {
  const repeats = Math.max(model.protocol.repeats, ...model.evaluation.predictions.map((p) => p.perRepeat.length));
  const header = ['code', 'label', 'segments', 'probability', ...Array.from({ length: repeats }, (_, r) => `repeat_${r + 1}`)];
  const rows = model.evaluation.predictions.map((p) => [p.code, String(p.label), String(p.segments), csvNumber(p.probability), ...Array.from({ length: repeats }, (_, r) => csvNumber(p.perRepeat[r]))]);
  return [csvLine(header), ...rows.map(csvLine)].join('\n') + '\n';
}
