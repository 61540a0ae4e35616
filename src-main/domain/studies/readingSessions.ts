/**
 * Which session a reader is in and when the next one opens. A study reads each case once per
 * modality, one modality per session, in order; session k+1 opens for a reader `washoutDays`
 * after their last reading of session k, and only once session k is complete. Pure: the
 * caller gives the clock.
 */
export interface SessionProgress {
  session: number;
  /** The case codes of the session in reading order (training cases first). */
  order: readonly string[];
  read: ReadonlySet<string>;
  /** ISO time of the reader's last reading in this session, null before the first. */
  lastReadingAt: string | null;
}

export type SessionPosition =
  | { state: 'case'; session: number; caseCode: string; position: number; total: number }
  | { state: 'waiting'; session: number; opensAt: string; previousEndedAt: string }
  | { state: 'done' };

const dayMs = 24 * 3600 * 1000;

/** When session `k` (index into `sessions`, > 0) opens: washout after the last reading of the one before. */
export function sessionOpensAt(previous: SessionProgress, washoutDays: number): string | null {
  if (previous.lastReadingAt === null) return null;
  return new Date(Date.parse(previous.lastReadingAt) + washoutDays * dayMs).toISOString();
}

/** The reader's next case, or the session they wait for, or done. */
export function sessionPosition(sessions: readonly SessionProgress[], washoutDays: number, now: string): SessionPosition {
  for (let k = 0; k < sessions.length; k++) {
    const s = sessions[k]!;
    const position = s.order.findIndex((c) => !s.read.has(c));
    if (position < 0) continue;
    if (k > 0) {
      const previous = sessions[k - 1]!;
      const opensAt = sessionOpensAt(previous, washoutDays);
      if (opensAt !== null && Date.parse(now) < Date.parse(opensAt)) return { state: 'waiting', session: s.session, opensAt, previousEndedAt: previous.lastReadingAt! };
    }
    return { state: 'case', session: s.session, caseCode: s.order[position]!, position: s.read.size + 1, total: s.order.length };
  }
  return { state: 'done' };
}
