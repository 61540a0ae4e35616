import type { Video } from '../contract/entities.js';

/**
 * The day a walking video was recorded, and a patient's videos grouped by that day (a visit).
 * A day is `YYYY-MM-DD` in the workstation's own calendar: a clinic's visit is a local day,
 * while containers store their creation time in UTC.
 */

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Cameras without a set clock write 1904 (QuickTime's epoch) or 1970 (Unix's): before this, no date. */
const earliestPlausibleYear = 1990;

const two = (n: number): string => String(n).padStart(2, '0');

/** The local day of a moment: 2026-03-04T23:30:00Z is 2026-03-05 in Tokyo (+09:00). */
export function localDayOf(moment: Date): string {
  return `${moment.getFullYear()}-${two(moment.getMonth() + 1)}-${two(moment.getDate())}`;
}

/**
 * The recording day from a container's creation time, or null when there is none or it cannot
 * be true (unreadable, before 1990, or after `now`, the clock the import runs by).
 */
export function recordingDayFromCreationTime(creationTime: string | null | undefined, now: Date): string | null {
  if (!creationTime) return null;
  const moment = new Date(creationTime);
  if (Number.isNaN(moment.getTime())) return null;
  if (moment.getFullYear() < earliestPlausibleYear) return null;
  if (moment.getTime() > now.getTime() + 24 * 3600 * 1000) return null;
  return localDayOf(moment);
}

/**
 * Why a day a user typed cannot be a recording day, or null when it can: it must be a real
 * calendar day, written YYYY-MM-DD, not before 1990 and not after today.
 */
export function recordingDayProblem(day: string, today: string): string | null {
  const match = dayPattern.exec(day);
  if (!match) return `"${day}" is not a date written as YYYY-MM-DD`;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, date));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) return `${day} is not a day of the calendar`;
  if (year < earliestPlausibleYear) return `${day} is before ${earliestPlausibleYear}; a walking video cannot be that old`;
  if (day > today) return `${day} is after today (${today}); a video cannot be recorded in the future`;
  return null;
}

/** One visit: the originals recorded on one day, with the person-centred clips made from each. */
export interface Visit {
  /** `YYYY-MM-DD`, or null for the videos whose day is not known yet. */
  day: string | null;
  originals: Array<{ video: Video; clips: Video[] }>;
}

/**
 * A patient's videos by visit, newest visit first and the videos without a day last. Within a
 * visit the originals keep their import order; each clip sits under the original it was made
 * from (a clip whose original is not in the list is left out: it cannot be shown in its place).
 */
export function visitsOf(videos: readonly Video[]): Visit[] {
  const clipsBySource = new Map<number, Video[]>();
  for (const v of videos) {
    if (v.kind === 'person-centred' && v.sourceVideoId !== null) clipsBySource.set(v.sourceVideoId, [...(clipsBySource.get(v.sourceVideoId) ?? []), v]);
  }
  const byDay = new Map<string | null, Visit>();
  for (const v of videos) {
    if (v.kind !== 'original') continue;
    const day = v.recordedOn ?? null;
    const visit = byDay.get(day) ?? { day, originals: [] };
    visit.originals.push({ video: v, clips: clipsBySource.get(v.id) ?? [] });
    byDay.set(day, visit);
  }
  return [...byDay.values()].sort((a, b) => (a.day === b.day ? 0 : a.day === null ? 1 : b.day === null ? -1 : a.day < b.day ? 1 : -1));
}
