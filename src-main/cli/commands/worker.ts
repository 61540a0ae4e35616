import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { jobKindSchema, type JobKind } from '../../contract/entities.js';
import { descriptorOf } from '../../jobs/jobKinds.js';
import { parseQueueAddress } from '../../remote/queueAddress.js';
import { QueueWorker } from '../../remote/queueWorker.js';
import type { Command } from '../command.js';
import { UsageError } from '../cliContext.js';

const remoteKinds = jobKindSchema.options.filter((kind) => descriptorOf(kind).remote !== undefined);

function kindsOption(value: unknown): JobKind[] {
  // by default every kind the coordinator sends (media.analyse too: an import's analysis waits for it)
  if (value === undefined) return [...remoteKinds];
  const kinds = String(value).split(',').map((k) => k.trim()).filter((k) => k !== '');
  const unknown = kinds.filter((k) => !(remoteKinds as string[]).includes(k));
  if (unknown.length > 0 || kinds.length === 0) throw new UsageError(`--kinds takes a comma-separated list of ${remoteKinds.join(', ')} (not ${unknown.join(', ') || 'nothing'})`);
  return kinds as JobKind[];
}

function wholeOption(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} takes a whole number from ${min} to ${max} (not ${String(value)})`);
  return n;
}

export const workerCommands: Command[] = [
  {
    name: 'worker',
    summary: 'Take analysis jobs from a Redis job queue and run them on this machine (no database: the coordinator stores the results)',
    usage:
      'walkscope worker --queue redis://HOST:PORT --media-folder DIR [--kinds media.analyse,stage1,measure,stage2] [--concurrency 1] [--scratch DIR] [--threads N] [--lock-seconds 30] [--stop-grace-seconds 30]\n' +
      '--concurrency counts per kind (a worker of three kinds may run three jobs at once, one of each). The password may be given in WALKSCOPE_QUEUE_PASSWORD instead of the URL. SIGTERM or Ctrl+C: running jobs finish (or go back to the queue after the grace), then the worker stops.',
    options: {
      queue: { type: 'string' },
      'media-folder': { type: 'string' },
      kinds: { type: 'string' },
      concurrency: { type: 'string' },
      scratch: { type: 'string' },
      threads: { type: 'string' },
      'lock-seconds': { type: 'string' },
      'stalled-check-seconds': { type: 'string' },
      'stop-grace-seconds': { type: 'string' },
      'health-seconds': { type: 'string' },
    },
    async run(context, _positionals, values) {
      const url = typeof values.queue === 'string' ? values.queue : process.env.WALKSCOPE_QUEUE;
      if (!url) throw new UsageError('give the queue with --queue redis://HOST:PORT (or WALKSCOPE_QUEUE)');
      const mediaFolder = typeof values['media-folder'] === 'string' ? values['media-folder'] : process.env.WALKSCOPE_MEDIA_FOLDER;
      if (!mediaFolder) throw new UsageError('give the shared media folder with --media-folder DIR (or WALKSCOPE_MEDIA_FOLDER)');
      const address = parseQueueAddress(url, process.env.WALKSCOPE_QUEUE_PASSWORD);
      const threads = wholeOption('threads', values.threads, Math.max(1, availableParallelism()), 1, 64);
      const worker = new QueueWorker({
        address,
        mediaDir: resolve(mediaFolder),
        scratchDir: resolve(typeof values.scratch === 'string' ? values.scratch : join(tmpdir(), `walkscope-worker-${process.pid}`)),
        kinds: kindsOption(values.kinds),
        concurrency: wholeOption('concurrency', values.concurrency, 1, 1, 32),
        detectionWorkers: threads,
        inferenceThreads: threads,
        executionProviders: ['cpu'],
        ffmpegPath: process.env.WALKSCOPE_FFMPEG ?? null,
        ffprobePath: process.env.WALKSCOPE_FFPROBE ?? null,
        lockMs: wholeOption('lock-seconds', values['lock-seconds'], 30, 1, 3600) * 1000,
        stalledCheckMs: wholeOption('stalled-check-seconds', values['stalled-check-seconds'], 30, 1, 3600) * 1000,
        stopGraceMs: wholeOption('stop-grace-seconds', values['stop-grace-seconds'], 30, 0, 3600) * 1000,
        healthEveryMs: wholeOption('health-seconds', values['health-seconds'], 10, 1, 3600) * 1000,
        print: (line) => context.io.out(line),
        log: (message, cause) => context.io.err(`${message}${cause ? `: ${String(cause).split('\n')[0]}` : ''}`),
      });
      await worker.start();
      context.io.out(`WalkScope worker ${worker.id} takes ${kindsOption(values.kinds).join(', ')} jobs from ${address.display}; shared media in ${resolve(mediaFolder)}.`);
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          void worker.stop().then(done);
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
    },
  },
];
