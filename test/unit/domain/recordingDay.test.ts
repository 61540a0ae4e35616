import { afterEach, describe, expect, it } from 'vitest';
import type { Video } from '../../../src-main/contract/entities.js';
import { localDayOf, recordingDayFromCreationTime, recordingDayProblem, visitsOf } from '../../../src-main/domain/recordingDay.js';
import { syntheticProbe } from '../../helpers/syntheticCohort.js';

const zoneBefore = process.env.TZ;
afterEach(() => {
  if (zoneBefore === undefined) delete process.env.TZ;
  else process.env.TZ = zoneBefore;
});

describe('the recording day', () => {
  const now = new Date('2026-12-02T12:00:00Z');

  it('is the local day of the creation time: late evening UTC is the next day in Tokyo', () => {
    process.env.TZ = 'Asia/Tokyo';
    expect(recordingDayFromCreationTime('2026-03-04T23:30:00.000000Z', now)).toBe('2026-03-05');
    process.env.TZ = 'Europe/London';
    expect(recordingDayFromCreationTime('2026-03-04T23:30:00.000000Z', now)).toBe('2026-03-04');
    process.env.TZ = 'America/New_York';
    expect(recordingDayFromCreationTime('2026-03-05T02:00:00Z', now)).toBe('2026-03-04');
    expect(localDayOf(new Date(2026, 0, 9, 0, 1))).toBe('2026-01-09');
  });

  it('is unknown when the container has none, or one a camera without a clock writes, or one in the future', () => {
    expect(recordingDayFromCreationTime(null, now)).toBeNull();
    expect(recordingDayFromCreationTime(undefined, now)).toBeNull();
    expect(recordingDayFromCreationTime('', now)).toBeNull();
    expect(recordingDayFromCreationTime('not a time', now)).toBeNull();
    expect(recordingDayFromCreationTime('1970-01-01T00:00:00.000000Z', now)).toBeNull();
    expect(recordingDayFromCreationTime('1904-01-01T00:00:00Z', now)).toBeNull();
    expect(recordingDayFromCreationTime('2027-06-01T00:00:00Z', now)).toBeNull();
    process.env.TZ = 'UTC';
    expect(recordingDayFromCreationTime('2026-12-02T20:00:00Z', now)).toBe('2026-12-02');
  });

  it('refuses days a user types that cannot be one, saying why', () => {
    expect(recordingDayProblem('2026-11-30', '2026-12-02')).toBeNull();
    expect(recordingDayProblem('2026-12-02', '2026-12-02')).toBeNull();
    expect(recordingDayProblem('30/11/2026', '2026-12-02')).toBe('"30/11/2026" is not a date written as YYYY-MM-DD');
    expect(recordingDayProblem('2026-02-30', '2026-12-02')).toBe('2026-02-30 is not a day of the calendar');
    expect(recordingDayProblem('2025-13-01', '2026-12-02')).toBe('2025-13-01 is not a day of the calendar');
    expect(recordingDayProblem('2024-02-29', '2026-12-02')).toBeNull();
    expect(recordingDayProblem('1970-01-01', '2026-12-02')).toBe('1970-01-01 is before 1990; a walking video cannot be that old');
    expect(recordingDayProblem('2026-12-03', '2026-12-02')).toBe('2026-12-03 is after today (2026-12-02); a video cannot be recorded in the future');
  });
});

describe('visits', () => {
  const video = (id: number, recordedOn: string | null, source: number | null = null): Video => ({
    id, patientCode: 'P1', kind: source === null ? 'original' : 'person-centred', sourceVideoId: source, sha256: String(id), originalName: `v${id}.mp4`, view: 'sagittal',
    sizeBytes: 1, importedAt: '2026-12-01T00:00:00Z', recordedOn, recordedOnSource: recordedOn ? 'container' : null, probe: syntheticProbe(5), hasThumbnail: false,
  });

  it('group the originals by day, newest first, unknown last, each clip under its original', () => {
    const visits = visitsOf([video(1, '2026-03-05'), video(2, '2026-09-01'), video(3, '2026-03-05'), video(4, null), video(5, '2026-03-05', 1), video(6, '2026-03-05', 1), video(7, '2026-09-01', 2), video(8, null, 99)]);
    expect(visits.map((v) => [v.day, v.originals.map((o) => [o.video.id, o.clips.map((c) => c.id)])])).toEqual([
      ['2026-09-01', [[2, [7]]]],
      ['2026-03-05', [[1, [5, 6]], [3, []]]],
      [null, [[4, []]]],
    ]);
  });

  it('are none for a patient without videos', () => {
    expect(visitsOf([])).toEqual([]);
  });
});
