/**
 * The job queue on Redis (issue 17): what one job costs over the SQLite queue, and how
 * throughput grows with workers. Prints tables; asserts nothing.
 *
 *   node --import tsx test/bench/queue.bench.ts        (or: npm run bench -- queue)
 *
 * The jobs are real: stage 2 with the tiny random-weight fixture bundle (not a clinical model)
 * on a real walking clip from ../shared/testdata, in `walkscope worker` processes against a
 * private redis-server on loopback.
 *
 * 1. Per-job overhead. The same job, one at a time (BENCH_SEQUENTIAL, default 5): end to end in
 *    the coordinator's database (queued to done) on the SQLite queue (a local job thread) and on
 *    the Redis queue (one worker); and, for the Redis queue, end to end minus the work itself as
 *    the worker timed it: what the queue, the shared folder and the commit add.
 * 2. Scaling. BENCH_JOBS (default 9) jobs queued at once, drained by 1 and then by 3 workers,
 *    each worker in a cgroup (v1 cpu controller) of its own held to BENCH_CPU_SHARE (default
 *    0.4) of one core, so that three workers fit on this 2-core machine beside the coordinator
 *    and Redis and each gets the same CPU as the one worker alone. Without a writable cgroup the
 *    workers run unlimited and the table says so (then 3 workers cannot show scaling on 2 cores).
 */
import { mkdirSync, mkdtempSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ModelBundle, Video } from '../../src-main/contract/entities.js';
import type { WalkScopeApp } from '../../src-main/services/walkscopeApp.js';
import { jobsFinished, stage2ParamsOf } from '../helpers/remote/coordinatorJobs.js';
import { redisServerAvailable, startTestRedis, type TestRedis } from '../helpers/remote/redisServer.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/remote/workerProcess.js';
import { ok, openTempApp } from '../helpers/tempApp.js';
import { clips, requireTestdata, testVideo } from '../helpers/testdata.js';

const tiny = resolve(import.meta.dirname, '../fixtures/models/slow_r50-tiny');
const sequentialRuns = Number(process.env.BENCH_SEQUENTIAL ?? 5);
const scalingJobs = Number(process.env.BENCH_JOBS ?? 9);
const cpuShare = Number(process.env.BENCH_CPU_SHARE ?? 0.4);
const clip = clips.intelWorker15fps;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(0)} ms`;

interface Coordinator {
  app: WalkScopeApp;
  dispose: () => Promise<void>;
  video: Video;
  model: ModelBundle;
}

async function openCoordinator(queue?: { url: string; mediaFolder: string }): Promise<Coordinator> {
  const { app, dispose } = await openTempApp(queue ? { queue: { ...queue, pollMs: 200, backoffMs: 200 } } : {});
  ok(await app.call('patients.create', { code: 'BENCH-1', diagnosis: 'ASD' }));
  const video = ok<{ video: Video }>(await app.call('videos.import', { patientCode: 'BENCH-1', source: { kind: 'path', path: testVideo(clip) } })).video;
  const model = ok<ModelBundle>(await app.call('models.import', { source: { kind: 'path', path: tiny } }));
  await jobsFinished(app, app.store.jobs.list(undefined, 1000).map((job) => job.id), 180_000);
  return { app, dispose, video, model };
}

/** Queued-to-done of one job at a time, as the coordinator's database records it. */
async function sequential(coordinator: Coordinator, runs: number): Promise<Array<{ id: number; endToEndMs: number }>> {
  const timings: Array<{ id: number; endToEndMs: number }> = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const { id } = coordinator.app.runner.enqueue('stage2', coordinator.video.id, stage2ParamsOf(coordinator.app, coordinator.video, coordinator.model));
    const [job] = await jobsFinished(coordinator.app, [id], 300_000, 5);
    if (job!.status !== 'done') throw new Error(`bench job ${id} ended ${job!.status}: ${job!.error?.message}`);
    timings.push({ id, endToEndMs: performance.now() - started });
  }
  return timings;
}

/** The work time the worker printed for a remote job (`job ws-N: done in X ms`). */
async function workMsOf(worker: WorkerProcess, jobId: number): Promise<number> {
  const line = await worker.waitFor(new RegExp(`^job ws-${jobId}: done in \\d+ ms$`), 10_000);
  return Number(/done in (\d+) ms/.exec(line)![1]);
}

/** A cgroup (v1 cpu controller) holding a process to `share` of one core; undefined where none can be made. */
function cpuLimit(name: string, share: number): { add(pid: number): void; remove(): void } | undefined {
  const dir = `/sys/fs/cgroup/cpu/${name}`;
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, 'cpu.cfs_period_us'), '100000');
    writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(Math.round(share * 100_000)));
  } catch {
    return undefined;
  }
  return {
    add: (pid) => writeFileSync(join(dir, 'cgroup.procs'), String(pid)),
    remove: () => {
      try {
        rmdirSync(dir);
      } catch {
        // a process still in it: the kernel removes nothing; the name is unique per run
      }
    },
  };
}

async function main(): Promise<void> {
  if (!redisServerAvailable() || !requireTestdata()) return;
  const redis: TestRedis = await startTestRedis();
  const mediaFolder = mkdtempSync(join(tmpdir(), 'walkscope-bench-media-'));
  const scratchRoot = mkdtempSync(join(tmpdir(), 'walkscope-bench-workers-'));
  const workers: WorkerProcess[] = [];
  const limits: Array<{ remove(): void }> = [];
  let limited = true;
  let workersStarted = 0;
  const startWorker = async (share?: number): Promise<WorkerProcess> => {
    const worker = startWorkerProcess(
      ['--queue', `redis://walkscope@127.0.0.1:${redis.port}`, '--media-folder', mediaFolder, '--kinds', 'media.analyse,stage2', '--concurrency', '1', '--threads', '1', '--scratch', join(scratchRoot, `w${workersStarted}`), '--health-seconds', '60'],
      { ...process.env, WALKSCOPE_QUEUE_PASSWORD: redis.password },
    );
    if (share !== undefined) {
      const limit = cpuLimit(`walkscope-bench-${process.pid}-${workersStarted}`, share);
      if (limit) {
        limit.add(worker.child.pid!);
        limits.push(limit);
      } else limited = false;
    }
    workers.push(worker);
    workersStarted++;
    await worker.waitFor(/^health .* redis=ready/);
    return worker;
  };
  const stopWorkers = async () => {
    for (const worker of workers.splice(0)) {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
  };

  try {
    // 1. per-job overhead: SQLite (local job thread) against Redis (one worker, unlimited)
    const local = await openCoordinator();
    await sequential(local, 1); // warm: the session cache and the page cache
    const localRuns = await sequential(local, sequentialRuns);
    await local.dispose();

    const one = await startWorker();
    const remote = await openCoordinator({ url: redis.url, mediaFolder });
    await sequential(remote, 1);
    const remoteRuns = await sequential(remote, sequentialRuns);
    const queueOverheads = await Promise.all(remoteRuns.map(async (run) => run.endToEndMs - (await workMsOf(one, run.id))));
    await stopWorkers();

    const localMs = median(localRuns.map((run) => run.endToEndMs));
    const remoteMs = median(remoteRuns.map((run) => run.endToEndMs));
    console.log(`\nPer-job overhead: one stage 2 job at a time on ${clip} (tiny random-weight bundle), median of ${sequentialRuns}`);
    console.log(`  SQLite queue, local job thread   queued to done ${ms(localMs)}`);
    console.log(`  Redis queue, one worker          queued to done ${ms(remoteMs)}  (${(remoteMs / localMs).toFixed(2)}x; +${ms(remoteMs - localMs)})`);
    console.log(`  Redis queue: end to end minus the worker's work   ${ms(median(queueOverheads))}  (min ${ms(Math.min(...queueOverheads))}, max ${ms(Math.max(...queueOverheads))}; goal < 50 ms)`);

    // 2. scaling at equal CPU share
    const drain = async (workerCount: number): Promise<number> => {
      for (let i = 0; i < workerCount; i++) await startWorker(cpuShare);
      const started = performance.now();
      const ids = Array.from({ length: scalingJobs }, () => remote.app.runner.enqueue('stage2', remote.video.id, stage2ParamsOf(remote.app, remote.video, remote.model)).id);
      const jobs = await jobsFinished(remote.app, ids, 1_800_000, 50);
      const elapsed = performance.now() - started;
      if (jobs.some((job) => job.status !== 'done')) throw new Error(`a scaling job failed: ${jobs.map((job) => job.status).join(',')}`);
      await stopWorkers();
      return elapsed;
    };
    const oneWorker = await drain(1);
    const threeWorkers = await drain(3);
    await remote.dispose();
    const perMinute = (elapsed: number) => ((scalingJobs / elapsed) * 60_000).toFixed(1);
    console.log(`\nScaling: ${scalingJobs} stage 2 jobs queued at once, each worker ${limited ? `held to ${cpuShare} of a core (cgroup v1 cpu quota)` : 'UNLIMITED (no writable cgroup here: the ratio says nothing about scaling)'}`);
    console.log(`  1 worker    ${(oneWorker / 1000).toFixed(1)} s   ${perMinute(oneWorker)} jobs/min`);
    console.log(`  3 workers   ${(threeWorkers / 1000).toFixed(1)} s   ${perMinute(threeWorkers)} jobs/min   ${(oneWorker / threeWorkers).toFixed(2)}x (goal >= 2.4x)`);
  } finally {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await redis.stop();
    for (const limit of limits) limit.remove();
    rmSync(mediaFolder, { recursive: true, force: true });
    rmSync(scratchRoot, { recursive: true, force: true });
  }
}

await main();
