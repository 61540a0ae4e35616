import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Job as BullJob, Queue } from 'bullmq';
import type { ModelBundle, Video } from '../../../src-main/contract/entities.js';
import { parseQueueAddress, redisOptionsOf } from '../../../src-main/remote/queueAddress.js';
import { QueueWorker } from '../../../src-main/remote/queueWorker.js';
import { decodeFailure, queueNameOf } from '../../../src-main/remote/remoteEnvelope.js';
import { SharedMediaStore } from '../../../src-main/remote/sharedMediaStore.js';
import { WalkScopeApp } from '../../../src-main/services/walkscopeApp.js';
import Database from 'better-sqlite3';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';
import { ok, openTempApp } from '../../helpers/tempApp.js';
import { redisServerAvailable, startTestRedis, type TestRedis } from '../../helpers/remote/redisServer.js';
import { startWorkerProcess, type WorkerProcess } from '../../helpers/remote/workerProcess.js';
import { jobsFinished, stage2ParamsOf } from '../../helpers/remote/coordinatorJobs.js';

const tiny = resolve(import.meta.dirname, '../../fixtures/models/slow_r50-tiny');
const walkingClips = [clips.intelWorker15fps, clips.intelBackview10fps, clips.sports2dH264, clips.intelEmptyRoom, clips.sports2dVp9];

/**
 * The remote queue across processes: this test is the coordinator (a WalkScopeApp with the Redis
 * queue), and `walkscope worker` runs in three processes of its own on loopback, against a
 * private redis-server with an ACL user and a password. The jobs are real: stage 2 with the tiny
 * random-weight fixture bundle (not a clinical model) on the real walking clips, and the media
 * analysis of their import. Nothing here is a clinical result.
 */
describe.runIf(redisServerAvailable() && requireTestdata())('the job queue on Redis: a coordinator and three workers in processes of their own', () => {
  let redis: TestRedis;
  let app: WalkScopeApp;
  let dataDir: string;
  const coordinatorOptions = () => ({
    queue: { url: redis.url, mediaFolder, pollMs: 300, backoffMs: 200 },
    log: (message: string, cause?: unknown) => void coordinatorLog.push(`${message} ${cause === undefined ? '' : String(cause)}`),
  });
  let mediaFolder: string;
  let scratchRoot: string;
  const workers: WorkerProcess[] = [];
  const coordinatorLog: string[] = [];
  let videos: Video[] = [];
  let model: ModelBundle;
  let urlWithoutPassword: string;

  const workerEnv = () => ({ ...process.env, WALKSCOPE_QUEUE_PASSWORD: redis.password });
  function startWorker(kinds = 'media.analyse,stage1,stage2'): WorkerProcess {
    const scratch = join(scratchRoot, `w${workers.length}`);
    const worker = startWorkerProcess(
      ['--queue', urlWithoutPassword, '--media-folder', mediaFolder, '--kinds', kinds, '--concurrency', '1', '--threads', '1', '--scratch', scratch, '--lock-seconds', '5', '--stalled-check-seconds', '2', '--health-seconds', '2', '--stop-grace-seconds', '5'],
      workerEnv(),
    );
    workers.push(worker);
    return worker;
  }
  const live = () => workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);

  const stage2Params = (video: Video) => stage2ParamsOf(app, video, model);
  const finished = (ids: number[], timeoutMs: number) => jobsFinished(app, ids, timeoutMs);

  beforeAll(async () => {
    redis = await startTestRedis();
    urlWithoutPassword = `redis://walkscope@127.0.0.1:${redis.port}`;
    mediaFolder = mkdtempSync(join(tmpdir(), 'walkscope-media-'));
    scratchRoot = mkdtempSync(join(tmpdir(), 'walkscope-workers-'));
    ({ app, dataDir } = await openTempApp(coordinatorOptions()));
    for (let i = 0; i < 3; i++) startWorker();
    await Promise.all(workers.map((w) => w.waitFor(/^health .* redis=ready/)));
    ok(await app.call('patients.create', { code: 'RQ-1', diagnosis: 'ASD' }));
    for (const clip of walkingClips) videos.push(ok<{ video: Video }>(await app.call('videos.import', { patientCode: 'RQ-1', source: { kind: 'path', path: testVideo(clip) } })).video);
    model = ok<ModelBundle>(await app.call('models.import', { source: { kind: 'path', path: tiny } }));
    // the media analysis of each import ran on a worker and was stored here
    const imports = await finished(app.store.jobs.list(undefined, 10_000).filter((j) => j.kind === 'media.analyse').map((j) => j.id), 120_000);
    expect(imports.map((j) => j.status)).toEqual(videos.map(() => 'done'));
    videos = videos.map((v) => app.store.videos.get(v.id) as unknown as Video);
  }, 180_000);

  afterAll(async () => {
    if (process.env.WALKSCOPE_DEBUG_REMOTE) {
      console.log(`coordinator log:\n${coordinatorLog.join('\n')}`);
      console.log(`jobs:\n${app.store.jobs.list(undefined, 10_000).map((j) => `${j.id} ${j.kind} ${j.status} ${j.attempts} ${j.worker ?? ''} ${j.error?.code ?? ''}`).join('\n')}`);
      workers.forEach((w, i) => console.log(`worker ${i}:\n${w.lines.filter((l) => !l.startsWith('health')).join('\n')}\n${w.stderr()}`));
    }
    for (const worker of live()) worker.child.kill('SIGKILL');
    await app?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await redis?.stop();
    rmSync(mediaFolder, { recursive: true, force: true });
    rmSync(scratchRoot, { recursive: true, force: true });
  });

  it('stores the media analysis a worker made: the frame count and the thumbnail, named by the worker that ran it', () => {
    for (const video of videos) {
      const stored = app.store.videos.get(video.id);
      expect(stored.thumbnailPath).toMatch(/^thumbnails\//);
      expect(stored.probe.frameCount).toBeGreaterThan(0);
    }
    const job = app.store.jobs.list(undefined, 10_000).find((j) => j.kind === 'media.analyse')!;
    expect(job.worker).toMatch(/\/\d+\/[0-9a-f]{6}$/);
  });

  it('drains 30 real-clip jobs over three workers with 5 of them killed (kill -9) mid-job and Redis restarted once: every job committed exactly once, no orphan files', async () => {
    const started = Date.now();
    const jobIds = Array.from({ length: 30 }, (_, i) => app.runner.enqueue('stage2', videos[i % videos.length]!.id, stage2Params(videos[i % videos.length]!)).id);
    const killedJobs = new Set<string>();
    for (let trial = 0; trial < 5; trial++) {
      const victims = live();
      const seen = victims.map((w) => w.lines.length);
      // the next job a worker starts that no earlier trial killed: kill that worker while it runs
      // it (a job killed more often than BullMQ's stalled limit fails, by design: five trials, five jobs)
      const nextFreshStart = (w: WorkerProcess, from: number): Promise<WorkerProcess> =>
        w.waitFor(/^job ws-\d+: stage2 .* started$/, 120_000, from).then((line) => {
          const remoteId = /^job (ws-\d+)/.exec(line)![1]!;
          if (!killedJobs.has(remoteId)) {
            killedJobs.add(remoteId);
            return w;
          }
          return nextFreshStart(w, w.lines.indexOf(line) + 1);
        });
      const victim = await Promise.race(victims.map((w, i) => nextFreshStart(w, seen[i]!)));
      victim.child.kill('SIGKILL');
      await victim.exited;
      startWorker();
      if (trial === 2) await redis.restart();
    }
    const jobs = await finished(jobIds, 300_000);
    const elapsed = Date.now() - started;
    expect(jobs.map((j) => j.status)).toEqual(jobIds.map(() => 'done'));
    // exactly once: one stage 2 analysis per job
    const perJob = app.store.db.prepare(`SELECT job_id AS jobId, COUNT(*) AS n FROM analyses WHERE stage = 2 GROUP BY job_id`).all() as Array<{ jobId: number; n: number }>;
    expect(perJob.filter((row) => jobIds.includes(row.jobId)).map((row) => row.n)).toEqual(jobIds.map(() => 1));
    const byWorker = new Map<string, number>();
    for (const job of jobs) byWorker.set(job.worker ?? 'here', (byWorker.get(job.worker ?? 'here') ?? 0) + 1);
    console.log(`[remote queue] 30 stage 2 jobs in ${(elapsed / 1000).toFixed(1)} s over ${byWorker.size} workers (${[...byWorker.values()].join(', ')}), 5 killed mid-job, Redis restarted once; attempts: ${jobs.map((j) => j.attempts).join(',')}`);
    expect([...byWorker.keys()].every((w) => w !== 'here')).toBe(true);

    // no orphans: the vault's temporary folder is empty, the shared folder holds only inputs
    // (the videos and the bundle), and the temporary files of killed workers go once their
    // registration runs out (a live worker sweeps them)
    await expect.poll(() => readdirSync(app.store.vault.tmpDir).length, { timeout: 10_000 }).toBe(0);
    const inputs = new Set([...videos.map((v) => app.store.videos.get(v.id).sha256), ...readdirSync(tiny).map((name) => createHash('sha256').update(readFileSync(join(tiny, name))).digest('hex'))]);
    const objects = await new SharedMediaStore(mediaFolder, 'test-reader').list();
    expect(objects.filter((ref) => !inputs.has(ref.sha256))).toEqual([]);
    const liveFolders = () => live().length;
    await expect.poll(() => readdirSync(join(mediaFolder, 'tmp')).length, { timeout: 45_000, interval: 1000 }).toBeLessThanOrEqual(liveFolders() + 1);
    // the remote copies of committed jobs are gone from Redis
    const queue = new Queue(queueNameOf('stage2'), { connection: redisOptionsOf(parseQueueAddress(redis.url)) as never });
    try {
      await expect.poll(async () => (await Promise.all(jobIds.map((id) => BullJob.fromId(queue, `ws-${id}`)))).filter(Boolean).length, { timeout: 10_000 }).toBe(0);
    } finally {
      await queue.close();
    }
  }, 600_000);

  it('a coordinator closed while a worker runs its job reads the result when it opens again, and commits it once', async () => {
    const video = videos[0]!;
    const jobId = app.runner.enqueue('stage2', video.id, stage2Params(video)).id;
    const runner = await Promise.race(live().map((w) => w.waitFor(new RegExp(`^job ws-${jobId}: stage2 .* started$`), 120_000).then(() => w)));
    await app.close();
    // the worker finishes with nobody listening: the result waits in Redis
    await runner.waitFor(new RegExp(`^job ws-${jobId}: done in \\d+ ms$`), 120_000);
    const closed = new Database(join(dataDir, 'walkscope.db'), { readonly: true });
    expect(closed.prepare('SELECT status FROM jobs WHERE id = ?').get(jobId)).toEqual({ status: 'queued' });
    closed.close();
    app = await WalkScopeApp.open({ dataDir, transport: 'test', ...coordinatorOptions() });
    const [job] = await finished([jobId], 60_000);
    expect(job!.status).toBe('done');
    expect(app.store.db.prepare('SELECT COUNT(*) AS n FROM analyses WHERE job_id = ?').get(jobId)).toEqual({ n: 1 });
    // it ran once: no worker started it a second time
    expect(workers.flatMap((w) => w.lines).filter((line) => line.startsWith(`job ws-${jobId}: stage2`))).toHaveLength(1);
  }, 240_000);

  it('cancels a job running on a worker: the worker stops it and nothing is stored', async () => {
    const video = videos.find((v) => v.originalName === clips.sports2dH264)!;
    const stored = app.store.videos.get(video.id);
    const job = app.runner.enqueue('stage1', video.id, { videoId: video.id, videoPath: app.store.vault.absolute(stored.vaultPath), mode: 'pad', size: 256, patient: 'walker', displayName: stored.originalName });
    const runner = await Promise.race(live().map((w) => w.waitFor(new RegExp(`^job ws-${job.id}: stage1 .* started$`), 120_000).then(() => w)));
    await expect.poll(() => app.store.jobs.get(job.id).status, { timeout: 30_000 }).toBe('running');
    const cancelled = await app.runner.cancel(job.id);
    expect(cancelled.status).toBe('cancelled');
    await runner.waitFor(new RegExp(`^job ws-${job.id}: failed: JOB_CANCELLED$`), 30_000);
    expect(app.store.analyses.current(video.id, 1)).toBeUndefined();
  }, 180_000);

  it('refuses a job whose shared video does not match its hash, names it, and stores nothing', async () => {
    // the shared copy of a clip not imported yet is damaged before the import sends it
    const path = testVideo(clips.intelWorker15fps);
    const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
    const dir = mkdtempSync(join(tmpdir(), 'walkscope-dup-'));
    // a different patient imports a byte-different copy: the same clip with a trailing byte, so its own hash
    const copy = join(dir, 'copy.mp4');
    writeFileSync(copy, Buffer.concat([readFileSync(path), Buffer.from([0])]));
    const copySha = createHash('sha256').update(readFileSync(copy)).digest('hex');
    mkdirSync(join(mediaFolder, 'objects', copySha.slice(0, 2)), { recursive: true });
    writeFileSync(join(mediaFolder, 'objects', copySha.slice(0, 2), `${copySha}.mp4`), 'not the video');
    ok(await app.call('patients.create', { code: 'RQ-2', diagnosis: 'ASD' }));
    const video = ok<{ video: Video }>(await app.call('videos.import', { patientCode: 'RQ-2', source: { kind: 'path', path: copy } })).video;
    const job = app.store.jobs.list(undefined, 10_000).find((j) => j.kind === 'media.analyse' && j.videoId === video.id)!;
    const [failed] = await finished([job.id], 60_000);
    expect(failed!.status).toBe('failed');
    expect(failed!.error?.code).toBe('MEDIA_HASH_MISMATCH');
    expect(failed!.error?.message).toContain('does not match its checksum');
    expect(app.store.videos.get(video.id).thumbnailPath).toBeNull();
    // the damaged shared copy was removed, so the next job sends a good one
    expect(readdirSync(join(mediaFolder, 'objects', copySha.slice(0, 2))).includes(`${copySha}.mp4`)).toBe(false);
    expect(sha).not.toBe(copySha);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('refuses a malformed payload pushed by hand and a job of another version, with a sentence, and the worker goes on', async () => {
    const queue = new Queue(queueNameOf('stage2'), { connection: redisOptionsOf(parseQueueAddress(redis.url)) as never });
    try {
      const bad = await queue.add('by hand', { hello: 'world' }, { jobId: 'by-hand-1' });
      const other = await queue.add('other version', { app: 'walkscope', version: '99.0.0', kind: 'stage2', jobId: 99999, params: {}, inputs: {} }, { jobId: 'other-version-1' });
      const reasons = await Promise.all(
        [bad, other].map(async (job) => {
          await expect.poll(async () => (await BullJob.fromId(queue, job.id!))?.getState(), { timeout: 30_000 }).toBe('failed');
          return decodeFailure((await BullJob.fromId(queue, job.id!))!.failedReason);
        }),
      );
      expect(reasons[0]!.code).toBe('REMOTE_PAYLOAD_INVALID');
      expect(reasons[0]!.message).toMatch(/^A job in the remote queue was refused: job by-hand-1 has fields this version does not accept: app, version, kind, jobId, params/);
      expect(reasons[1]!.code).toBe('WORKER_VERSION_MISMATCH');
      expect(reasons[1]!.message).toContain('was queued by WalkScope 99.0.0');
      // the workers are still up and say how many they refused
      const all = live().flatMap((w) => w.lines);
      expect(all.some((line) => line.startsWith('refused job by-hand-1: its payload does not match'))).toBe(true);
      await Promise.all(live().map((w) => w.waitFor(/^health .* redis=ready/)));
    } finally {
      await queue.close();
    }
  }, 60_000);

  it('a worker of another version refuses to start, with a sentence', async () => {
    const worker = new QueueWorker({
      address: parseQueueAddress(redis.url),
      mediaDir: mediaFolder,
      scratchDir: join(scratchRoot, 'other-version'),
      kinds: ['stage2'],
      concurrency: 1,
      detectionWorkers: 1,
      inferenceThreads: 1,
      executionProviders: ['cpu'],
      ffmpegPath: null,
      ffprobePath: null,
      version: '0.0.0-other',
      print: () => {},
    });
    await expect(worker.start()).rejects.toMatchObject({ code: 'WORKER_VERSION_MISMATCH', message: expect.stringContaining('this worker runs WalkScope 0.0.0-other, the coordinator') });
  });

  it('stops on SIGTERM: it says so, leaves the queue and exits cleanly', async () => {
    const worker = live()[0]!;
    worker.child.kill('SIGTERM');
    const { code } = await worker.exited;
    expect(code).toBe(0);
    expect(worker.lines.some((line) => /^health .* stopping$/.test(line))).toBe(true);
  }, 60_000);

  it('never shows the queue password: not in a worker line, the coordinator log, the jobs or the audit log', () => {
    const texts = [
      ...workers.flatMap((w) => [...w.lines, w.stderr()]),
      ...coordinatorLog,
      JSON.stringify(app.store.jobs.list(undefined, 10_000)),
      JSON.stringify(app.store.audit.list({})),
    ];
    expect(texts.filter((text) => text.includes(redis.password))).toEqual([]);
  });
});
