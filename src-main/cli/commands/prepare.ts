import { basename } from 'node:path';
import { AppError } from '../../contract/errors.js';
import { prepareFolder } from '../../detect/prepareFolder.js';
import type { Command } from '../command.js';
import { UsageError } from '../cliContext.js';
import { formatTable, ProgressReporter } from '../output.js';
import { formatPrepareSummary } from '../prepareSummary.js';
import { waitForJobs } from './importAndJobs.js';
import { detectorNames, isDetectorName, type DetectorName } from '../../detect/detectorSpecs.js';
import { defaultStride, strideProblem } from '../../domain/detectionStride.js';

/** --detector: one of the stage 1 detectors, or a usage error naming them. */
function detectorOption(value: unknown): DetectorName | undefined {
  if (value === undefined) return undefined;
  if (!isDetectorName(value)) throw new UsageError(`--detector is ${detectorNames.join(' or ')}`);
  return value;
}

/** --stride k: detect on every k-th frame (1..5). */
function strideOption(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const stride = Number(value);
  const problem = strideProblem(stride);
  if (problem) throw new UsageError(`--stride: ${problem.replace(/not NaN$/, `not ${String(value)}`)}`);
  return stride;
}

/** --patient walker|paper|<track id>. */
function patientOption(value: unknown): 'walker' | 'paper' | number | undefined {
  if (value === undefined || value === 'walker' || value === 'paper') return value;
  const id = Number(value);
  if (!Number.isInteger(id) || id <= 0) throw new UsageError('--patient is walker, paper or a track id');
  return id;
}

/** --mode pad|crop. */
function modeOption(value: unknown): 'pad' | 'crop' | undefined {
  if (value === undefined || value === 'pad' || value === 'crop') return value;
  throw new UsageError('--mode is pad or crop');
}

export const prepareCommands: Command[] = [
  {
    name: 'prepare',
    summary: 'Stage 1 without the app: person-centred clips for a video or a dataset folder (class subfolders kept)',
    usage: `walkscope prepare <video|folder> --out DIR [--mode pad|crop] [--size 512] [--patient walker|paper|<track id>] [--detector movenet-multipose|centernet] [--stride 1-5 (detect every k-th frame, default ${defaultStride})] [--json]`,
    options: { out: { type: 'string' }, mode: { type: 'string' }, size: { type: 'string' }, patient: { type: 'string' }, detector: { type: 'string' }, stride: { type: 'string' } },
    async run(context, positionals, values) {
      const source = positionals[0];
      if (!source || typeof values.out !== 'string') throw new UsageError('give the video or folder and --out DIR');
      const mode = modeOption(values.mode) ?? 'pad';
      const size = Number(values.size ?? 512);
      if (!Number.isInteger(size) || size < 64 || size > 1024) throw new UsageError('--size is a whole number of pixels from 64 to 1024');
      const patient = patientOption(values.patient) ?? 'walker';
      const detector = detectorOption(values.detector);
      const stride = strideOption(values.stride);
      const reporter = new ProgressReporter();
      const result = await prepareFolder(source, values.out, {
        mode,
        size,
        patient,
        ...(detector ? { detector } : {}),
        ...(stride !== undefined ? { stride } : {}),
        onProgress: (p) => !context.json && reporter.update(`[${p.fileIndex + 1}/${p.fileCount}] ${basename(p.relativePath)}`, p.fileFraction, p.message),
        onFile: () => !context.json && reporter.done(),
      });
      // an empty folder is a failure (exit 1): a batch script that prepared nothing, from a
      // mistyped folder or videos of another type, should stop, not carry on with no clips
      if (result.files.length === 0) throw new AppError('NO_VIDEOS_FOUND', result.root);
      context.print(result.files, () => formatPrepareSummary(result.files));
      return result.files.every((f) => f.error === null) ? 0 : 1;
    },
  },
  {
    name: 'analyse',
    summary: 'Run stage 1, then the posture measures and stage 2 (when a model is installed) on stored videos, in this process',
    usage: `walkscope analyse <video id...> [--needed] [--mode pad|crop] [--size 512] [--patient walker|paper|<track id>] [--detector movenet-multipose|centernet] [--stride 1-5 (default ${defaultStride})] [--no-stage2]`,
    options: { needed: { type: 'boolean' }, mode: { type: 'string' }, size: { type: 'string' }, patient: { type: 'string' }, detector: { type: 'string' }, stride: { type: 'string' }, 'no-stage2': { type: 'boolean' } },
    async run(context, positionals, values) {
      if (positionals.length === 0) throw new UsageError('give at least one video id');
      const ids = positionals.map(Number);
      if (ids.some((id) => !Number.isInteger(id) || id <= 0)) throw new UsageError('video ids are whole numbers, e.g. walkscope analyse 3 4');
      const detector = detectorOption(values.detector);
      const patient = patientOption(values.patient);
      const mode = modeOption(values.mode);
      const stride = strideOption(values.stride);
      const stage1 = { ...(mode ? { mode } : {}), ...(values.size ? { size: Number(values.size) } : {}), ...(patient !== undefined ? { patient } : {}), ...(detector ? { detector } : {}), ...(stride !== undefined ? { stride } : {}) };
      // the same contract method as "Analyse all": the back end queues stage 2 when stage 1 commits
      const plans = await context.call('analyses.run', { videoIds: ids, scope: values.needed === true ? 'needed' : 'all', stage1, ...(values['no-stage2'] === true ? { only: ['stage1', 'measure'] as const } : {}) });
      const jobIds = plans.flatMap((p) => p.run?.steps.map((s) => s.jobId).filter((id): id is number => id !== null) ?? []);
      await waitForJobs(context, jobIds, plans.flatMap((p) => (p.run ? [p.run.id] : [])));
      const summaries = await Promise.all(
        ids.map(async (videoId) => ({ videoId, stage1: await context.call('analyses.stage1', { videoId }), measures: await context.call('measurements.get', { videoId }), stage2: await context.call('analyses.stage2', { videoId }) })),
      );
      context.print(summaries, () =>
        formatTable(summaries, [
          { header: 'video', value: (s) => s.videoId, align: 'right' },
          { header: 'stage 1', value: (s) => (s.stage1 ? `track ${s.stage1.patientTrackId ?? s.stage1.selection}, ${s.stage1.coverage.detected + s.stage1.coverage.interpolated + (s.stage1.coverage.betweenDetections ?? 0)}/${s.stage1.coverage.frames} frames (${(s.stage1.stride ?? 1) === 1 ? 'detected on every frame' : `detected every ${s.stage1.stride}th frame`})` : 'failed: see walkscope jobs') },
          { header: 'measures', value: (s) => (s.measures ? `${s.measures.summary.sagittalSegments} of ${s.measures.summary.segments} segments from the side${s.measures.summary.measures.trunkLean ? `, trunk lean ${s.measures.summary.measures.trunkLean.mean.toFixed(1)} deg` : ''}` : 'none (see walkscope jobs)') },
          { header: 'stage 2', value: (s) => (s.stage2 ? `${s.stage2.researchOnly ? 'RESEARCH ONLY ' : ''}P(ASD) ${s.stage2.videoScore.toFixed(3)} -> ${s.stage2.verdict}` : 'no result') },
        ]),
      );
    },
  },
];
