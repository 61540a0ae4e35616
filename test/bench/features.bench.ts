/**
 * Video features for a head: the cost of extracting them and of training on them. Prints
 * numbers and ratios; asserts nothing. Run: npm run bench -- features
 *
 * 1. Extraction. A random-weight slow_r50 8x224 feature backbone and the classifier of the same
 *    architecture are exported into a temporary folder (tools/models/export_reference.py;
 *    skipped with a notice without python3-torch), imported into a temporary app, and a few
 *    real walkers (../shared/testdata; skipped with a notice when absent) are seeded as
 *    patients whose person-centred clip is a 224x224, 30 fps, 10.2 s square copy (10 clips of
 *    1 s). Timed: `features.extract` jobs to completion and `analyses.runStage2` with the
 *    classifier on the same clips, per clip (wall time of the jobs, and the jobs' own timings),
 *    their ratio, and the extrapolation to 80 patients x 2 videos x 10 clips = 1600 clips. Then
 *    the resume: one more video's extraction is cancelled after half its clips and extracted
 *    again (the job's computedClips / resumedClips).
 * 2. Training. GENERATED features, not from clips (test/helpers/generatedClipFeatures.ts): 80
 *    patients (40 ASD) x 2 videos x 10 clips = 1600 rows of 2048 values, a weak signal in 8 of
 *    them. trainScreeningModel with 1 repeat x 5 folds, then with the default protocol (10 x 5,
 *    inner 3-fold over 6 C, 2000 bootstrap replicates); fits counted, seconds per fit.
 *
 * BENCH_PARTS=extract,train (default both); BENCH_VIDEOS (default 4) videos timed for
 * extraction; BENCH_TRAIN_REPEATS (default 10) repeats of the "full" run: fewer are
 * extrapolated to 10 and the table says so (1: only the 1 x 5 run, extrapolated).
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Job, ModelBundle, Video } from '../../src-main/contract/entities.js';
import { protocolSchema, type Cohort, type Protocol } from '../../src-main/contract/screening.js';
import { trainScreeningModel } from '../../src-main/domain/learn/trainModel.js';
import { resolveFfmpeg } from '../../src-main/media/ffmpegPaths.js';
import type { WalkScopeApp } from '../../src-main/services/walkscopeApp.js';
import { generatedFeatureCohort } from '../helpers/generatedClipFeatures.js';
import { seedStage1Result, storeClipFile } from '../helpers/seedStage1.js';
import { ok, openTempApp } from '../helpers/tempApp.js';
import { clips, hasTestdata, testdataDir, testVideo } from '../helpers/testdata.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const exportTool = join(root, 'tools/models/export_reference.py');
const python = '/usr/bin/python3';
const parts = (process.env.BENCH_PARTS ?? 'extract,train').split(',');
const videoCount = Number(process.env.BENCH_VIDEOS ?? 4);
const fullRepeats = Number(process.env.BENCH_TRAIN_REPEATS ?? 10);
const cohortClips = 80 * 2 * 10;
const summary: [string, string][] = [];

const seconds = (ms: number) => (ms / 1000).toFixed(1);

function table(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  console.log(`\n${title}`);
  for (const line of [header, widths.map((w) => '-'.repeat(w)), ...rows]) console.log(line.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
}

// ---- 1. extraction ----

interface Walker {
  source: string;
  /** Seconds into the source where the patient's video starts. */
  start: number;
}

/** Real walkers: the side-view walker (7.7 s, looped) and the back-view walker (15 s at 10 fps), at a few start times. */
function walkers(count: number): Walker[] {
  return Array.from({ length: count }, (_, i) => ({ source: i % 2 === 0 ? clips.sports2dH264 : clips.intelBackview10fps, start: 0.5 * Math.floor(i / 2) }));
}

/** Exports a random-weight slow_r50 8x224 bundle (the feature backbone with --features); returns its folder. */
async function exportSlowR50(folder: string, features: boolean): Promise<{ dir: string; ms: number }> {
  const dir = join(folder, features ? 'slow_r50-features' : 'slow_r50-classifier');
  const t0 = performance.now();
  await run(python, [exportTool, 'export', '--arch', 'slow_r50', '--frames', '8', '--size', '224', ...(features ? ['--features'] : []), '--out', dir]);
  return { dir, ms: performance.now() - t0 };
}

/**
 * One patient with one real video, and as its person-centred clip a 224x224, 30 fps square of
 * 10.2 s (a stage 1 result seeded without detection, as test/helpers/featureCohort.ts does).
 */
async function seedWalker(app: WalkScopeApp, folder: string, code: string, walker: Walker): Promise<{ videoId: number }> {
  const { ffmpeg } = resolveFfmpeg();
  const original = join(folder, `${code}.mp4`);
  const square = join(folder, `${code}-square.mp4`);
  const cut = ['-y', '-loglevel', 'error', '-stream_loop', '-1', '-ss', String(walker.start), '-i', testVideo(walker.source), '-t', '10.2', '-an', '-c:v', 'libx264', '-preset', 'veryfast', '-r', '30'];
  await run(ffmpeg, [...cut, '-vf', 'scale=320:-2', '-crf', '23', original]);
  await run(ffmpeg, [...cut, '-vf', 'crop=ih:ih,scale=224:224', '-crf', '20', square]);
  ok(await app.call('patients.create', { code, diagnosis: 'control' }));
  const video = ok<{ video: Video }>(await app.call('videos.import', { patientCode: code, source: { kind: 'path', path: original } })).video;
  const file = await storeClipFile(app.store, square);
  seedStage1Result(app.store, video.id, [[0, Math.round(file.probe.durationSec * 30) - 1]], file);
  return { videoId: video.id };
}

interface JobTimings {
  wallMs: number;
  clips: number;
  jobTotalMs: number;
  inferenceMs: number;
}

function jobResult<T>(app: WalkScopeApp, id: number): T {
  const job = app.store.jobs.get(id);
  if (job.status !== 'done') throw new Error(`job ${id} (${job.kind}) ended ${job.status}: ${JSON.stringify(job.error)}`);
  return job.result as T;
}

type TimedResult = { clips: unknown[]; timings: { inferenceMs: number; totalMs: number } };

function sumResults(results: TimedResult[], wallMs: number): JobTimings {
  return {
    wallMs,
    clips: results.reduce((n, r) => n + r.clips.length, 0),
    jobTotalMs: results.reduce((n, r) => n + r.timings.totalMs, 0),
    inferenceMs: results.reduce((n, r) => n + r.timings.inferenceMs, 0),
  };
}

async function timeFeatures(app: WalkScopeApp, bundleId: string, codes: string[]): Promise<JobTimings> {
  const t0 = performance.now();
  const queued = ok<{ queuedJobIds: number[] }>(await app.call('features.extract', { bundleId, patientCodes: codes })).queuedJobIds;
  await app.runner.idle();
  const wallMs = performance.now() - t0;
  return sumResults(queued.map((id) => jobResult<TimedResult>(app, id)), wallMs);
}

async function timeStage2(app: WalkScopeApp, modelId: string, videoIds: number[]): Promise<JobTimings> {
  const t0 = performance.now();
  const jobs: number[] = [];
  for (const videoId of videoIds) jobs.push(ok<Job>(await app.call('analyses.runStage2', { videoId, modelId })).id);
  await app.runner.idle();
  const wallMs = performance.now() - t0;
  return sumResults(jobs.map((id) => jobResult<TimedResult>(app, id)), wallMs);
}

/** Extraction of one video cancelled once `cancelAfter` clips are done, then extracted again. */
async function timeResume(app: WalkScopeApp, bundleId: string, code: string, cancelAfter: number): Promise<{ cancelled: string; computed: number; resumed: number; wallMs: number; totalMs: number }> {
  const first = ok<{ queuedJobIds: number[] }>(await app.call('features.extract', { bundleId, patientCodes: [code] })).queuedJobIds[0]!;
  const off = app.events.on('job.updated', (job) => {
    const done = /^Features of (\d+) of \d+ clips$/.exec(job.message);
    if (job.id === first && job.status === 'running' && done && Number(done[1]) >= cancelAfter) void app.call('jobs.cancel', { id: first });
  });
  await app.runner.idle();
  off();
  const cancelled = app.store.jobs.get(first);
  const t0 = performance.now();
  const again = ok<{ queuedJobIds: number[] }>(await app.call('features.extract', { bundleId, patientCodes: [code] })).queuedJobIds[0]!;
  await app.runner.idle();
  const wallMs = performance.now() - t0;
  const result = jobResult<{ computedClips: number; resumedClips: number; timings: { totalMs: number } }>(app, again);
  return { cancelled: `${cancelled.status} (${cancelled.message})`, computed: result.computedClips, resumed: result.resumedClips, wallMs, totalMs: result.timings.totalMs };
}

function perClipRow(label: string, t: JobTimings): string[] {
  return [label, String(t.clips), (t.wallMs / t.clips).toFixed(0), (t.jobTotalMs / t.clips).toFixed(0), (t.inferenceMs / t.clips).toFixed(0), `${((cohortClips * t.wallMs) / t.clips / 60_000).toFixed(1)} min`];
}

async function benchExtraction(): Promise<void> {
  if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) {
    console.log('\n[extraction skipped] python3-torch is not installed: the slow_r50 8x224 bundles cannot be exported.');
    return;
  }
  if (!hasTestdata) {
    console.log(`\n[extraction skipped] real clips not found at ${testdataDir}.`);
    return;
  }
  const folder = mkdtempSync(join(tmpdir(), 'walkscope-bench-features-'));
  const { app, dispose } = await openTempApp();
  try {
    const [backbone, classifier] = await Promise.all([exportSlowR50(folder, true), exportSlowR50(folder, false)]);
    console.log(`\nexported slow_r50 8x224 backbone and classifier (random weights) in parallel: ${seconds(Math.max(backbone.ms, classifier.ms))} s`);
    const backboneId = ok<ModelBundle>(await app.call('models.import', { source: { kind: 'path', path: backbone.dir } })).id;
    const classifierId = ok<ModelBundle>(await app.call('models.import', { source: { kind: 'path', path: classifier.dir } })).id;
    const seeded = await Promise.all(walkers(videoCount + 1).map(async (walker, i) => ({ code: `BF${String(i + 1).padStart(2, '0')}`, walker, ...(await seedWalker(app, folder, `BF${String(i + 1).padStart(2, '0')}`, walker)) })));
    await app.runner.idle();
    const timed = seeded.slice(0, videoCount);
    const resumeCode = seeded[videoCount]!.code;
    console.log(`seeded ${seeded.length} real videos (${timed.map((s) => `${s.walker.source.slice(0, 12)}@${s.walker.start}s`).join(', ')}; one more for the resume), person-centred clips 224x224 30 fps 10.2 s; ${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(1)}`);

    const features = await timeFeatures(app, backboneId, timed.map((s) => s.code));
    const stage2 = await timeStage2(app, classifierId, timed.map((s) => s.videoId));
    const resume = await timeResume(app, backboneId, resumeCode, 5);
    const ratio = features.wallMs / features.clips / (stage2.wallMs / stage2.clips);

    table(
      `Extraction on ${videoCount} videos (slow_r50 8x224, random weights, CPU, one job at a time), ms per clip`,
      ['job', 'clips', 'wall (queue to done)', 'job totalMs', 'inference', `1600 clips (80 x 2 x 10) at the wall rate`],
      [perClipRow('features.extract (backbone)', features), perClipRow('analyses.runStage2 (classifier)', stage2)],
    );
    console.log(`  features / stage 2, wall per clip: ${ratio.toFixed(2)}x; inference per clip: ${(features.inferenceMs / features.clips / (stage2.inferenceMs / stage2.clips)).toFixed(2)}x`);
    console.log('  wall: from the call to the last job done (worker start, bundle check, session load per job included); job totalMs: the work function\'s own time.');
    console.log(`  resume: an extraction cancelled at 5 clips ended ${resume.cancelled}; extracting again: computedClips ${resume.computed}, resumedClips ${resume.resumed}, ${seconds(resume.wallMs)} s wall (job ${seconds(resume.totalMs)} s) against ${seconds(features.wallMs / timed.length)} s for a whole video`);
    summary.push(
      ['features, ms per clip (wall)', (features.wallMs / features.clips).toFixed(0)],
      ['stage 2, ms per clip (wall)', (stage2.wallMs / stage2.clips).toFixed(0)],
      ['features / stage 2 per clip', `${ratio.toFixed(2)}x`],
      ['features for 1600 clips (extrapolated)', `${((cohortClips * features.wallMs) / features.clips / 60_000).toFixed(1)} min`],
      ['resume: computed / resumed clips', `${resume.computed} / ${resume.resumed} (${seconds(resume.wallMs)} s vs ${seconds(features.wallMs / timed.length)} s)`],
    );
  } finally {
    await dispose();
    rmSync(folder, { recursive: true, force: true });
  }
}

// ---- 2. training ----

interface TrainingRun {
  label: string;
  fits: number;
  ms: number;
  c: number;
  balancedAccuracy: string;
}

function timeTraining(label: string, cohort: Cohort, protocol: Protocol): TrainingRun {
  let fits = 0;
  const t0 = performance.now();
  // shouldStop is asked once before every fit
  const body = trainScreeningModel(cohort, protocol, { name: 'GENERATED bench', appVersion: 'bench', createdAt: new Date(0).toISOString(), patientsSha256: '0'.repeat(64), hooks: { shouldStop: () => (fits++, false) } });
  const ba = body.evaluation.patient.balancedAccuracy;
  return { label, fits, ms: performance.now() - t0, c: body.c, balancedAccuracy: `${ba.estimate.toFixed(2)} (${ba.lower.toFixed(2)}-${ba.upper.toFixed(2)})` };
}

function benchTraining(): void {
  const t0 = performance.now();
  const cohort = generatedFeatureCohort({ patientsPerClass: 40, videos: 2, clipsPerVideo: 10, featureSize: 2048, signalColumns: 8, effect: 0.5, patientSd: 0.5, seed: 1 });
  console.log(`\nGENERATED features, not from clips: ${cohort.patients.length} patients (${cohort.counts.asd} ASD) x 2 videos x 10 clips = ${cohort.counts.segments} rows of 2048, signal +0.5 SD in 8 columns, patient SD 0.5 (generated in ${seconds(performance.now() - t0)} s); load ${loadavg()[0]!.toFixed(1)}`);
  const defaults = protocolSchema.parse({});
  const runs = [timeTraining('1 repeat x 5 folds', cohort, { ...defaults, repeats: 1 })];
  if (fullRepeats > 1) runs.push(timeTraining(`${fullRepeats} repeats x 5 folds${fullRepeats === defaults.repeats ? ' (default protocol)' : ''}`, cohort, { ...defaults, repeats: fullRepeats }));
  const one = runs[0]!;
  const full = runs.at(-1)!;
  // each run = repeats x (per repeat) + the final C choice and fit (one inner CV and one fit, the cost of a fold)
  const perRepeatMs = fullRepeats > 1 ? (full.ms - one.ms) / (fullRepeats - 1) : one.ms;
  const defaultMs = one.ms + (defaults.repeats - 1) * perRepeatMs;
  table(
    `trainScreeningModel on the GENERATED features (inner ${defaults.innerFolds}-fold over ${defaults.cGrid.length} C, ${defaults.bootstrapReplicates} bootstrap replicates)`,
    ['run', 'fits', 's', 's per fit', 'chosen C', 'patient balanced accuracy'],
    runs.map((r) => [r.label, String(r.fits), seconds(r.ms), (r.ms / r.fits / 1000).toFixed(2), String(r.c), r.balancedAccuracy]),
  );
  console.log(`  per repeat (difference of the two runs over ${fullRepeats - 1} repeats): ${seconds(perRepeatMs)} s; default protocol (10 x 5): ${seconds(defaultMs)} s${fullRepeats === defaults.repeats ? ' measured' : ' EXTRAPOLATED from the two runs'}`);
  summary.push(['training, 1 repeat x 5 folds', `${seconds(one.ms)} s (${one.fits} fits)`], [`training, 10 x 5 (default)${fullRepeats === 10 ? '' : ', extrapolated'}`, `${seconds(defaultMs)} s`], ['seconds per fit', (full.ms / full.fits / 1000).toFixed(2)]);
}

if (parts.includes('extract')) await benchExtraction();
if (parts.includes('train')) benchTraining();
table('Summary', ['what', 'measured'], summary);
