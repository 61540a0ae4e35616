import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../src-main/store/store.js';
import { probeVideo } from '../../../src-main/media/probe.js';
import { resolveFfmpeg } from '../../../src-main/media/ffmpegPaths.js';
import { addSyntheticPatients, syntheticProbe } from '../../helpers/syntheticCohort.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';
import { runProcess } from '../../helpers/runProcess.js';

/**
 * The day a video was recorded: read from the container by ffprobe (a real clip, remuxed here
 * with a creation time written by ffmpeg), kept by the store, inherited by clips, and set by a
 * user with an audit entry. The patients are GENERATED rows.
 */
const work = mkdtempSync(join(tmpdir(), 'walkscope-recorded-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.runIf(requireTestdata())('the creation time in a real container', () => {
  it('is read by the probe, and absent when the container has none', async () => {
    const { ffmpeg } = resolveFfmpeg();
    const stamped = join(work, 'stamped.mp4');
    const bare = join(work, 'bare.mp4');
    const source = testVideo(clips.sports2dH264);
    expect((await runProcess(ffmpeg, ['-v', 'error', '-i', source, '-c', 'copy', '-metadata', 'creation_time=2026-03-04T23:30:00.000000Z', stamped])).status).toBe(0);
    expect((await runProcess(ffmpeg, ['-v', 'error', '-i', source, '-c', 'copy', '-map_metadata', '-1', '-fflags', '+bitexact', bare])).status).toBe(0);
    expect((await probeVideo(stamped)).creationTime).toBe('2026-03-04T23:30:00.000000Z');
    expect((await probeVideo(bare)).creationTime ?? null).toBeNull();
  });
});

describe('the recording day of a video and its clips', () => {
  it('comes from the container, follows the original, is set by a user (audited) and refused on a clip', async () => {
    const store = await Store.open({ dataDir: work, databaseKey: null });
    try {
      const [first] = addSyntheticPatients(store, [{ code: 'DAY1', diagnosis: 'ASD', videos: 1 }]).get('DAY1')!;
      const patientId = store.videos.get(first!).patientId;
      const stamped = store.videos.insert('test', { patientId, kind: 'original', sourceVideoId: null, sha256: 'd'.repeat(64), vaultPath: 'videos/dd/d.mp4', originalName: 'visit2.mp4', originalPath: null, view: 'sagittal', sizeBytes: 10, probe: { ...syntheticProbe(6), creationTime: '2026-03-04T12:00:00Z' } });
      expect([stamped.recordedOn, stamped.recordedOnSource]).toEqual(['2026-03-04', 'container']);
      const clip = store.videos.insert('test', { patientId, kind: 'person-centred', sourceVideoId: stamped.id, sha256: 'e'.repeat(64), vaultPath: 'videos/ee/e.mp4', originalName: 'visit2 (person-centred).mp4', originalPath: null, view: 'sagittal', sizeBytes: 10, probe: syntheticProbe(6) });
      expect([clip.recordedOn, clip.recordedOnSource]).toEqual(['2026-03-04', 'container']);
      // a video without a creation time has no day until a user sets it
      expect(store.videos.get(first!).recordedOn).toBeNull();

      const changed = store.videos.setRecordedOn('dr-a', stamped.id, '2026-03-05');
      expect([changed.recordedOn, changed.recordedOnSource]).toEqual(['2026-03-05', 'user']);
      expect(store.videos.get(clip.id).recordedOn).toBe('2026-03-05');
      const entries = store.audit.list({ limit: 20 }).filter((e) => e.action === 'video.setRecordedOn');
      expect(entries.map((e) => [e.entityId, e.before, e.after])).toEqual(
        expect.arrayContaining([
          [String(stamped.id), { recordedOn: '2026-03-04', source: 'container' }, { recordedOn: '2026-03-05', source: 'user' }],
          [String(clip.id), { recordedOn: '2026-03-04', source: 'container' }, { recordedOn: '2026-03-05', source: 'user' }],
        ]),
      );
      expect(entries).toHaveLength(2);
      // the same day again records nothing
      store.videos.setRecordedOn('dr-a', stamped.id, '2026-03-05');
      expect(store.audit.list({ limit: 20 }).filter((e) => e.action === 'video.setRecordedOn')).toHaveLength(2);

      expect(() => store.videos.setRecordedOn('dr-a', clip.id, '2026-03-01')).toThrow(`video ${clip.id} is a person-centred clip; set the recording date of its original, video ${stamped.id}`);
      expect(() => store.videos.setRecordedOn('dr-a', stamped.id, '2026-02-30')).toThrow('2026-02-30 is not a day of the calendar');
      expect(() => store.videos.setRecordedOn('dr-a', stamped.id, '2999-01-01')).toThrow(/is after today/);
      expect(store.videos.get(stamped.id).recordedOn).toBe('2026-03-05');

      const cleared = store.videos.setRecordedOn('dr-a', stamped.id, null);
      expect([cleared.recordedOn, cleared.recordedOnSource]).toEqual([null, null]);
      expect(store.videos.get(clip.id).recordedOn).toBeNull();
    } finally {
      store.close();
    }
  });
});
