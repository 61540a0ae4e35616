import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Video } from '../../../src-main/contract/entities.js';
import type { CohortPreview, ScreeningExplanation, ScreeningModel, ScreeningModelSummary } from '../../../src-main/contract/screening.js';
import { resolveFfmpeg } from '../../../src-main/media/ffmpegPaths.js';
import type { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';
import { ok, openTempApp } from '../../helpers/tempApp.js';

const run = promisify(execFile);

/**
 * One real chain: videos imported, stage 1, the pose model and the measures on real frames,
 * then a screening model trained in the app. THE LABELS ARE INVENTED: there is one real side-view
 * walker (the Sports2D clip), cut into 20 distinct 4.5 s clips (different start times, half of
 * them mirrored so the walker goes the other way). The 10 clips called "ASD" are tilted 4-8°
 * forward (the image rotated toward the walking direction), the 10 called "not ASD" by -1..+1°,
 * so the measured trunk lean, and only a tilt-sensitive angle, separates the two invented
 * groups. The test checks the chain, not any clinical claim: the model must find the tilt in
 * keypoints it measured itself, and say how well it did at the patient level.
 */
describe.runIf(requireTestdata())('a real chain: 20 clips of one walker through stage 1, measures and training (invented labels)', () => {
  let app: WalkScopeApp;
  let dispose: () => Promise<void>;
  let folder: string;
  let model: ScreeningModel;

  beforeAll(async () => {
    ({ app, dispose } = await openTempApp());
    folder = mkdtempSync(join(tmpdir(), 'walkscope-chain-'));
    const { ffmpeg } = resolveFfmpeg();
    const videoIds: number[] = [];
    for (let i = 0; i < 20; i++) {
      const asd = i < 10;
      const mirrored = i % 2 === 1;
      const tiltDeg = asd ? 4 + (i % 5) : -1 + (i % 3);
      // the original walks right to left: forward is to the left, a counter-clockwise turn (negative in ffmpeg) leans the body forward
      const turn = (mirrored ? 1 : -1) * tiltDeg;
      const out = join(folder, `walker-${i}.mp4`);
      const filters = [...(mirrored ? ['hflip'] : []), `rotate=${turn}*PI/180`, 'scale=640:360'].join(',');
      await run(ffmpeg, ['-y', '-loglevel', 'error', '-ss', (1.0 + 0.05 * i).toFixed(2), '-t', '4.5', '-i', testVideo(clips.sports2dH264), '-vf', filters, '-an', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', out]);
      const code = `RC${String(i + 1).padStart(2, '0')}`;
      ok(await app.call('patients.create', { code, diagnosis: asd ? 'ASD' : i % 2 ? 'LCS' : 'DHS' }));
      videoIds.push(ok<{ video: Video }>(await app.call('videos.import', { patientCode: code, source: { kind: 'path', path: out } })).video.id);
    }
    ok(await app.call('analyses.run', { videoIds, only: ['stage1', 'measure'] }));
    await app.runner.idle();
  }, 900_000);
  afterAll(async () => {
    await dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  it('every clip is measured and the whole invented cohort is usable', async () => {
    const cohort = ok<CohortPreview>(await app.call('screening.cohort', {}));
    console.log(`[chain] cohort: ${cohort.counts.asd} "ASD" + ${cohort.counts.notAsd} "not ASD" patients, ${cohort.counts.segments} side-on segments; left out: ${cohort.excluded.map((e) => `${e.code} (${e.reason})`).join(', ') || 'none'}`);
    expect(cohort.counts).toMatchObject({ asd: 10, notAsd: 10 });
    expect(cohort.counts.segments).toBeGreaterThanOrEqual(40);
    expect(cohort.refusal).toBeNull();
  });

  it('trains on them as a job and finds the tilt at the patient level', async () => {
    const job = ok<Job>(await app.call('screening.train', { protocol: { folds: 5, repeats: 3, seed: 2023 }, name: 'Real chain, invented labels' }));
    await app.runner.idle();
    const done = ok<Job[]>(await app.call('jobs.list', { limit: 100 })).find((j) => j.id === job.id)!;
    expect(done.status, done.error?.message).toBe('done');
    const summary = ok<ScreeningModelSummary[]>(await app.call('screening.list', {}))[0]!;
    model = ok<ScreeningModel>(await app.call('screening.get', { id: summary.id }));
    const p = model.body.evaluation.patient;
    console.log(`[chain] patient level: AUROC ${p.auroc?.estimate.toFixed(3)} (${p.auroc?.lower.toFixed(3)}-${p.auroc?.upper.toFixed(3)}), balanced accuracy ${p.balancedAccuracy.estimate.toFixed(3)} (${p.balancedAccuracy.lower.toFixed(3)}-${p.balancedAccuracy.upper.toFixed(3)}); trunk lean norm ${model.body.norms.trunkLean?.mean.toFixed(1)} ± ${model.body.norms.trunkLean?.sd.toFixed(1)} deg; ${model.body.trainingSeconds.toFixed(2)} s`);
    expect(p.n).toBe(20);
    expect(p.auroc!.lower).toBeGreaterThan(0.5);
    expect(model.body.beatsChance).toBe(true);
    expect(model.body.coefficients[model.body.features.indexOf('trunkLean')]).toBeGreaterThan(0);
  });

  it("explains an invented 'ASD' patient: trunk lean above the norm pushes toward ASD", async () => {
    ok(await app.call('screening.accept', { id: model.id }));
    const x = ok<{ explanation: ScreeningExplanation }>(await app.call('screening.explain', { code: 'RC05' })).explanation;
    const lean = x.features.find((f) => f.name === 'trunkLean')!;
    console.log(`[chain] RC05: P(ASD) ${x.probability.toFixed(3)}; ${x.features.map((f) => f.sentence).join('; ')}`);
    expect(lean.zScore).toBeGreaterThan(1);
    expect(lean.contribution).toBeGreaterThan(0);
    expect(x.call).toBe('ASD');
  });
});
