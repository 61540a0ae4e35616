import type { GraphModel } from '@tensorflow/tfjs-converter';
import type { Tf } from '../tfRuntime.js';
import { openCpuSession, type CpuSession } from '../../runtime/cpuSession.js';
import { readCachedModel, writeCachedModel, type ConversionKey } from './conversionCache.js';
import { evaluateGraphFacts } from './graphFacts.js';
import { tfGraphToOnnx, type TfNode } from './tfGraphToOnnx.js';

export interface GraphSignature {
  /** The graph's input placeholder and the type its pixels take. */
  input: string;
  inputType: 'int32' | 'float32';
  /** The output read back (run's result). */
  output: string;
  /** Further outputs read back with it by runOutputs (BlazePose: the pose score beside the landmarks). */
  moreOutputs?: readonly string[];
  /** The graph takes the pixels multiplied by this (BlazePose: 1 / 255), done inside the converted graph. */
  inputScale?: number;
}

/** Every output a signature reads back, the first first. */
export function signatureOutputs(signature: GraphSignature): string[] {
  return [signature.output, ...(signature.moreOutputs ?? [])];
}

/** The tfjs graph, with the tfjs that runs it. */
export interface LoadedGraph {
  tf: Tf;
  model: GraphModel;
  nodes: readonly TfNode[];
}

/** Where a converted graph comes from: the verified model files' identity, and the tfjs graph itself (loaded only to convert). */
export interface GraphSource {
  model: string;
  sha256: { json: string; bin: string };
  loadGraph(): Promise<LoadedGraph>;
}

/**
 * A tfjs detector or pose model graph run by onnxruntime's native CPU kernels: converted (tfGraphToOnnx)
 * for each input size the first time it is seen, or read from the per-user conversion cache
 * (conversionCache.ts), in which case tfjs is not even started. One intra-op thread:
 * detection and pose refinement run one worker per core. MoveNet MultiPose at 256x160 runs in about 16 ms a frame
 * here against 65 ms on tfjs-wasm; boxes and keypoints agree within 0.003 px
 * (test/integration/detect/onnx/convertedGraph.test.ts).
 */
export class ConvertedGraph {
  private readonly sessions = new Map<string, Promise<CpuSession>>();
  private graph: Promise<LoadedGraph> | undefined;
  /** How each size was obtained, for tests and logs. */
  readonly origins = new Map<string, 'cache' | 'converted'>();

  constructor(
    private readonly source: GraphSource,
    private readonly signature: GraphSignature,
    private readonly options: { cacheDir?: string | undefined; threads?: number } = {},
  ) {}

  /** The ONNX bytes for one input size: from the cache, else converted (and cached). */
  private async modelBytes(height: number, width: number): Promise<Uint8Array> {
    const outputs = signatureOutputs(this.signature);
    const key: ConversionKey = { model: this.source.model, sha256: this.source.sha256, width, height, output: outputs.join(','), inputScale: this.signature.inputScale };
    const dir = this.options.cacheDir;
    const cached = dir ? readCachedModel(dir, key) : undefined;
    if (cached) {
      this.origins.set(`${height}x${width}`, 'cache');
      return cached;
    }
    this.graph ??= this.source.loadGraph();
    const { tf, model, nodes } = await this.graph;
    const shape: [number, number, number, number] = [1, height, width, 3];
    const facts = evaluateGraphFacts(tf, model, nodes, { name: this.signature.input, shape, dtype: this.signature.inputType }, outputs);
    const bytes = tfGraphToOnnx({ nodes, input: { name: this.signature.input, shape, scale: this.signature.inputScale }, outputs, facts, producer: 'WalkScope tfGraphToOnnx' });
    if (dir) writeCachedModel(dir, key, bytes);
    this.origins.set(`${height}x${width}`, 'converted');
    return bytes;
  }

  /** The session for one input size, made on first use. */
  session(height: number, width: number): Promise<CpuSession> {
    const key = `${height}x${width}`;
    let session = this.sessions.get(key);
    if (!session) {
      session = this.modelBytes(height, width).then((bytes) => openCpuSession(bytes, this.options.threads ?? 1));
      this.sessions.set(key, session);
      session.catch(() => this.sessions.delete(key));
    }
    return session;
  }

  /** Runs one frame (`rgb`: height x width x 3 bytes) and returns the output's values. */
  async run(rgb: Uint8Array, height: number, width: number): Promise<Float32Array> {
    const session = await this.session(height, width);
    return session.runBytes(`${this.signature.input}__uint8`, rgb, [1, height, width, 3], this.signature.output);
  }

  /** Runs one frame and returns every output of the signature, the first first. */
  async runOutputs(rgb: Uint8Array, height: number, width: number): Promise<Float32Array[]> {
    const session = await this.session(height, width);
    return session.runBytesOutputs(`${this.signature.input}__uint8`, rgb, [1, height, width, 3], signatureOutputs(this.signature));
  }

  async dispose(): Promise<void> {
    const sessions = await Promise.allSettled(this.sessions.values());
    this.sessions.clear();
    for (const s of sessions) if (s.status === 'fulfilled') await s.value.release();
    if (this.graph) (await this.graph.catch(() => undefined))?.model.dispose();
  }
}
