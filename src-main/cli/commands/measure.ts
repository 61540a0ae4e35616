import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { englishOf } from '../../contract/phrase.js';
import { measureInfo, sagittalFive, type MeasureName, type MeasureSegment, type MeasureSummary, type GaitSummary } from '../../contract/measurements.js';
import { isDetectorName, detectorNames } from '../../detect/detectorSpecs.js';
import { measureFile } from '../../measure/measureFile.js';
import { measurementFramesCsv, measurementSegmentsCsv } from '../../report/measurementsCsv.js';
import type { Command } from '../command.js';
import { UsageError, type CliContext } from '../cliContext.js';
import { formatTable, ProgressReporter } from '../output.js';
import { waitForJobs } from './importAndJobs.js';

const unit = (name: MeasureName) => (measureInfo[name].unit === 'deg' ? '°' : ' trunk lengths');
const shown = (value: number | undefined, name: MeasureName) => (value === undefined ? '' : `${value.toFixed(measureInfo[name].unit === 'deg' ? 1 : 3)}${measureInfo[name].unit === 'deg' ? '°' : ''}`);

/** The measurements in words: the five sagittal measures, gait, a table of segments and the notes. */
export function formatMeasurements(name: string, m: { segments: MeasureSegment[]; gait: GaitSummary; summary: MeasureSummary }): string {
  const s = m.summary;
  const lines = [`${name}: ${s.segments} segment${s.segments === 1 ? '' : 's'} of 1 s with the patient in view, ${s.sagittalSegments} seen from the side`, ''];
  lines.push(
    formatTable([...sagittalFive, 'kneeRangeLeft', 'kneeRangeRight'] as MeasureName[], [
      { header: 'measure', value: (n) => measureInfo[n].label },
      { header: 'mean', value: (n) => (s.measures[n] ? `${s.measures[n]!.mean.toFixed(measureInfo[n].unit === 'deg' ? 1 : 3)}${unit(n)}` : 'not measured'), align: 'right' },
      { header: 'SD', value: (n) => (s.measures[n] ? s.measures[n]!.sd.toFixed(measureInfo[n].unit === 'deg' ? 1 : 3) : ''), align: 'right' },
      { header: 'segments', value: (n) => s.measures[n]?.segments ?? 0, align: 'right' },
    ]),
  );
  lines.push('', `cadence: ${m.gait.cadence === null ? 'not measured' : `${m.gait.cadence.toFixed(1)} steps/min`}; step-time asymmetry: ${m.gait.stepTimeAsymmetry === null ? 'not measured' : m.gait.stepTimeAsymmetry.toFixed(3)}; ${m.gait.footContacts.length} foot contacts`);
  if (m.segments.length > 0) {
    lines.push(
      '',
      formatTable(m.segments, [
        { header: 'seg', value: (g) => g.index, align: 'right' },
        { header: 'time', value: (g) => `${g.startSec.toFixed(1)}-${g.endSec.toFixed(1)} s` },
        { header: 'view', value: (g) => g.view },
        { header: 'walks', value: (g) => g.direction ?? '' },
        { header: 'quality', value: (g) => `${Math.round(g.quality * 100)}%`, align: 'right' },
        ...sagittalFive.map((n) => ({ header: measureInfo[n].label.toLowerCase(), value: (g: MeasureSegment) => shown(g.stats[n]?.mean, n), align: 'right' as const })),
      ]),
    );
  }
  const notes = [...new Set([...s.notes, ...m.gait.notes, ...m.segments.flatMap((g) => g.notes.map((note) => `segment ${g.index}: ${note}`))])];
  if (notes.length > 0) lines.push('', ...notes.map((n) => `note: ${n}`));
  return lines.join('\n');
}

async function writeCsvs(context: CliContext, values: Record<string, unknown>, segments: () => Promise<string>, frames: () => Promise<string>): Promise<void> {
  if (typeof values.csv === 'string') {
    await writeFile(resolve(values.csv), await segments());
    if (!context.json) context.io.err(`Wrote ${values.csv} (one row per 1 s segment)`);
  }
  if (typeof values['frames-csv'] === 'string') {
    await writeFile(resolve(values['frames-csv']), await frames());
    if (!context.json) context.io.err(`Wrote ${values['frames-csv']} (one row per frame)`);
  }
}

export const measureCommands: Command[] = [
  {
    name: 'patients summary',
    summary: "Write a patient's one-page summary PDF (key frame with angles, the measures per video, plots)",
    usage: 'walkscope patients summary <code> --out FILE.pdf',
    options: { out: { type: 'string' } },
    async run(context, positionals, values) {
      const code = positionals[0];
      if (!code || typeof values.out !== 'string') throw new UsageError('give the patient code and --out FILE.pdf');
      const file = await context.call('measurements.summaryPdf', { code });
      await writeFile(resolve(values.out), Buffer.from(file.contentBase64, 'base64'));
      context.print({ file: resolve(values.out), mimeType: file.mimeType }, () => `Wrote ${values.out}`);
    },
  },
  {
    name: 'measure',
    summary: "Posture and gait measures from the patient's keypoints: of a video file, or of a stored video (measured first if needed)",
    usage: `walkscope measure <video file> | --video <id> [--csv SEGMENTS.csv] [--frames-csv FRAMES.csv] [--detector ${detectorNames.join('|')}] [--pose-model NAME] [--json]`,
    options: { video: { type: 'string' }, csv: { type: 'string' }, 'frames-csv': { type: 'string' }, detector: { type: 'string' }, 'pose-model': { type: 'string' } },
    async run(context, positionals, values) {
      const model = typeof values['pose-model'] === 'string' ? values['pose-model'] : undefined;
      if (typeof values.video === 'string') {
        if (positionals.length > 0) throw new UsageError('give either a video file or --video <id>, not both');
        const videoId = Number(values.video);
        if (!Number.isInteger(videoId) || videoId <= 0) throw new UsageError('--video takes a stored video id, e.g. --video 3');
        const video = await context.call('videos.get', { id: videoId });
        // what the video still needs of stage 1 and the measures runs here, in this process
        const plans = await context.call('analyses.run', { videoIds: [videoId], only: ['stage1', 'measure'], ...(model ? { measure: { model } } : {}) });
        const jobIds = plans.flatMap((p) => p.run?.steps.map((s) => s.jobId).filter((id): id is number => id !== null) ?? []);
        if (jobIds.length > 0) await waitForJobs(context, jobIds, plans.flatMap((p) => (p.run ? [p.run.id] : [])));
        const measured = await context.call('measurements.get', { videoId });
        if (!measured) {
          const jobs = jobIds.length > 0 ? await context.call('jobs.list', { limit: 50 }) : [];
          const failed = jobs.find((j) => jobIds.includes(j.id) && j.status === 'failed');
          context.io.err(`${video.originalName} could not be measured${failed?.error ? `: ${failed.error.message}` : '.'}`);
          return 1;
        }
        const exported = async (level: 'frame' | 'segment') => Buffer.from((await context.call('measurements.export', { videoId, level })).contentBase64, 'base64').toString('utf8');
        await writeCsvs(context, values, () => exported('segment'), () => exported('frame'));
        context.print(measured, () => formatMeasurements(video.originalName, measured));
        return;
      }
      const file = positionals[0];
      if (!file) throw new UsageError('give the video file, or --video <id> for a stored video');
      const detector = values.detector;
      if (detector !== undefined && !isDetectorName(detector)) throw new UsageError(`--detector is ${detectorNames.join(' or ')}`);
      const reporter = new ProgressReporter();
      const { measured } = await measureFile(resolve(file), {
        ...(detector ? { detector } : {}),
        model,
        onProgress: (fraction, message) => !context.json && reporter.update(basename(file), fraction, englishOf(message)),
      });
      if (!context.json) reporter.done();
      await writeCsvs(context, values, async () => measurementSegmentsCsv(measured), async () => measurementFramesCsv(measured, measured));
      context.print(measured, () => formatMeasurements(basename(file), measured));
    },
  },
];
