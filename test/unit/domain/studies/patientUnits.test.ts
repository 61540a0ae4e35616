import { describe, expect, it } from 'vitest';
import { aggregateByPatient, patientUnits } from '../../../../src-main/domain/studies/patientUnits.js';

describe('the patient as the unit of analysis', () => {
  const cases = [
    { caseCode: 'C003', patientCode: 'A' },
    { caseCode: 'C001', patientCode: 'B' },
    { caseCode: 'C002', patientCode: 'A' },
  ];

  it('names patients P001.. by their first case code, not by their own code', () => {
    expect([...patientUnits(cases)]).toEqual([
      ['C003', 'P002'],
      ['C001', 'P001'],
      ['C002', 'P002'],
    ]);
  });

  it("averages a rater's scores over the patient's cases; the call is the majority, a tie goes to the mean score", () => {
    const unitOf = patientUnits(cases);
    const rows = aggregateByPatient(
      [
        { reader: 'dr-a', caseId: 'C003', modality: 'unaided', score: 0.9, truth: 1, call: 1 },
        { reader: 'dr-a', caseId: 'C002', modality: 'unaided', score: 0.3, truth: 1, call: 0 },
        { reader: 'dr-a', caseId: 'C001', modality: 'unaided', score: 0.2, truth: 0, call: 0 },
        { reader: 'model:x', caseId: 'C003', modality: 'model', score: 0.4, truth: 1 },
        { reader: 'model:x', caseId: 'C002', modality: 'model', score: 0.5, truth: 1 },
      ],
      unitOf,
    );
    expect(rows).toEqual([
      { reader: 'dr-a', caseId: 'P002', modality: 'unaided', score: 0.6, truth: 1, call: 1 },
      { reader: 'dr-a', caseId: 'P001', modality: 'unaided', score: 0.2, truth: 0, call: 0 },
      { reader: 'model:x', caseId: 'P002', modality: 'model', score: 0.45, truth: 1 },
    ]);
  });

  it('refuses a patient whose cases disagree on the truth, and a case of no patient', () => {
    const unitOf = patientUnits(cases);
    expect(() => aggregateByPatient([{ reader: 'r', caseId: 'C003', modality: 'm', score: 1, truth: 1 }, { reader: 'r', caseId: 'C002', modality: 'm', score: 1, truth: 0 }], unitOf)).toThrow('patient P002 has cases with different truths');
    expect(() => aggregateByPatient([{ reader: 'r', caseId: 'C999', modality: 'm', score: 1, truth: 1 }], unitOf)).toThrow('case C999 belongs to no patient');
  });
});
