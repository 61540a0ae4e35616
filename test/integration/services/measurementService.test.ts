import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Annotation, VideoMeasurements } from '../../../src-main/contract/measurements.js';
import type { Video } from '../../../src-main/contract/entities.js';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';
import { ok, openTempApp } from '../../helpers/tempApp.js';

/**
 * The measurements as the app serves them: the step after stage 1 in an analysis run, CSV
 * exports, a patient's summary, and the annotations a user draws, with a vertical reference
 * re-measuring the video against it. The Sports2D walker stands in for a patient.
 */
describe.runIf(requireTestdata())('measurements in the app (Sports2D walker as a test patient)', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  let video: Video;
  let first: VideoMeasurements;

  beforeAll(async () => {
    ({ app, dispose } = await openTempApp());
    ok(await app.call('patients.create', { code: 'MS-1', diagnosis: 'ASD' }));
    video = ok<{ video: Video }>(await app.call('videos.import', { patientCode: 'MS-1', source: { kind: 'path', path: testVideo(clips.sports2dH264) } })).video;
    ok(await app.call('analyses.run', { videoIds: [video.id] }));
    await app.runner.idle();
    first = ok<VideoMeasurements>(await app.call('measurements.get', { videoId: video.id }));
  }, 300_000);
  afterAll(async () => dispose());

  it('measures after stage 1 without a model installed, on the current stage 1, with provenance', async () => {
    const stage1 = ok<{ analysisId: number }>(await app.call('analyses.stage1', { videoId: video.id }));
    expect(first.stage1AnalysisId).toBe(stage1.analysisId);
    expect(first.verticalReferenceDeg).toBe(0);
    expect(first.provenance).toMatchObject({ model: 'movenet-lightning', version: 2, minScore: 0.3 });
    expect(first.provenance.filter).toMatch(/savitzky-golay/);
    expect(first.summary.sagittalSegments).toBeGreaterThanOrEqual(3);
    const frames = ok<{ pose: { frames: number[] }; series: { frames: number[] } }>(await app.call('measurements.frames', { videoId: video.id }));
    expect(frames.pose.frames.length).toBeGreaterThan(100);
    expect(frames.series.frames).toEqual(frames.pose.frames);
    // up to date now: nothing more to run
    expect(ok<Array<{ needs: string[] }>>(await app.call('analyses.run', { videoIds: [video.id] }))[0]!.needs).toEqual([]);
  });

  it('exports CSV per frame and per segment with named columns and units', async () => {
    const csv = async (level: 'frame' | 'segment') => Buffer.from(ok<{ contentBase64: string }>(await app.call('measurements.export', { videoId: video.id, level })).contentBase64, 'base64').toString('utf8').trim().split('\n');
    const perFrame = await csv('frame');
    expect(perFrame[0]).toBe('frame,time_s,segment,view,trunk_lean_deg,head_forward_deg,shoulder_hip_offset_trunk_lengths,craniovertebral_angle_deg,hip_flexion_left_deg,hip_flexion_right_deg,knee_flexion_left_deg,knee_flexion_right_deg');
    const frames = ok<{ series: { frames: number[] } }>(await app.call('measurements.frames', { videoId: video.id }));
    expect(perFrame).toHaveLength(frames.series.frames.length + 1);
    const perSegment = await csv('segment');
    expect(perSegment[0]!.startsWith('segment,start_s,end_s,view,direction,quality,trunk_lean_deg_mean,trunk_lean_deg_sd,trunk_lean_deg_min,trunk_lean_deg_max,')).toBe(true);
    expect(perSegment).toHaveLength(first.segments.length + 1);
    // no float artefacts: at most 4 decimals
    expect(perSegment.slice(1).join(',')).not.toMatch(/\d\.\d{5,}/);
  });

  it('saves the lines and angles drawn on a frame with their values, audited; refuses what measures nothing, in words', async () => {
    const angle = ok<Annotation>(await app.call('annotations.add', { videoId: video.id, frame: 100, shape: { kind: 'angle', a: { x: 10, y: 0 }, vertex: { x: 0, y: 0 }, b: { x: 0, y: 10 } }, label: 'right angle' }));
    expect(angle).toMatchObject({ frame: 100, value: expect.closeTo(90, 9), label: 'right angle', author: app.actor });
    expect(ok<Annotation[]>(await app.call('annotations.list', { videoId: video.id })).map((a) => a.id)).toEqual([angle.id]);
    expect(await app.call('annotations.add', { videoId: video.id, frame: 100, shape: { kind: 'line', a: { x: 5, y: 5 }, b: { x: 5, y: 5 } } })).toMatchObject({ ok: false, error: { code: 'ANNOTATION_INVALID', message: expect.stringContaining('on top of each other') } });
    expect(await app.call('annotations.add', { videoId: video.id, frame: 5000, shape: { kind: 'line', a: { x: 0, y: 0 }, b: { x: 5, y: 5 } } })).toMatchObject({ ok: false, error: { code: 'ANNOTATION_INVALID', message: expect.stringContaining('past the end of the video') } });
    ok(await app.call('annotations.remove', { id: angle.id }));
    expect(ok<Annotation[]>(await app.call('annotations.list', { videoId: video.id }))).toEqual([]);
    expect(app.store.audit.list({ entity: 'annotation' }).map((e) => e.action).sort()).toEqual(['annotation.add', 'annotation.remove']);
    expect(await app.call('annotations.remove', { id: angle.id })).toMatchObject({ ok: false, error: { code: 'ANNOTATION_NOT_FOUND' } });
  });

  it('a vertical reference re-measures the video against it; removing it measures against the image vertical again', async () => {
    const tilt = 5;
    const h = 400;
    const vertical = ok<Annotation>(await app.call('annotations.add', { videoId: video.id, frame: 60, shape: { kind: 'vertical', a: { x: 600, y: 500 }, b: { x: 600 + h * Math.tan((tilt * Math.PI) / 180), y: 500 - h } } }));
    expect(vertical.value).toBeCloseTo(tilt, 9);
    const queued = app.store.jobs.list(['queued', 'running']).filter((j) => j.kind === 'measure');
    expect(queued).toHaveLength(1);
    await app.runner.idle();
    const tilted = ok<VideoMeasurements>(await app.call('measurements.get', { videoId: video.id }));
    expect(tilted.analysisId).toBeGreaterThan(first.analysisId);
    expect(tilted.verticalReferenceDeg).toBeCloseTo(tilt, 9);
    const change = tilted.summary.measures.trunkLean!.mean - first.summary.measures.trunkLean!.mean;
    console.log(`[measurements] trunk lean ${first.summary.measures.trunkLean!.mean.toFixed(2)} -> ${tilted.summary.measures.trunkLean!.mean.toFixed(2)} deg against a vertical tilted ${tilt} deg`);
    expect(Math.abs(Math.abs(change) - tilt)).toBeLessThan(0.5);
    ok(await app.call('annotations.remove', { id: vertical.id }));
    await app.runner.idle();
    const again = ok<VideoMeasurements>(await app.call('measurements.get', { videoId: video.id }));
    expect(again.verticalReferenceDeg).toBe(0);
    expect(again.summary.measures.trunkLean!.mean).toBeCloseTo(first.summary.measures.trunkLean!.mean, 6);
  });

  it("a patient's summary over their videos, and a patient with nothing measured", async () => {
    const patient = ok<{ summary: { sagittalSegments: number; measures: { trunkLean?: { mean: number } } } | null; videos: Array<{ videoId: number; measurements: unknown }> }>(await app.call('measurements.patient', { code: 'MS-1' }));
    expect(patient.videos.map((v) => v.videoId)).toEqual([video.id]);
    expect(patient.summary!.sagittalSegments).toBe(first.summary.sagittalSegments);
    expect(patient.summary!.measures.trunkLean!.mean).toBeCloseTo(first.summary.measures.trunkLean!.mean, 9);
    ok(await app.call('patients.create', { code: 'MS-2', diagnosis: 'LCS' }));
    expect(ok(await app.call('measurements.patient', { code: 'MS-2' }))).toEqual({ summary: null, videos: [] });
    expect(await app.call('measurements.export', { videoId: video.id + 100, level: 'frame' })).toMatchObject({ ok: false, error: { code: 'VIDEO_NOT_FOUND' } });
  });
});
