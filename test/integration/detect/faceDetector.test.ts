import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { resolveFfmpeg } from '../../../src-main/media/ffmpegPaths.js';
import { graphModelFromFiles, loadTf, startTfForConversion } from '../../../src-main/detect/tfRuntime.js';
import { ConvertedGraph } from '../../../src-main/detect/onnx/convertedGraph.js';
import { blazeFaceAnchors, blazeFaceFiles, blazeFaceInput, blazeFaceSignature, decodeBlazeFace, letterboxRegion, loadFaceDetector, type FaceBox, type FaceDetector, type Region } from '../../helpers/faceDetector.js';
import { runProcess } from '../../helpers/runProcess.js';
import { clips, requireTestdata, testPhoto, testVideo } from '../../helpers/testdata.js';

/**
 * The BlazeFace test oracle (test/helpers/faceDetector.ts) on real frames. What it was found to do
 * (numbers from this machine's ffmpeg decode; each frame is deterministic):
 * - the man jumping on the box in the Sports2D clip faces the camera 0-3 s: in the region
 *   [360,0,600,240] of the 1280x720 frame his face is found in every frame, score 0.71-0.89;
 * - the walker (true side view, a profile) 1.5-6 s: in a 240x200 region around her head her face is
 *   found in every frame, score 0.58-0.87;
 * - the COCO skier: found on the whole 640x425 photo, 0.86;
 * - NOT reliable on a whole 1280x720 frame: those faces (20-30 px) are missed, and the sun flare
 *   in the tree scores 0.42-0.63. Callers pass a region around the head they expect;
 * - false positives up to 0.67 on things (the box's wall), up to 0.69 on the BACK of a head with
 *   long hair (the Intel back-view clip; 0.63 on this test's tiles), under 0.5 on the empty room (full frame) and the warehouse
 *   worker. So "a face is there" is claimed at >= 0.7 (30 of the 32 true frames; the walker's
 *   last two, leaving the frame, are 0.65 and 0.58) and "no face" at < 0.5, at the place expected.
 */
const { ffmpeg, ffprobe } = resolveFfmpeg();

const decoded = new Map<string, Promise<{ rgb: Uint8Array; width: number; height: number }>>();
/** One frame as rgb24 (`time` null: a photo), decoded once per test file. */
function decodeFrame(path: string, time: number | null): Promise<{ rgb: Uint8Array; width: number; height: number }> {
  const key = `${path}@${time}`;
  let frame = decoded.get(key);
  if (!frame) decoded.set(key, (frame = decodeOnce(path, time)));
  return frame;
}

/** Via async children (never a blocked event loop). */
async function decodeOnce(path: string, time: number | null): Promise<{ rgb: Uint8Array; width: number; height: number }> {
  const probed = await runProcess(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', path]);
  const [width, height] = probed.stdout.trim().split(',').map(Number) as [number, number];
  const args = ['-v', 'error', ...(time === null ? [] : ['-ss', time.toFixed(3)]), '-i', path, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'];
  const bytes = await new Promise<Buffer>((resolvePromise, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('close', (status) => (status === 0 ? resolvePromise(Buffer.concat(out)) : reject(new Error(`ffmpeg ${args.join(' ')}: ${err}`))));
  });
  if (bytes.length !== width * height * 3) throw new Error(`${path} @${time}: ${bytes.length} bytes for ${width}x${height}`);
  return { rgb: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), width, height };
}

const centre = (b: FaceBox) => [(b.x1 + b.x2) / 2, (b.y1 + b.y2) / 2] as const;
const inside = (b: FaceBox, r: Region) => {
  const [x, y] = centre(b);
  return x >= r.x1 && x < r.x2 && y >= r.y1 && y < r.y2;
};
const present = 0.7;
const absent = 0.5;

// the man on the box, facing the camera while he does jumping jacks (0-3 s), in the 1280x720 clip
const manRegion: Region = { x1: 360, y1: 0, x2: 600, y2: 240 };
const manHead: Region = { x1: 445, y1: 45, x2: 495, y2: 110 };
const manTimes = Array.from({ length: 13 }, (_, i) => i * 0.25);
// the walker's face moves right to left at about 215 px/s (fitted to where BlazeFace found it, within 22 px)
const walkerX = (t: number) => 1444 - 215.3 * t;
const walkerRegion = (t: number): Region => ({ x1: Math.round(walkerX(t)) - 120, y1: 310, x2: Math.round(walkerX(t)) + 120, y2: 510 });
const walkerHead = (t: number): Region => ({ x1: walkerX(t) - 40, y1: 385, x2: walkerX(t) + 40, y2: 435 });
const walkerTimes = Array.from({ length: 19 }, (_, i) => 1.5 + i * 0.25);

/** 240x240 tiles at half steps over the whole image (the last row and column flush with the edges). */
function tiles(width: number, height: number, size = 240): Region[] {
  const starts = (length: number) => {
    const s: number[] = [];
    for (let v = 0; v + size < length; v += size / 2) s.push(v);
    s.push(Math.max(0, length - size));
    return [...new Set(s)];
  };
  return starts(height).flatMap((y) => starts(width).map((x) => ({ x1: x, y1: y, x2: Math.min(width, x + size), y2: Math.min(height, y + size) })));
}

const timings: number[] = [];
let detector: FaceDetector;
async function timedDetect(rgb: Uint8Array, height: number, width: number, region?: Region): Promise<FaceBox[]> {
  const t0 = performance.now();
  const faces = await detector.detect(rgb, height, width, region ? { region } : {});
  timings.push(performance.now() - t0);
  return faces;
}

describe.runIf(requireTestdata())('BlazeFace face oracle on real frames', () => {
  beforeAll(async () => {
    const t0 = performance.now();
    // low floor: the tests apply their own thresholds (present >= 0.7, absent < 0.5)
    detector = await loadFaceDetector({ minScore: 0.3 });
    console.log(`[face oracle] loaded (graph converted to ONNX in memory) in ${(performance.now() - t0).toFixed(0)} ms`);
  });
  afterAll(async () => {
    await detector?.dispose();
    if (timings.length) {
      const sorted = [...timings].sort((a, b) => a - b);
      console.log(`[face oracle] ${timings.length} detections: median ${sorted[sorted.length >> 1]!.toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`);
    }
  });

  it('the converted graph with its prepended "- 1" matches tfjs fed pixels / 127.5 - 1 (as Human does)', async () => {
    const { rgb, width, height } = await decodeFrame(testPhoto('still_sports2d_sideview_walker_t3.4s.jpg'), null);
    const { input } = letterboxRegion(rgb, height, width);
    const files = blazeFaceFiles();
    await startTfForConversion();
    const tf = await loadTf();
    const graph = new ConvertedGraph({ model: 'blazeface-parity', sha256: files.sha256, loadGraph: async () => ({ tf, model: await graphModelFromFiles(files), nodes: (files.topology as { node: never[] }).node }) }, blazeFaceSignature);
    const onnx = await graph.runOutputs(input, blazeFaceInput, blazeFaceInput);
    await graph.dispose();
    // the original graph, untouched, normalised here
    const original = JSON.parse((await import('node:fs')).readFileSync(files.dir + '/blazeface.json', 'utf8')) as { modelTopology: unknown; weightsManifest: Array<{ weights: unknown[] }> };
    const bin = (await import('node:fs')).readFileSync(files.dir + '/blazeface.bin');
    const model = await graphModelFromFiles({ ...files, topology: original.modelTopology, weightSpecs: original.weightsManifest.flatMap((m) => m.weights), weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer });
    const x = tf.tensor(Float32Array.from(input, (v) => v / 127.5 - 1), [1, blazeFaceInput, blazeFaceInput, 3]);
    const outs = model.execute(x, [blazeFaceSignature.output, ...blazeFaceSignature.moreOutputs!]) as ReturnType<typeof tf.tensor>[];
    const reference = (await Promise.all(outs.map((o) => o.data()))) as Float32Array[];
    tf.dispose([x, ...outs]);
    model.dispose();
    expect(onnx.map((o) => o.length)).toEqual([512, 512 * 16, 384, 384 * 16]);
    for (let i = 0; i < 4; i++) {
      let worst = 0;
      for (let k = 0; k < reference[i]!.length; k++) worst = Math.max(worst, Math.abs(reference[i]![k]! - onnx[i]![k]!));
      // logits within 0.02, regressors (input pixels) within 0.01 px
      expect(worst).toBeLessThan(i % 2 === 0 ? 0.02 : 0.01);
    }
    const anchors = blazeFaceAnchors();
    expect(anchors.length).toBe(896 * 2);
    const best = (o: Float32Array[]) => Math.max(...decodeBlazeFace(o, anchors).map((b) => b.score));
    expect(Math.abs(best(onnx) - best(reference))).toBeLessThan(0.005);
  });

  it('finds the frontal face of the man on the box in all 13 frames 0-3 s (score >= 0.7, on his head)', async () => {
    const found: string[] = [];
    for (const t of manTimes) {
      const { rgb, width, height } = await decodeFrame(testVideo(clips.sports2dH264), t);
      const faces = await timedDetect(rgb, height, width, manRegion);
      const face = faces.find((f) => f.score >= present && inside(f, manHead));
      expect(face, `no face >= ${present} on the man's head at ${t} s: ${JSON.stringify(faces.map((f) => [centre(f), f.score]))}`).toBeDefined();
      // a face box of 19-25 px in the 1280x720 frame
      expect(face!.x2 - face!.x1).toBeGreaterThan(15);
      expect(face!.x2 - face!.x1).toBeLessThan(35);
      found.push(`${t}s ${face!.score.toFixed(2)}`);
    }
    console.log(`[face oracle] man on the box: ${found.join(', ')}`);
  });

  it("finds the walker's profile in all 19 frames 1.5-6 s (score >= 0.55; >= 0.7 in 17), on her head", async () => {
    const scores: number[] = [];
    for (const t of walkerTimes) {
      const { rgb, width, height } = await decodeFrame(testVideo(clips.sports2dH264), t);
      const faces = await timedDetect(rgb, height, width, walkerRegion(t));
      const face = faces.filter((f) => inside(f, walkerHead(t))).sort((a, b) => b.score - a.score)[0];
      expect(face, `no face on the walker's head at ${t} s: ${JSON.stringify(faces.map((f) => [centre(f), f.score]))}`).toBeDefined();
      expect(face!.score).toBeGreaterThanOrEqual(0.55);
      scores.push(face!.score);
    }
    console.log(`[face oracle] walker: ${walkerTimes.map((t, i) => `${t}s ${scores[i]!.toFixed(2)}`).join(', ')}`);
    expect(scores.filter((s) => s >= present).length).toBeGreaterThanOrEqual(17);
  });

  it("finds the COCO skier's face on the whole photo", async () => {
    const { rgb, width, height } = await decodeFrame(testPhoto('coco_val2017_000000000785_skier_fullbody.jpg'), null);
    const faces = (await timedDetect(rgb, height, width)).filter((f) => f.score >= absent);
    expect(faces).toHaveLength(1);
    expect(faces[0]!.score).toBeGreaterThanOrEqual(0.8);
    const [x, y] = centre(faces[0]!);
    expect(Math.abs(x - 372)).toBeLessThan(15);
    expect(Math.abs(y - 84)).toBeLessThan(15);
  });

  it('finds no face in the empty room: whole frames < 0.5, 240 px tiles < 0.55', async () => {
    let wholeBest = 0;
    let tileBest = 0;
    for (const t of [0, 1, 2, 3, 4, 5]) {
      const { rgb, width, height } = await decodeFrame(testVideo(clips.intelEmptyRoom), t);
      wholeBest = Math.max(wholeBest, await detector.bestScore(rgb, height, width));
      for (const region of tiles(width, height)) tileBest = Math.max(tileBest, await detector.bestScore(rgb, height, width, { region }));
    }
    console.log(`[face oracle] empty room: best score ${wholeBest.toFixed(3)} on whole frames, ${tileBest.toFixed(3)} on tiles`);
    expect(wholeBest).toBeLessThan(absent);
    expect(tileBest).toBeLessThan(0.55);
  });

  it('back views: the warehouse worker gives no face (< 0.5); the back of a long-haired head scores up to about 0.7, never 0.75', async () => {
    let workerBest = 0;
    for (const t of [0.5, 1.5, 2.5, 3.5, 4.5]) {
      const { rgb, width, height } = await decodeFrame(testVideo(clips.intelWorker15fps), t);
      workerBest = Math.max(workerBest, await detector.bestScore(rgb, height, width));
    }
    let backBest = 0;
    for (const t of [1, 3, 6, 10, 13]) {
      const { rgb, width, height } = await decodeFrame(testVideo(clips.intelBackview10fps), t);
      backBest = Math.max(backBest, await detector.bestScore(rgb, height, width));
      for (const region of tiles(width, height)) backBest = Math.max(backBest, await detector.bestScore(rgb, height, width, { region }));
    }
    console.log(`[face oracle] back views: worker ${workerBest.toFixed(3)}, back of the head ${backBest.toFixed(3)}`);
    expect(workerBest).toBeLessThan(absent);
    expect(backBest).toBeLessThan(0.75);
  });

  it('a head filled with its mean colour gives no face there (all 32 frames of the man and the walker)', async () => {
    const cases = [...manTimes.map((t) => [t, manRegion, manHead] as const), ...walkerTimes.map((t) => [t, walkerRegion(t), walkerHead(t)] as const)];
    for (const [t, region, head] of cases) {
      const { rgb, width, height } = await decodeFrame(testVideo(clips.sports2dH264), t);
      const face = (await timedDetect(rgb, height, width, region)).filter((f) => inside(f, head)).sort((a, b) => b.score - a.score)[0]!;
      expect(face.score).toBeGreaterThanOrEqual(0.55);
      // a square twice the face's size, filled with its own mean colour
      const [cx, cy] = centre(face);
      const half = face.x2 - face.x1;
      const square = { x1: Math.round(cx - half), y1: Math.round(cy - half), x2: Math.round(cx + half), y2: Math.round(cy + half) };
      const sum = [0, 0, 0];
      for (let y = square.y1; y < square.y2; y++) for (let x = square.x1; x < square.x2; x++) for (let c = 0; c < 3; c++) sum[c]! += rgb[(y * width + x) * 3 + c]!;
      const n = (square.x2 - square.x1) * (square.y2 - square.y1);
      const filled = new Uint8Array(rgb);
      for (let y = square.y1; y < square.y2; y++) for (let x = square.x1; x < square.x2; x++) for (let c = 0; c < 3; c++) filled[(y * width + x) * 3 + c] = Math.round(sum[c]! / n);
      const after = (await timedDetect(filled, height, width, region)).filter((f) => f.score >= absent && inside(f, square));
      expect(after, `a face is still found in the grey square at ${t} s`).toEqual([]);
    }
  });
});
