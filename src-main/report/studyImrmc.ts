import type { StudyResults } from '../contract/entities.js';
import { formatImrmcCsv, type LongFormatRow } from '../domain/stats/longFormatCsv.js';

/**
 * The rows of the study's iMRMC export, per patient (the unit of the primary analysis), in the
 * order the study's own MRMC analyses read them: when the model was compared with the readers,
 * its scores first, once under every reader's id in the modality "model" (the model as a
 * modality of its own, as in `mrmc.versusModel`), then the readers' aided and unaided scores.
 * Run as it is, iMRMC (or mrmcAnalysis) gives `mrmc.versusModel`; without the "model" rows,
 * `mrmc.readerModalities`. A model that did not score every patient is left out, as in the
 * analysis. Calls are not part of iMRMC's layout.
 */
export function imrmcRows(results: StudyResults, patientRows: readonly LongFormatRow[]): LongFormatRow[] {
  const readerRows = patientRows.filter((r) => r.modality !== 'model');
  // aided first, as the study's analysis orders them (differences read aided - unaided)
  const ordered = [...readerRows].sort((a, b) => Number(b.modality === 'aided') - Number(a.modality === 'aided')).map(({ call: _call, ...r }) => r);
  const model = results.mrmc.versusModel ? results.mrmc.model : null;
  if (!model) return ordered;
  const modelScore = new Map(patientRows.filter((r) => r.reader === model).map((r) => [r.caseId, r]));
  const readers = [...new Set(readerRows.map((r) => r.reader))];
  const units = [...new Set(readerRows.map((r) => r.caseId))];
  const asModality = readers.flatMap((reader) => units.map((u) => ({ reader, caseId: u, modality: 'model', score: modelScore.get(u)!.score, truth: modelScore.get(u)!.truth })));
  return [...asModality, ...ordered];
}

export const studyImrmcCsv = (results: StudyResults, patientRows: readonly LongFormatRow[]) => formatImrmcCsv(imrmcRows(results, patientRows));

/** "…-imrmc-per-patient-unaided-aided-model.csv": the unit and the modalities in the file. */
export function imrmcFileName(results: StudyResults, base: string): string {
  const modalities = [...results.design.modalities, ...(results.mrmc.versusModel ? ['model'] : [])];
  return `${base}-imrmc-per-patient-${modalities.join('-')}.csv`;
}
