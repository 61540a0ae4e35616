import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Job } from '../../../src-main/contract/entities.js';
import { resolveFfmpeg } from '../../../src-main/media/ffmpegPaths.js';
import { WalkScopeApp, type AppOptions } from '../../../src-main/services/walkscopeApp.js';
import { ok } from '../../helpers/tempApp.js';

/**
 * Job leases: a job has one owner while it runs; only jobs whose owner is gone are re-queued.
 * The job is a media analysis of tiny generated videos; its ffprobe is a wrapper that logs each
 * run and, when asked, waits for a gate file, so a test holds a job "running" as long as it likes.
 */

const root = resolve(import.meta.dirname, '../../..');
let work: string;
let videos: string[];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'walkscope-lease-'));
  const { ffmpeg } = resolveFfmpeg();
  videos = Array.from({ length: 6 }, (_, i) => {
    const file = join(work, `walk${i}.mp4`);
    execFileSync(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', `testsrc=size=64x48:rate=15:duration=${1 + i * 0.2}`, '-c:v', 'libx264', '-preset', 'ultrafast', file]);
    return file;
  });
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/**
 * An ffprobe that appends its last argument (the video) to `log` and first waits for `gate`
 * (when given) to exist. `-version` (how WalkScope tells which ffprobe it has) answers at once
 * and is not logged: only probes of videos count as runs.
 */
function slowFfprobe(name: string, options: { gate?: string; sleepSec?: number } = {}): { path: string; runs: () => string[] } {
  const { ffprobe } = resolveFfmpeg();
  const log = join(work, `${name}.log`);
  const path = join(work, `${name}.sh`);
  const wait = options.gate ? `while [ ! -e '${options.gate}' ]; do sleep 0.05; done\n` : '';
  const sleep = options.sleepSec ? `sleep ${options.sleepSec}\n` : '';
  writeFileSync(path, `#!/bin/sh\n[ "$1" = "-version" ] && exec '${ffprobe}' "$@"\nfor last; do :; done\necho "$last" >> '${log}'\n${wait}${sleep}exec '${ffprobe}' "$@"\n`);
  chmodSync(path, 0o755);
  return { path, runs: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []) };
}

async function open(dataDir: string, options: Partial<AppOptions> = {}): Promise<WalkScopeApp> {
  const app = await WalkScopeApp.open({ dataDir, transport: 'test', log: () => {}, ...options });
  let closed = false;
  const close = app.close.bind(app);
  app.close = async () => {
    if (closed) return;
    closed = true;
    await close();
  };
  cleanups.push(() => app.close());
  return app;
}

/** A data folder with one patient and `count` imported videos, their media analyses queued (nothing runs them yet). */
async function seeded(count: number): Promise<{ dataDir: string; jobIds: number[] }> {
  const dataDir = mkdtempSync(join(work, 'data-'));
  const app = await open(dataDir, { runJobs: false });
  ok(await app.call('patients.create', { code: 'L1' }));
  const jobIds: number[] = [];
  for (const video of videos.slice(0, count)) {
    const imported = ok<{ jobId: number | null }>(await app.call('videos.import', { patientCode: 'L1', source: { kind: 'path', path: video } }));
    jobIds.push(imported.jobId!);
  }
  await app.close();
  return { dataDir, jobIds };
}

function useFfprobe(app: WalkScopeApp, path: string): void {
  app.store.settings.update('test', { ffprobePath: path });
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function doneEvents(app: WalkScopeApp): Job[] {
  const done: Job[] = [];
  app.events.on('job.updated', (job) => {
    if (job.status === 'done') done.push(job);
  });
  return done;
}

function runCliProcess(args: string[], dataDir: string): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src-main/cli/main.ts'), ...args, '--data-dir', dataDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolveExit) => child.once('exit', (code) => resolveExit({ code, out, err })));
}

describe('a running job belongs to the runner that claimed it', () => {
  it('opening and closing a second back end on the same data folder leaves the first one\'s job running, owned and run once', async () => {
    const { dataDir, jobIds } = await seeded(1);
    const jobId = jobIds[0]!;
    const gate = join(work, 'gate-a');
    const probe = slowFfprobe('probe-a', { gate });
    const first = await open(dataDir, { runJobs: false });
    const firstDone = doneEvents(first);
    useFfprobe(first, probe.path);
    first.runner.start();
    await until(() => probe.runs().length === 1, 'the job to start');
    expect(first.store.jobs.leaseOf(jobId)?.owner).toBe(first.runner.owner);

    // a read-only back end (a CLI command) and one that runs jobs itself, each opened and closed
    const reader = await open(dataDir, { runJobs: false });
    expect(reader.store.jobs.get(jobId).status).toBe('running');
    await reader.close();
    const other = await open(dataDir);
    const otherDone = doneEvents(other);
    await other.runner.idle();
    await other.close();

    const job = first.store.jobs.get(jobId);
    expect(job).toMatchObject({ status: 'running', attempts: 1 });
    expect(first.store.jobs.leaseOf(jobId)?.owner).toBe(first.runner.owner);

    writeFileSync(gate, '');
    await until(() => first.store.jobs.get(jobId).status === 'done', 'the job to finish');
    await first.runner.idle();
    expect(first.store.jobs.get(jobId)).toMatchObject({ status: 'done', attempts: 1 });
    expect(probe.runs()).toHaveLength(1);
    expect(firstDone.map((j) => j.id)).toEqual([jobId]);
    expect(otherDone).toEqual([]);
  }, 60_000);

  it('`walkscope patients list` in another OS process does not re-queue a job this process runs', async () => {
    const { dataDir, jobIds } = await seeded(1);
    const jobId = jobIds[0]!;
    const gate = join(work, 'gate-b');
    const probe = slowFfprobe('probe-b', { gate });
    const first = await open(dataDir, { runJobs: false });
    useFfprobe(first, probe.path);
    first.runner.start();
    await until(() => probe.runs().length === 1, 'the job to start');

    const listed = await runCliProcess(['patients', 'list', '--json'], dataDir);
    expect(listed.code, listed.err).toBe(0);
    expect(JSON.parse(listed.out)).toMatchObject([{ code: 'L1' }]);

    expect(first.store.jobs.get(jobId)).toMatchObject({ status: 'running', attempts: 1, message: expect.not.stringMatching(/Re-queued/) });
    expect(first.store.jobs.leaseOf(jobId)?.owner).toBe(first.runner.owner);
    writeFileSync(gate, '');
    await until(() => first.store.jobs.get(jobId).status === 'done', 'the job to finish');
    expect(first.store.jobs.get(jobId)).toMatchObject({ status: 'done', attempts: 1 });
    expect(probe.runs()).toHaveLength(1);
  }, 60_000);

  it('a runner that stops gives back only its own jobs, saying why', async () => {
    const { dataDir, jobIds } = await seeded(2);
    const gate = join(work, 'gate-c');
    const probe = slowFfprobe('probe-c', { gate });
    const setup = await open(dataDir, { runJobs: false });
    setup.store.settings.update('test', { jobConcurrency: 1 });
    await setup.close();
    const first = await open(dataDir, { runJobs: false });
    const second = await open(dataDir, { runJobs: false });
    useFfprobe(first, probe.path);
    first.runner.start();
    second.runner.start();
    await until(() => probe.runs().length === 2, 'both jobs to start');
    const ofFirst = jobIds.find((id) => first.store.jobs.leaseOf(id)?.owner === first.runner.owner)!;
    const ofSecond = jobIds.find((id) => first.store.jobs.leaseOf(id)?.owner === second.runner.owner)!;
    expect([ofFirst, ofSecond].sort()).toEqual([...jobIds].sort());

    await second.close(); // as on SIGTERM: the CLI and serve mode close their back end
    expect(first.store.jobs.get(ofSecond)).toMatchObject({ status: 'queued', attempts: 1, message: 'Re-queued: interrupted by shutdown', messagePhrase: { key: 'jobs.progress.requeuedShutdown' } });
    expect(first.store.jobs.get(ofFirst)).toMatchObject({ status: 'running' });
    expect(first.store.jobs.leaseOf(ofFirst)?.owner).toBe(first.runner.owner);
  }, 60_000);
});

describe('a job whose owner is gone', () => {
  it('is re-queued when its owner\'s process is dead, and run by the next runner with the attempt counted', async () => {
    const { dataDir, jobIds } = await seeded(1);
    const jobId = jobIds[0]!;
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const crashed = await open(dataDir, { runJobs: false });
    // what a runner that was killed (SIGKILL) leaves: a running job, its lease not yet run out
    expect(crashed.store.jobs.claimNext(['media.analyse'], `${deadPid}@${hostname()}/killed`, 60_000)).toMatchObject({ id: jobId, status: 'running', message: 'Starting', messagePhrase: { key: 'jobs.progress.starting' } });
    await crashed.close();

    const next = await open(dataDir, { runJobs: false });
    expect(next.store.jobs.get(jobId)).toMatchObject({ status: 'queued', attempts: 1, message: 'Re-queued after an interruption', messagePhrase: { key: 'jobs.progress.requeuedInterrupted' } });
    next.runner.start();
    await until(() => next.store.jobs.get(jobId).status === 'done', 'the job to run again');
    expect(next.store.jobs.get(jobId)).toMatchObject({ status: 'done', attempts: 2 });
  }, 60_000);

  it('is re-queued when its lease ran out (the owner hangs on another machine); a running owner that lost it writes no result', async () => {
    const { dataDir, jobIds } = await seeded(1);
    const jobId = jobIds[0]!;
    const gate = join(work, 'gate-d');
    const probe = slowFfprobe('probe-d', { gate });
    // the hung runner: it holds the job but its heartbeat does not come in time
    const hungLog: string[] = [];
    const hung = await open(dataDir, { runJobs: false, jobs: { leaseMs: 200, heartbeatMs: 60_000 }, log: (message) => hungLog.push(message) });
    const hungDone = doneEvents(hung);
    useFfprobe(hung, probe.path);
    hung.runner.start();
    await until(() => probe.runs().length === 1, 'the job to start');
    await new Promise((r) => setTimeout(r, 300)); // its lease runs out

    const rescuer = await open(dataDir, { jobs: { leaseMs: 10_000, heartbeatMs: 100 } });
    const rescuerDone = doneEvents(rescuer);
    await until(() => probe.runs().length === 2, 'the job to start again');
    expect(rescuer.store.jobs.leaseOf(jobId)?.owner).toBe(rescuer.runner.owner);
    expect(rescuer.store.jobs.get(jobId).attempts).toBe(2);

    writeFileSync(gate, '');
    await until(() => rescuer.store.jobs.get(jobId).status === 'done', 'the job to finish');
    await rescuer.runner.idle();
    await until(() => hungLog.some((m) => m.includes(`job ${jobId} (media.analyse) finished after this runner lost it`)), 'the hung runner to drop its copy');
    await hung.runner.idle();
    expect(rescuer.store.jobs.get(jobId)).toMatchObject({ status: 'done', attempts: 2 });
    expect(rescuerDone.map((j) => j.id)).toEqual([jobId]);
    expect(hungDone).toEqual([]);
    expect(rescuer.store.jobs.leaseOf(jobId)).toBeNull();
  }, 60_000);

  it('fails after its third interruption with the reason, instead of running again', async () => {
    const { dataDir, jobIds } = await seeded(1);
    const jobId = jobIds[0]!;
    const app = await open(dataDir, { runJobs: false });
    const lastSeen: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      // an owner on another machine takes it and stops heartbeating
      expect(app.store.jobs.claimNext(['media.analyse'], `4242@elsewhere/${attempt}`, -1)).toMatchObject({ id: jobId, attempts: attempt });
      lastSeen.push(app.store.jobs.leaseOf(jobId)!.heartbeatAt);
      expect(app.store.jobs.requeueAbandoned()).toEqual([jobId]);
      expect(app.store.jobs.get(jobId).status).toBe(attempt < 3 ? 'queued' : 'failed');
    }
    const failed = app.store.jobs.get(jobId);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, error: { code: 'JOB_INTERRUPTED' } });
    expect(failed.error!.message).toContain(`interrupted 3 times: the last owner stopped at ${new Date(lastSeen[2]!).toISOString()}`);
    app.runner.start();
    await app.runner.idle();
    expect(app.store.jobs.get(jobId)).toMatchObject({ status: 'failed', attempts: 3 });
  }, 60_000);

  it('a job interrupted by shutdowns fails after the bound too (maxAttempts is an option)', async () => {
    const { dataDir, jobIds } = await seeded(1);
    const jobId = jobIds[0]!;
    const gate = join(work, 'gate-never');
    const probe = slowFfprobe('probe-e', { gate });
    for (let attempt = 1; attempt <= 2; attempt++) {
      const app = await open(dataDir, { runJobs: false, jobs: { maxAttempts: 2 } });
      useFfprobe(app, probe.path);
      app.runner.start();
      await until(() => probe.runs().length === attempt, `attempt ${attempt} to start`);
      await app.close();
    }
    const after = await open(dataDir, { runJobs: false });
    const job = after.store.jobs.get(jobId);
    expect(job).toMatchObject({ status: 'failed', attempts: 2, error: { code: 'JOB_INTERRUPTED' } });
    expect(job.error!.message).toContain('interrupted 2 times: the last owner stopped at ');
  }, 60_000);
});

describe('claiming is atomic', () => {
  it('two runners racing for the queue in one process run each job exactly once', async () => {
    const { dataDir, jobIds } = await seeded(6);
    const probe = slowFfprobe('probe-f', { sleepSec: 0.2 });
    const a = await open(dataDir, { runJobs: false });
    const b = await open(dataDir, { runJobs: false });
    a.store.settings.update('test', { jobConcurrency: 2, ffprobePath: probe.path });
    const done = [...[a, b].map(doneEvents)];
    a.runner.start();
    b.runner.start();
    await Promise.all([a.runner.idle(), b.runner.idle()]);
    await until(() => jobIds.every((id) => a.store.jobs.get(id).status === 'done'), 'every job to finish');
    expect(jobIds.map((id) => a.store.jobs.get(id).attempts)).toEqual(jobIds.map(() => 1));
    expect(done.flat().map((j) => j.id).sort((x, y) => x - y)).toEqual(jobIds);
    expect(probe.runs()).toHaveLength(jobIds.length);
  }, 60_000);

  it('three `walkscope jobs run` processes on one data folder run each job exactly once', async () => {
    const { dataDir, jobIds } = await seeded(6);
    const probe = slowFfprobe('probe-g', { sleepSec: 0.3 });
    const setup = await open(dataDir, { runJobs: false });
    setup.store.settings.update('test', { jobConcurrency: 2, ffprobePath: probe.path });
    await setup.close();
    const results = await Promise.all([0, 1, 2].map(() => runCliProcess(['jobs', 'run'], dataDir)));
    // (a process whose queue ran dry while another still ran a job it saw queued exits 1: that job was not done yet)
    for (const r of results) expect([0, 1], r.err).toContain(r.code);
    const check = await open(dataDir, { runJobs: false });
    expect(jobIds.map((id) => check.store.jobs.get(id))).toEqual(jobIds.map(() => expect.objectContaining({ status: 'done', attempts: 1 })));
    expect(probe.runs()).toHaveLength(jobIds.length);
  }, 120_000);
});

describe('a job\'s progress message', () => {
  it('reaches jobs.list and job.updated as English text and as the phrase it was made from', async () => {
    const { dataDir, jobIds } = await seeded(1);
    const jobId = jobIds[0]!;
    const gate = join(work, 'gate-phrase');
    const probe = slowFfprobe('probe-phrase', { gate });
    const app = await open(dataDir, { runJobs: false });
    const updates: Job[] = [];
    app.events.on('job.updated', (job) => updates.push(job));
    useFfprobe(app, probe.path);
    app.runner.start();
    // the frame scan waits for the gate: the job has said what it does and is held there
    await until(() => probe.runs().length === 1 && app.store.jobs.get(jobId).message === 'Reading frame timestamps', 'the job to read timestamps');
    const running = ok<Job[]>(await app.call('jobs.list', {})).find((j) => j.id === jobId);
    expect(running).toMatchObject({ status: 'running', message: 'Reading frame timestamps', messagePhrase: { key: 'jobs.progress.readingTimestamps' } });

    writeFileSync(gate, '');
    await until(() => app.store.jobs.get(jobId).status === 'done', 'the job to finish');
    const done = ok<Job[]>(await app.call('jobs.list', { status: ['done'] })).find((j) => j.id === jobId);
    expect(done).toMatchObject({ status: 'done', message: 'Done', messagePhrase: { key: 'jobs.progress.done' } });
    const said = updates.filter((j) => j.id === jobId).map((j) => [j.message, j.messagePhrase?.key ?? null]);
    expect(said[0]).toEqual(['Starting', 'jobs.progress.starting']);
    expect(said).toContainEqual(['Reading frame timestamps', 'jobs.progress.readingTimestamps']);
    expect(said.at(-1)).toEqual(['Done', 'jobs.progress.done']);
  }, 60_000);
});
