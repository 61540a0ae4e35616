import type { Diagnosis } from '../entities.js';

/**
 * The catalogue keys of the diagnosis labels (literal keys, so the catalogue test checks each):
 * `diagnosisNameKey` names a label where it stands alone (the patient form and list: "not ASD
 * (control)"); `diagnosisShortKey` where a cohort is broken down under "not ASD" ("control").
 */
export const diagnosisNameKey = {
  ASD: 'patients.diagnosis.ASD',
  DHS: 'patients.diagnosis.DHS',
  LCS: 'patients.diagnosis.LCS',
  HipOA: 'patients.diagnosis.HipOA',
  other: 'patients.diagnosis.other',
  control: 'patients.diagnosis.control',
  unknown: 'patients.diagnosis.unknown',
} as const satisfies Record<Diagnosis, string>;

export const diagnosisShortKey = {
  ASD: 'screeningReport.diagnosis.ASD',
  DHS: 'screeningReport.diagnosis.DHS',
  LCS: 'screeningReport.diagnosis.LCS',
  HipOA: 'screeningReport.diagnosis.HipOA',
  other: 'screeningReport.diagnosis.other',
  control: 'screeningReport.diagnosis.control',
  unknown: 'screeningReport.diagnosis.unknown',
} as const satisfies Record<Diagnosis, string>;
