import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureInfo, sagittalFive, type MeasureName } from '../../../src-main/contract/measurements.js';
import type { JobResult } from '../../../src-main/contract/jobs.js';
import { prepareVideo } from '../../../src-main/detect/prepareVideo.js';
import { patientSquares } from '../../../src-main/domain/patientSquares.js';
import { resolveFfmpeg } from '../../../src-main/media/ffmpegPaths.js';
import { measureFile } from '../../../src-main/measure/measureFile.js';
import { measurePatient } from '../../../src-main/measure/measurePatient.js';
import { refinePose } from '../../../src-main/measure/poseRefinement.js';
import { measureVideo } from '../../../src-main/domain/posture/measureVideo.js';
import type { PoseTrack } from '../../../src-main/contract/measurements.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';

type Measured = JobResult<'measure'>;
const angles = sagittalFive.filter((n) => measureInfo[n].unit === 'deg');

/** Each measure's video mean, for the printed tables. */
function means(m: Measured): Record<string, number | undefined> {
  return Object.fromEntries([...sagittalFive, 'kneeRangeLeft', 'kneeRangeRight'].map((n) => [n, m.summary.measures[n as MeasureName]?.mean]));
}

function largestDifference(a: Measured, b: Measured, names: readonly MeasureName[]): { name: MeasureName; difference: number } {
  let worst = { name: names[0]!, difference: 0 };
  for (const name of names) {
    const x = a.summary.measures[name]?.mean;
    const y = b.summary.measures[name]?.mean;
    expect(x, `${name} measured in the first video`).toBeDefined();
    expect(y, `${name} measured in the second video`).toBeDefined();
    const difference = Math.abs(x! - y!);
    if (difference > worst.difference) worst = { name, difference };
  }
  return worst;
}

/**
 * The measures on a real side-view walk (the Sports2D woman), and what must not change them:
 * walking the other way (the video mirrored), the video at half size, and stage 1's clip
 * geometry (pad or crop). The clip's walker is not a patient and nothing here is a clinical value.
 */
describe.runIf(requireTestdata())('posture measures on a real side-view walk, and their invariances', () => {
  const work = mkdtempSync(join(tmpdir(), 'walkscope-measure-'));
  const original = testVideo(clips.sports2dH264);
  const mirrored = join(work, 'mirrored.mp4');
  const half = join(work, 'half.mp4');
  let base: Measured;

  beforeAll(async () => {
    const { ffmpeg } = resolveFfmpeg();
    execFileSync(ffmpeg, ['-v', 'error', '-i', original, '-vf', 'hflip', '-c:v', 'libx264', '-crf', '16', '-preset', 'veryfast', mirrored]);
    execFileSync(ffmpeg, ['-v', 'error', '-i', original, '-vf', 'scale=iw/2:ih/2', '-c:v', 'libx264', '-crf', '16', '-preset', 'veryfast', half]);
    base = (await measureFile(original)).measured;
    console.log(`[measure] original: ${JSON.stringify(means(base))}; cadence ${base.gait.cadence}; segments ${base.segments.map((s) => `${s.view}/${s.direction}`).join(' ')}`);
  }, 300_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('measures the walker in side view: the five quantities, cadence and foot contacts, with provenance', () => {
    expect(base.summary.sagittalSegments).toBeGreaterThanOrEqual(3);
    for (const name of sagittalFive) expect(base.summary.measures[name], name).toBeDefined();
    expect(base.segments.filter((s) => s.view === 'sagittal').every((s) => s.direction === 'left')).toBe(true);
    expect(base.gait.cadence).toBeGreaterThan(70);
    expect(base.gait.cadence).toBeLessThan(140);
    expect(base.gait.footContacts.length).toBeGreaterThanOrEqual(4);
    expect(base.provenance).toMatchObject({ model: 'movenet-lightning', version: 2 });
    expect(base.provenance.modelSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(base.pose.frames.length).toBe(base.series.frames.length);
  });

  // The mean-based angles (trunk lean, head forward) within 1 degree; the two built on each
  // segment's largest hip flexion within 1.5: a maximum rests on one frame, and the mirrored copy
  // is a re-encoded video the pose model sees a little differently (1.16 on an AMD EPYC, 0.85
  // on the machine this test was first run on).
  it('the video mirrored (she walks the other way): the means within 1 degree, the maximum-based hip measures within 1.5, the same cadence within 1%', async () => {
    const flipped = (await measureFile(mirrored)).measured;
    console.log(`[measure] mirrored: ${JSON.stringify(means(flipped))}; cadence ${flipped.gait.cadence}`);
    expect(flipped.segments.filter((s) => s.view === 'sagittal').every((s) => s.direction === 'right')).toBe(true);
    const maximumBased: readonly MeasureName[] = ['maxHipFlexion', 'hipRange'];
    const worst = largestDifference(base, flipped, angles);
    console.log(`[measure] mirrored: largest difference ${worst.difference.toFixed(2)} deg (${worst.name}); shoulder-hip offset ${Math.abs(base.summary.measures.shoulderHipOffset!.mean - flipped.summary.measures.shoulderHipOffset!.mean).toFixed(4)} trunk lengths`);
    expect(largestDifference(base, flipped, angles.filter((n) => !maximumBased.includes(n))).difference).toBeLessThanOrEqual(1);
    expect(largestDifference(base, flipped, maximumBased).difference).toBeLessThanOrEqual(1.5);
    expect(Math.abs(flipped.gait.cadence! - base.gait.cadence!) / base.gait.cadence!).toBeLessThanOrEqual(0.01);
  });

  it('the video at half size: the same measures within 2 degrees', async () => {
    const small = (await measureFile(half)).measured;
    console.log(`[measure] half size: ${JSON.stringify(means(small))}; cadence ${small.gait.cadence}`);
    const worst = largestDifference(base, small, angles);
    console.log(`[measure] half size: largest difference ${worst.difference.toFixed(2)} deg (${worst.name})`);
    expect(worst.difference).toBeLessThanOrEqual(2);
  });

  it('two pose models on the same frames: each measure compared (the default MoveNet Lightning against Thunder and BlazePose full)', async () => {
    const stage1 = await prepareVideo(original, join(work, 'models.mp4'), { mode: 'pad', size: 128 });
    const segments = stage1.segments.map((s) => ({ startFrame: s.startFrame, endFrame: s.endFrame }));
    const squares = patientSquares(stage1.overlay, stage1.patientTrackIds, segments);
    const byModel = async (model: string) => measurePatient({ videoPath: original, squares, segments, verticalReferenceDeg: 0, model });
    const lightning = await byModel('movenet-lightning');
    for (const other of ['movenet-thunder', 'blazepose-full']) {
      const m = await byModel(other);
      const rows = [...sagittalFive, 'kneeRangeLeft', 'kneeRangeRight'].map((n) => {
        const a = lightning.summary.measures[n as MeasureName]?.mean;
        const b = m.summary.measures[n as MeasureName]?.mean;
        return `${n} ${a?.toFixed(2)} vs ${b?.toFixed(2)} (${a !== undefined && b !== undefined ? (b - a).toFixed(2) : '-'})`;
      });
      console.log(`[measure] movenet-lightning against ${other}: ${rows.join('; ')}; cadence ${lightning.gait.cadence?.toFixed(1)} vs ${m.gait.cadence?.toFixed(1)}`);
      // two networks of different families need not agree to the degree; they must tell the same story
      expect(largestDifference(lightning, m, ['trunkLean', 'maxHipFlexion', 'hipRange']).difference).toBeLessThanOrEqual(6);
      expect(Math.abs(m.gait.cadence! - lightning.gait.cadence!) / lightning.gait.cadence!).toBeLessThanOrEqual(0.05);
    }
  });

  it("the default model's jitter on the steady walk, before and after the temporal filter", async () => {
    const stage1 = await prepareVideo(original, join(work, 'jitter.mp4'), { mode: 'pad', size: 128 });
    const segments = stage1.segments.map((s) => ({ startFrame: s.startFrame, endFrame: s.endFrame }));
    const raw = (await refinePose(original, patientSquares(stage1.overlay, stage1.patientTrackIds, segments))).pose;
    const filtered = measureVideo({ pose: raw, segments }).pose;
    /** The noise in a coordinate, from its second differences (white noise of SD s gives second differences of SD s x sqrt 6), over runs of consecutive confident frames. */
    const noise = (pose: PoseTrack, name: string): number => {
      const k = pose.names.indexOf(name as PoseTrack['names'][number]);
      const stride = pose.names.length * 3;
      const d2: number[] = [];
      for (let i = 2; i < pose.frames.length; i++) {
        if (pose.frames[i]! - pose.frames[i - 2]! !== 2) continue;
        const at = (j: number, c: number) => pose.points[j * stride + k * 3 + c]!;
        if ([i, i - 1, i - 2].some((j) => at(j, 2) < 0.3)) continue;
        for (const c of [0, 1]) d2.push(at(i, c) - 2 * at(i - 1, c) + at(i - 2, c));
      }
      const mean = d2.reduce((s, v) => s + v, 0) / d2.length;
      return Math.sqrt(d2.reduce((s, v) => s + (v - mean) ** 2, 0) / (d2.length - 1) / 6);
    };
    const rows = ['leftHip', 'rightHip', 'leftKnee', 'leftAnkle', 'rightAnkle', 'leftEar'].map((n) => ({ n, raw: noise(raw, n), filtered: noise(filtered, n) }));
    console.log(`[measure] jitter (px, from second differences): ${rows.map((r) => `${r.n} ${r.raw.toFixed(2)} -> ${r.filtered.toFixed(2)}`).join('; ')}`);
    for (const r of rows) expect(r.filtered, r.n).toBeLessThan(r.raw);
  });

  it("pad and crop mode of stage 1 give the same measures (the refinement follows the patient's track, not the clip)", async () => {
    const measureIn = async (mode: 'pad' | 'crop') => {
      const stage1 = await prepareVideo(original, join(work, `${mode}.mp4`), { mode, size: 128 });
      const segments = stage1.segments.map((s) => ({ startFrame: s.startFrame, endFrame: s.endFrame }));
      return measurePatient({ videoPath: original, squares: patientSquares(stage1.overlay, stage1.patientTrackIds, segments), segments, verticalReferenceDeg: 0 });
    };
    const [pad, crop] = [await measureIn('pad'), await measureIn('crop')];
    expect(crop.summary).toEqual(pad.summary);
    expect(crop.segments).toEqual(pad.segments);
  });
});
