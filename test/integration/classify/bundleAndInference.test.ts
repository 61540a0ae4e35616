import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openBundle } from '../../../src-main/classify/modelBundle.js';
import { openSession } from '../../../src-main/classify/executionProviders.js';
import { classifyVideo, releaseSessions } from '../../../src-main/classify/classifyVideo.js';
import { resolveFfmpeg } from '../../../src-main/media/ffmpegPaths.js';
import { clips, requireTestdata, testVideo } from '../../helpers/testdata.js';

const tiny = resolve(import.meta.dirname, '../../fixtures/models/slow_r50-tiny');
const root = resolve(import.meta.dirname, '../../..');

describe('model bundles are checked before use', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'walkscope-bundles-'));
  });
  afterAll(async () => {
    rmSync(work, { recursive: true, force: true });
    await releaseSessions();
  });

  const variant = (name: string, change: (dir: string) => void) => {
    const dir = join(work, name);
    cpSync(tiny, dir, { recursive: true });
    change(dir);
    return dir;
  };

  it('opens the committed tiny bundle, as a folder and as a zip', async () => {
    const bundle = await openBundle(tiny);
    expect(bundle.manifest).toMatchObject({ id: 'slow_r50-tiny-test', validated: false, input: { frames: 8, size: 64 } });
    const zip = join(work, 'bundle.zip');
    execFileSync('python3', ['-c', `import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],'w'); [z.write(sys.argv[2]+'/'+n, 'slow_r50-tiny/'+n) for n in ('model.onnx','manifest.json')]; z.close()`, zip, tiny]);
    const zipped = await openBundle(zip);
    expect(zipped.sha256).toBe(bundle.sha256);
    await zipped.dispose();
  });

  const refusals: Array<[string, (dir: string) => void, RegExp]> = [
    ['a model file that does not match the SHA-256', (d) => writeFileSync(join(d, 'model.onnx'), Buffer.concat([readFileSync(join(d, 'model.onnx')), Buffer.from([0])])), /does not match the manifest's SHA-256/],
    ['a manifest that contradicts the ONNX input shape', (d) => {
      const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8'));
      m.input.frames = 16;
      writeFileSync(join(d, 'manifest.json'), JSON.stringify(m));
    }, /manifest says input \[N, 3, 16, 64, 64\] but the model expects \[batch, 3, 8, 64, 64\]/],
    ['a corrupt ONNX file (hash updated to match)', (d) => {
      truncateSync(join(d, 'model.onnx'), 1000);
      const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8'));
      m.modelSha256 = execFileSync('sha256sum', [join(d, 'model.onnx')]).toString().split(' ')[0];
      writeFileSync(join(d, 'manifest.json'), JSON.stringify(m));
    }, /not a loadable ONNX model/],
    ['a manifest that is not JSON', (d) => writeFileSync(join(d, 'manifest.json'), '{ nope'), /not valid JSON/],
    ['a manifest without the validated flag', (d) => {
      const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8'));
      delete m.validated;
      writeFileSync(join(d, 'manifest.json'), JSON.stringify(m));
    }, /validated/],
    ['a missing model file', (d) => rmSync(join(d, 'model.onnx')), /no model.onnx/],
  ];
  for (const [what, change, message] of refusals) {
    it(`refuses ${what}`, async () => {
      await expect(openBundle(variant(what.replace(/\W+/g, '-'), change))).rejects.toMatchObject({ code: 'MODEL_INVALID', message: expect.stringMatching(message) });
    });
  }

  it('refuses a file that is not a zip', async () => {
    const file = join(work, 'not-a-bundle.zip');
    writeFileSync(file, 'hello');
    await expect(openBundle(file)).rejects.toMatchObject({ code: 'MODEL_INVALID' });
  });

  it('falls back to CPU when CUDA is asked for but not installed, and says so', async () => {
    const bundle = await openBundle(tiny);
    const opened = await openSession(bundle.modelPath, { providers: ['cuda', 'cpu'], intraOpThreads: 1 });
    expect(opened.provider).toBe('cpu');
    expect(opened.skipped[0]).toMatchObject({ provider: 'cuda' });
    expect(opened.skipped[0]!.reason.length).toBeGreaterThan(10);
    await opened.session.release();
  });

  it('skips WebGPU on a software adapter unless told to use it', async () => {
    const bundle = await openBundle(tiny);
    const opened = await openSession(bundle.modelPath, { providers: ['webgpu', 'cpu'], intraOpThreads: 1 });
    expect(['cpu', 'webgpu']).toContain(opened.provider);
    if (opened.provider === 'cpu') expect(opened.skipped[0]!.provider).toBe('webgpu');
    await opened.session.release();
  });

  const icd = '/usr/lib/chromium/vk_swiftshader_icd.json';
  it.runIf(spawnSync('test', ['-f', icd]).status === 0)('runs on the WebGPU provider over SwiftShader Vulkan and matches CPU within 1e-4', () => {
    // A child process: the Vulkan driver is chosen when Dawn first loads.
    const script = join(root, 'test/fixtures/workers/webgpuParity.ts');
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, tiny], { env: { ...process.env, VK_ICD_FILENAMES: icd }, encoding: 'utf8', timeout: 240_000 });
    const line = run.stdout.trim().split('\n').at(-1) ?? '';
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(line) as { provider: string; maxDiff: number };
    console.log(`[gpu] provider ${result.provider}, max |webgpu - cpu| = ${result.maxDiff.toExponential(2)}`);
    expect(result.provider).toBe('webgpu');
    expect(result.maxDiff).toBeLessThanOrEqual(1e-4);
  });

  it.runIf(requireTestdata())('classifies a real clip: uniform clips, P(ASD), research-only label, provider recorded', async () => {
    const bundle = await openBundle(tiny);
    const progress: number[] = [];
    const result = await classifyVideo(testVideo(clips.intelWorker15fps), bundle, { providers: ['cpu'], intraOpThreads: 2, onProgress: (f) => progress.push(f) });
    expect(result.clips.map((c) => [c.startSec, c.endSec])).toEqual([[0, 1], [1, 2], [2, 3], [3, 4]]);
    expect(result.clips[0]!.frameIndices).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
    for (const c of result.clips) expect(c.probabilityAsd).toBeGreaterThanOrEqual(0);
    expect(result.videoScore).toBeCloseTo(result.clips.reduce((s, c) => s + c.probabilityAsd, 0) / 4, 12);
    expect(result).toMatchObject({ researchOnly: true, provider: 'cpu', aggregation: 'mean', bundle: { id: 'slow_r50-tiny-test', validated: false } });
    expect(progress.at(-1)).toBe(1);
  });

  it.runIf(requireTestdata())('refuses a video shorter than one clip', async () => {
    const short = join(work, 'short.mp4');
    execFileSync(resolveFfmpeg().ffmpeg, ['-v', 'error', '-y', '-i', testVideo(clips.intelWorker15fps), '-t', '0.5', '-c', 'copy', short]);
    const bundle = await openBundle(tiny);
    await expect(classifyVideo(short, bundle, { providers: ['cpu'], intraOpThreads: 1 })).rejects.toMatchObject({ code: 'VIDEO_TOO_SHORT' });
  });
});
