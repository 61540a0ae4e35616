import { basename } from 'node:path';
import { prepareFolder } from '../../detect/prepareFolder.js';
import type { Command } from '../command.js';
import { UsageError } from '../cliContext.js';
import { formatTable, ProgressReporter } from '../output.js';
import { formatPrepareSummary } from '../prepareSummary.js';
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

export const prepareCommands: Command[] = [
  {
    name: 'prepare',
    summary: 'Stage 1 without the app: person-centred clips for a video or a dataset folder (class subfolders kept)',
    usage: `walkscope prepare <video|folder> --out DIR [--mode pad|crop] [--size 512] [--patient walker|paper|<track id>] [--detector movenet-multipose|centernet] [--stride 1-5 (detect every k-th frame, default ${defaultStride})] [--json]`,
    options: { out: { type: 'string' }, mode: { type: 'string' }, size: { type: 'string' }, patient: { type: 'string' }, detector: { type: 'string' }, stride: { type: 'string' } },
    async run(context, positionals, values) {
      const source = positionals[0];
      if (!source || typeof values.out !== 'string') throw new UsageError('give the video or folder and --out DIR');
      const mode = (values.mode ?? 'pad') as 'pad' | 'crop';
      if (mode !== 'pad' && mode !== 'crop') throw new UsageError('--mode is pad or crop');
      const size = Number(values.size ?? 512);
      if (!Number.isInteger(size) || size < 64 || size > 1024) throw new UsageError('--size is a whole number of pixels from 64 to 1024');
      const patient = values.patient === undefined ? 'walker' : values.patient === 'walker' || values.patient === 'paper' ? values.patient : Number(values.patient);
      if (typeof patient === 'number' && !Number.isInteger(patient)) throw new UsageError('--patient is walker, paper or a track id');
      const detector = detectorOption(values.detector);
      const stride = strideOption(values.stride);
      const reporter = new ProgressReporter();
      const result = await prepareFolder(source, values.out, {
        mode,
        size,
        patient: patient as 'walker' | 'paper' | number,
        ...(detector ? { detector } : {}),
        ...(stride !== undefined ? { stride } : {}),
        onProgress: (p) => !context.json && reporter.update(`[${p.fileIndex + 1}/${p.fileCount}] ${basename(p.relativePath)}`, p.fileFraction, p.message),
        onFile: () => !context.json && reporter.done(),
      });
      context.print(result.files, () => formatPrepareSummary(result.files));
      return result.files.every((f) => f.error === null) ? 0 : 1;
    },
  },
  {
    name: 'analyse',
    summary: 'Run stage 1 (and stage 2 when a model is installed) on stored videos',
    usage: `walkscope analyse <video id...> [--mode pad|crop] [--size 512] [--patient walker|paper|<track id>] [--detector movenet-multipose|centernet] [--stride 1-5 (default ${defaultStride})] [--no-stage2]`,
    options: { mode: { type: 'string' }, size: { type: 'string' }, patient: { type: 'string' }, detector: { type: 'string' }, stride: { type: 'string' }, 'no-stage2': { type: 'boolean' } },
    async run(context, positionals, values) {
      if (positionals.length === 0) throw new UsageError('give at least one video id');
      const detector = detectorOption(values.detector);
      const app = await context.app();
      const patient = values.patient === undefined ? undefined : values.patient === 'walker' || values.patient === 'paper' ? values.patient : Number(values.patient);
      const stride = strideOption(values.stride);
      const ids = positionals.map(Number);
      for (const videoId of ids) {
        await context.call('analyses.runStage1', { videoId, ...(values.mode ? { mode: values.mode as 'pad' | 'crop' } : {}), ...(values.size ? { size: Number(values.size) } : {}), ...(patient !== undefined ? { patient: patient as 'walker' } : {}), ...(detector ? { detector } : {}), ...(stride !== undefined ? { stride } : {}) });
      }
      app.runner.start();
      await app.runner.idle();
      if (values['no-stage2'] !== true && (await context.call('models.list', {})).length > 0) {
        for (const videoId of ids) await context.call('analyses.runStage2', { videoId });
        await app.runner.idle();
      }
      const summaries = await Promise.all(ids.map(async (videoId) => ({ videoId, stage1: await context.call('analyses.stage1', { videoId }), stage2: await context.call('analyses.stage2', { videoId }) })));
      context.print(summaries, () =>
        formatTable(summaries, [
          { header: 'video', value: (s) => s.videoId, align: 'right' },
          { header: 'stage 1', value: (s) => (s.stage1 ? `track ${s.stage1.patientTrackId ?? s.stage1.selection}, ${s.stage1.coverage.detected + s.stage1.coverage.interpolated + (s.stage1.coverage.betweenDetections ?? 0)}/${s.stage1.coverage.frames} frames (${(s.stage1.stride ?? 1) === 1 ? 'detected on every frame' : `detected every ${s.stage1.stride}th frame`})` : 'failed: see walkscope jobs') },
          { header: 'stage 2', value: (s) => (s.stage2 ? `${s.stage2.researchOnly ? 'RESEARCH ONLY ' : ''}P(ASD) ${s.stage2.videoScore.toFixed(3)} -> ${s.stage2.verdict}` : 'no result') },
        ]),
      );
    },
  },
];
