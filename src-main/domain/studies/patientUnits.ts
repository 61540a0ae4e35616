import { AppError } from '../../contract/errors.js';
import type { LongFormatRow } from '../stats/longFormatCsv.js';

/**
 * Pseudonymous unit ids for the patients of a study: P001, P002, ... in the order of each
 * patient's first case code (case codes are in seeded random order, so the ids hint at
 * nothing). Returns case code -> unit id.
 */
export function patientUnits(cases: ReadonlyArray<{ caseCode: string; patientCode: string }>): Map<string, string> {
  const firstCase = new Map<string, string>();
  for (const c of [...cases].sort((a, b) => a.caseCode.localeCompare(b.caseCode))) if (!firstCase.has(c.patientCode)) firstCase.set(c.patientCode, c.caseCode);
  const unitOfPatient = new Map([...firstCase.keys()].map((p, i) => [p, `P${String(i + 1).padStart(3, '0')}`]));
  return new Map(cases.map((c) => [c.caseCode, unitOfPatient.get(c.patientCode)!]));
}

/**
 * One row per rater, modality and patient: the mean score over the patient's cases that rater
 * read, and the majority call (a tie goes to the mean score, >= 0.5 ASD). The patient's truth
 * must be the same on all their cases. Rows without a call stay without one.
 */
export function aggregateByPatient(rows: readonly LongFormatRow[], unitOf: ReadonlyMap<string, string>): LongFormatRow[] {
  const groups = new Map<string, LongFormatRow[]>();
  for (const row of rows) {
    const unit = unitOf.get(row.caseId);
    if (unit === undefined) throw new AppError('STATS_INVALID', `case ${row.caseId} belongs to no patient`);
    const key = JSON.stringify([row.reader, row.modality, unit]);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.entries()].map(([key, group]) => {
    const [reader, modality, unit] = JSON.parse(key) as [string, string, string];
    const truth = group[0]!.truth;
    if (group.some((r) => r.truth !== truth)) throw new AppError('STATS_INVALID', `patient ${unit} has cases with different truths`);
    const score = group.reduce((s, r) => s + r.score, 0) / group.length;
    const out: LongFormatRow = { reader, caseId: unit, modality, score, truth };
    if (group.every((r) => r.call !== undefined)) {
      const positive = group.filter((r) => r.call === 1).length;
      out.call = 2 * positive > group.length ? 1 : 2 * positive < group.length ? 0 : score >= 0.5 ? 1 : 0;
    }
    return out;
  });
}
