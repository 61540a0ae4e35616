import { describe, expect, it } from 'vitest';
import { sessionOpensAt, sessionPosition, type SessionProgress } from '../../../../src-main/domain/studies/readingSessions.js';

const session = (n: number, order: string[], read: string[], last: string | null): SessionProgress => ({ session: n, order, read: new Set(read), lastReadingAt: last });

describe('reading sessions and the washout', () => {
  it('gives the first unread case of the first open session, with its position', () => {
    const s = [session(1, ['C002', 'C001', 'C003'], ['C002'], '2026-12-01T10:00:00.000Z'), session(2, ['C003', 'C001', 'C002'], [], null)];
    expect(sessionPosition(s, 28, '2026-12-01T11:00:00.000Z')).toEqual({ state: 'case', session: 1, caseCode: 'C001', position: 2, total: 3 });
  });

  it('makes the next session wait washoutDays after the last reading of the one before', () => {
    const s = [session(1, ['C1', 'C2'], ['C1', 'C2'], '2026-12-01T10:00:00.000Z'), session(2, ['C2', 'C1'], [], null)];
    expect(sessionOpensAt(s[0]!, 28)).toBe('2026-12-29T10:00:00.000Z');
    expect(sessionPosition(s, 28, '2026-12-29T09:59:59.999Z')).toEqual({ state: 'waiting', session: 2, opensAt: '2026-12-29T10:00:00.000Z', previousEndedAt: '2026-12-01T10:00:00.000Z' });
    expect(sessionPosition(s, 28, '2026-12-29T10:00:00.000Z')).toEqual({ state: 'case', session: 2, caseCode: 'C2', position: 1, total: 2 });
    expect(sessionPosition(s, 0, '2026-12-01T10:00:00.000Z')).toMatchObject({ state: 'case', session: 2 });
  });

  it('is done when every session is read', () => {
    expect(sessionPosition([session(1, ['C1'], ['C1'], '2026-12-01T10:00:00.000Z')], 28, '2026-12-02T00:00:00.000Z')).toEqual({ state: 'done' });
  });
});
