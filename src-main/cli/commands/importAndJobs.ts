import { resolve } from 'node:path';
import type { AppInfo, Job } from '../../contract/entities.js';
import { viewValues } from '../../contract/entities.js';
import type { Command } from '../command.js';
import { CallFailed, UsageError, type CliContext } from '../cliContext.js';
import { formatDuration, formatTable, ProgressReporter } from '../output.js';
import { videoTable } from './patients.js';
import { auditLine } from '../auditChainText.js';

export function jobTable(jobs: Job[]): string {
  return formatTable(jobs, [
    { header: 'id', value: (j) => j.id, align: 'right' },
    { header: 'kind', value: (j) => j.kind },
    { header: 'status', value: (j) => j.status },
    { header: 'video', value: (j) => j.videoId, align: 'right' },
    { header: 'progress', value: (j) => `${Math.round(j.progress * 100)}%`, align: 'right' },
    { header: 'left', value: (j) => (j.etaSec === null ? '' : formatDuration(j.etaSec)), align: 'right' },
    // with the Redis queue: the worker (host/pid/id) that ran or runs each job
    ...(jobs.some((j) => j.worker) ? [{ header: 'worker', value: (j: Job) => j.worker ?? 'this machine' }] : []),
    { header: 'message', value: (j) => (j.error ? `${j.error.code}: ${j.error.message}` : j.message) },
  ]);
}

/** Runs the queue in this process until it is empty, with a progress bar for the given jobs and the later steps of the given analysis runs. */
export async function waitForJobs(context: CliContext, jobIds: number[], runIds: number[] = []): Promise<Job[]> {
  const app = await context.app();
  const reporter = new ProgressReporter();
  const watching = new Set(jobIds);
  const runs = new Set(runIds);
  const off = app.events.on('job.updated', (job) => {
    if (!watching.has(job.id) && !(job.runId !== null && runs.has(job.runId))) return;
    if (!context.json) reporter.update(`job ${job.id} ${job.kind}`, job.progress, job.message);
  });
  app.runner.start();
  await app.runner.idle();
  off();
  if (!context.json) reporter.done();
  return jobIds.map((id) => app.store.jobs.get(id));
}

/** `walkscope info` as text: the version, the data folder, the video tools (path, version, why), then the warnings. */
export function formatInfo(info: AppInfo): string {
  const tools = info.ffmpeg
    ? [
        `ffmpeg: ${info.ffmpeg.path} (${info.ffmpeg.source}, ${info.ffmpeg.version ?? 'version unknown'}; ${info.ffmpeg.reason})`,
        `ffprobe: ${info.ffmpeg.ffprobe.path} (${info.ffmpeg.ffprobe.source}, ${info.ffmpeg.ffprobe.version ?? 'version unknown'})`,
      ]
    : ['ffmpeg: not found'];
  const lines = [`WalkScope ${info.version}`, `Data folder: ${info.dataDir}`, `Database schema: ${info.schemaVersion}`, `Database at rest: ${info.databaseEncryption.encrypted ? `encrypted (key from ${info.databaseEncryption.keySource}); new vault videos and thumbnails are encrypted with it` : 'not encrypted'}`, ...tools, `User: ${info.actor}`, `Audit log: ${auditLine(info.auditChain)}`];
  return [...lines, ...info.warnings.map((w) => `Warning: ${w}`)].join('\n');
}

export const importAndJobCommands: Command[] = [
  {
    name: 'import',
    summary: 'Import one or more videos for a patient (copied into the vault, checked, analysed)',
    usage: `walkscope import <file...> --patient <code> [--view ${viewValues.join('|')}] [--no-wait] [--json]`,
    options: { patient: { type: 'string' }, view: { type: 'string' }, 'no-wait': { type: 'boolean' } },
    async run(context, positionals, values) {
      if (positionals.length === 0) throw new UsageError('give at least one video file');
      if (typeof values.patient !== 'string') throw new UsageError('give the patient with --patient <code>');
      const results: Array<{ file: string; ok: boolean; videoId?: number; deduplicated?: boolean; error?: { code: string; message: string } }> = [];
      const jobIds: number[] = [];
      for (const file of positionals) {
        try {
          const reply = await context.call('videos.import', {
            patientCode: values.patient,
            source: { kind: 'path', path: resolve(file) },
            ...(typeof values.view === 'string' ? { view: values.view as (typeof viewValues)[number] } : {}),
          });
          if (reply.jobId !== null) jobIds.push(reply.jobId);
          results.push({ file, ok: true, videoId: reply.video.id, deduplicated: reply.deduplicated });
          if (!context.json) context.io.err(`${reply.deduplicated ? 'Already stored' : 'Imported'}: ${file} -> video ${reply.video.id}`);
        } catch (error) {
          if (!(error instanceof CallFailed)) throw error;
          results.push({ file, ok: false, error: error.reply });
          // a folder of videos: walkscope prepare takes folders (stage 1 without the app)
          const hint = error.reply.code === 'FILE_IS_FOLDER' ? ` For a whole folder of videos, use walkscope prepare ${file} --out DIR.` : '';
          if (!context.json) context.io.err(`Refused: ${file}: ${error.reply.message}${hint} [${error.reply.code}]`);
        }
      }
      if (values['no-wait'] !== true && jobIds.length > 0) await waitForJobs(context, jobIds);
      const app = await context.app();
      const videos = results.filter((r) => r.videoId !== undefined).map((r) => app.store.videos.get(r.videoId!));
      context.print(results, () => (videos.length > 0 ? videoTable(videos) : 'Nothing was imported.'));
      return results.every((r) => r.ok) ? 0 : 1;
    },
  },
  {
    name: 'jobs list',
    summary: 'List jobs and their progress',
    usage: 'walkscope jobs [list] [--status queued,running,done,failed,cancelled] [--json]',
    options: { status: { type: 'string' } },
    async run(context, _positionals, values) {
      const status = typeof values.status === 'string' ? (values.status.split(',') as Job['status'][]) : undefined;
      const jobs = await context.call('jobs.list', status ? { status } : {});
      context.print(jobs, () => (jobs.length === 0 ? 'No jobs.' : jobTable(jobs)));
    },
  },
  {
    name: 'jobs cancel',
    summary: 'Cancel a queued or running job',
    usage: 'walkscope jobs cancel <id>',
    async run(context, positionals) {
      const id = Number(positionals[0]);
      if (!Number.isInteger(id) || id <= 0) throw new UsageError('give the job id, e.g. walkscope jobs cancel 12');
      const job = await context.call('jobs.cancel', { id });
      context.print(job, () => `Job ${job.id} is ${job.status}.`);
    },
  },
  {
    name: 'jobs run',
    summary: 'Run every queued job in this process until the queue is empty',
    usage: 'walkscope jobs run',
    async run(context) {
      const app = await context.app();
      const queued = app.store.jobs.list(['queued']).map((j) => j.id);
      const finished = await waitForJobs(context, queued);
      context.print(finished, () => (finished.length === 0 ? 'No queued jobs.' : jobTable(finished)));
      return finished.every((j) => j.status === 'done') ? 0 : 1;
    },
  },
  {
    name: 'info',
    summary: "Show the version, the data folder, the video tools in use and whether the audit log's hash chain holds",
    usage: 'walkscope info [--json]',
    async run(context) {
      const info = await context.call('app.info', {});
      context.print(info, () => formatInfo(info));
    },
  },
];
