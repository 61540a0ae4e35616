import { describe, expect, it } from 'vitest';
import { agreementSummary, currentWithHistory } from '../../../../../src-renderer/lib/review/assessmentHistory.js';
import type { Assessment } from '../../../../../src-main/contract/entities.js';

const a = (id: number, readerCode: string, call: Assessment['call'], supersedesId: number | null, supersededById: number | null): Assessment => ({
  id,
  videoId: 3,
  readerCode,
  readerName: readerCode.toUpperCase(),
  call,
  confidence: 50,
  comment: '',
  supersedesId,
  supersededById,
  createdAt: `2026-11-2${id}T10:00:00.000Z`,
});

// dr-a: 1 -> 4 -> 6 (current); dr-b: 2 (current); dr-c: 5 (current), the server lists newest first.
const listed = [a(6, 'dr-a', 'ASD', 4, null), a(5, 'dr-c', 'ASD', null, null), a(4, 'dr-a', 'non-ASD', 1, 6), a(2, 'dr-b', 'non-ASD', null, null), a(1, 'dr-a', 'ASD', null, 4)];

describe('assessment history', () => {
  it('keeps each current assessment with its earlier versions, newest first', () => {
    const chains = currentWithHistory(listed);
    expect(chains.map((c) => [c.current.id, c.history.map((h) => h.id)])).toEqual([
      [6, [4, 1]],
      [5, []],
      [2, []],
    ]);
  });
  it('does not depend on the order given', () => {
    expect(currentWithHistory([...listed].reverse()).map((c) => [c.current.id, c.history.map((h) => h.id)])).toEqual([
      [6, [4, 1]],
      [5, []],
      [2, []],
    ]);
    expect(currentWithHistory([])).toEqual([]);
  });
});

describe('agreement with the model', () => {
  const currents = currentWithHistory(listed).map((c) => c.current);
  it('counts doctors whose current call matches the model', () => {
    expect(agreementSummary(currents, 'ASD')).toEqual({ agree: 2, total: 3, modelVerdict: 'ASD' });
    expect(agreementSummary(currents, 'non-ASD')).toEqual({ agree: 1, total: 3, modelVerdict: 'non-ASD' });
  });
  it('gives one vote per reader and nothing without a verdict or a doctor', () => {
    expect(agreementSummary([a(7, 'dr-x', 'ASD', null, null), a(8, 'dr-x', 'non-ASD', null, null)], 'ASD')).toEqual({ agree: 0, total: 1, modelVerdict: 'ASD' });
    expect(agreementSummary(currents, null)).toBeNull();
    expect(agreementSummary([], 'ASD')).toBeNull();
  });
});
