import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync, writeFileSync, readdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Patient, Video, Job } from '../../../src-main/contract/entities.js';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { resolveFfmpeg } from '../../../src-main/media/ffmpegPaths.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';
import { ok, openTempApp } from '../../helpers/tempApp.js';

type ImportReply = { video: Video; deduplicated: boolean; jobId: number | null };

/** Everything that could change when an import is refused. */
function snapshot(app: WalkScopeApp) {
  const count = (table: string) => (app.store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { videos: count('videos'), jobs: count('jobs'), audit: count('audit_log'), patients: count('patients') };
}

describe.runIf(requireTestdata())('importing videos into the vault', () => {
  let app: WalkScopeApp;
  let dataDir: string;
  let dispose: () => Promise<void>;
  let scratch: string;

  beforeAll(async () => {
    ({ app, dataDir, dispose } = await openTempApp());
    scratch = join(dataDir, 'scratch');
    execFileSync('mkdir', ['-p', scratch]);
    ok<Patient>(await app.call('patients.create', { code: 'P001', diagnosis: 'ASD', sex: 'female', birthYear: 1950 }));
    ok<Patient>(await app.call('patients.create', { code: 'P002' }));
  });
  afterAll(async () => dispose());

  it('imports the VP9 clip and the H.264 copy with their real facts, then analyses them in a job', async () => {
    const vp9 = ok<ImportReply>(await app.call('videos.import', { patientCode: 'P001', source: { kind: 'path', path: testVideo(clips.sports2dVp9) }, view: 'sagittal' }));
    const h264 = ok<ImportReply>(await app.call('videos.import', { patientCode: 'P001', source: { kind: 'path', path: testVideo(clips.sports2dH264) } }));
    expect(vp9.deduplicated).toBe(false);
    expect(vp9.video.probe).toMatchObject({ codec: 'vp9', width: 1768, height: 994, avgFps: 30, hasAudio: true, audioCodec: 'aac', rotation: 0 });
    expect(vp9.video.probe.durationSec).toBeCloseTo(7.67, 1);
    expect(vp9.video.view).toBe('sagittal');
    expect(h264.video.probe).toMatchObject({ codec: 'h264', width: 1280, height: 720, hasAudio: false });
    expect(vp9.jobId).not.toBeNull();
    await app.runner.idle();
    const jobs = ok<Job[]>(await app.call('jobs.list', {}));
    expect(jobs.filter((j) => j.kind === 'media.analyse').map((j) => j.status)).toEqual(['done', 'done']);
    const after = ok<Video>(await app.call('videos.get', { id: vp9.video.id }));
    expect(after.hasThumbnail).toBe(true);
    expect(after.probe.frameCount).toBe(230);
    expect(after.probe.variableFrameRate).toBe(false);
    const thumb = ok<{ dataUrl: string }>(await app.call('videos.thumbnail', { id: vp9.video.id }));
    expect(thumb.dataUrl.startsWith('data:image/jpeg;base64,/9j/')).toBe(true);
    // the original on disk is untouched and the vault copy is byte-identical
    const stored = app.store.videos.get(vp9.video.id);
    expect(readFileSync(app.store.vault.absolute(stored.vaultPath)).equals(readFileSync(testVideo(clips.sports2dVp9)))).toBe(true);
    expect(app.store.audit.list({ entity: 'video' }).length).toBe(2);
  });

  it('deduplicates a file already in the vault instead of failing', async () => {
    const copy = join(scratch, 'renamed copy.mp4');
    copyFileSync(testVideo(clips.sports2dH264), copy);
    const before = snapshot(app);
    const again = ok<ImportReply>(await app.call('videos.import', { patientCode: 'P001', source: { kind: 'path', path: copy } }));
    expect(again.deduplicated).toBe(true);
    expect(snapshot(app)).toEqual(before);
  });

  it('refuses the same video for another patient and changes nothing', async () => {
    const before = snapshot(app);
    const result = await app.call('videos.import', { patientCode: 'P002', source: { kind: 'path', path: testVideo(clips.sports2dH264) } });
    expect(result).toMatchObject({ ok: false, error: { code: 'VIDEO_OF_OTHER_PATIENT' } });
    expect(snapshot(app)).toEqual(before);
  });

  const refusals: Array<[string, () => string, string]> = [
    ['a text file', () => { const f = join(scratch, 'notes.mp4'); writeFileSync(f, 'this is not a video\n'.repeat(100)); return f; }, 'NOT_A_VIDEO'],
    ['a zero-byte file', () => { const f = join(scratch, 'empty.mp4'); writeFileSync(f, ''); return f; }, 'FILE_EMPTY'],
    ['a path that does not exist', () => join(scratch, 'missing.mp4'), 'FILE_NOT_FOUND'],
    ['an unreadable file', () => { const f = join(scratch, 'locked.mp4'); copyFileSync(testVideo(clips.intelWorker15fps), f); chmodSync(f, 0o000); return f; }, process.getuid?.() === 0 ? 'SKIP' : 'FILE_NOT_FOUND'],
    ['a folder', () => scratch, 'FILE_IS_FOLDER'],
    ['an mp4 cut in half (index at the end)', () => {
      const full = readFileSync(testVideo(clips.sports2dH264));
      const f = join(scratch, 'cut.mp4');
      writeFileSync(f, full.subarray(0, Math.floor(full.length / 2)));
      return f;
    }, 'VIDEO_TRUNCATED'],
    // generated for the test: a 5 KB file whose 3 frames are an hour apart, so it "lasts" 3 hours
    ['3 frames that claim to last 3 hours', () => {
      const f = join(scratch, 'three-hours.mp4');
      execFileSync(resolveFfmpeg().ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=1/3600', '-frames:v', '3', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', f]);
      return f;
    }, 'MEDIA_IMPLAUSIBLE'],
    ['an mp4 cut in half (index at the front)', () => {
      const faststart = join(scratch, 'faststart.mp4');
      execFileSync(resolveFfmpeg().ffmpeg, ['-v', 'error', '-y', '-i', testVideo(clips.intelWorker15fps), '-c', 'copy', '-movflags', '+faststart', faststart]);
      const full = readFileSync(faststart);
      const f = join(scratch, 'cut-faststart.mp4');
      writeFileSync(f, full.subarray(0, Math.floor(full.length / 2)));
      return f;
    }, 'VIDEO_TRUNCATED'],
  ];
  for (const [what, make, code] of refusals) {
    it.skipIf(code === 'SKIP')(`refuses ${what} with ${code} and leaves the store unchanged`, async () => {
      const path = make();
      const before = snapshot(app);
      const vaultBefore = readdirSync(join(dataDir, 'vault', 'videos'), { recursive: true }).length;
      const result = await app.call('videos.import', { patientCode: 'P001', source: { kind: 'path', path } });
      expect(result).toMatchObject({ ok: false, error: { code } });
      if (!result.ok) expect(result.error.message.length).toBeGreaterThan(20);
      if (!result.ok && code === 'MEDIA_IMPLAUSIBLE') expect(result.error.message).toContain('three-hours.mp4 says it lasts 180 min but holds only 3 frames.');
      expect(snapshot(app)).toEqual(before);
      expect(readdirSync(join(dataDir, 'vault', 'videos'), { recursive: true }).length).toBe(vaultBefore);
      expect(readdirSync(join(dataDir, 'vault', 'tmp'))).toEqual([]);
    });
  }

  it('refuses an import for an unknown patient', async () => {
    const result = await app.call('videos.import', { patientCode: 'NOPE', source: { kind: 'path', path: testVideo(clips.intelWorker15fps) } });
    expect(result).toMatchObject({ ok: false, error: { code: 'PATIENT_NOT_FOUND' } });
  });
});
