import type { GraphModel } from '@tensorflow/tfjs-converter';
import { openCpuSession, type CpuSession } from '../../classify/cpuSession.js';
import { evaluateGraphFacts } from './graphFacts.js';
import { tfGraphToOnnx, type TfNode } from './tfGraphToOnnx.js';

export interface GraphSignature {
  /** The graph's input placeholder and the type its pixels take. */
  input: string;
  inputType: 'int32' | 'float32';
  /** The one output read back. */
  output: string;
}

/**
 * A tfjs detector graph run by onnxruntime's native CPU kernels: converted (tfGraphToOnnx)
 * for each input size the first time it is seen, in memory (nothing written to disk; the
 * source files were verified against the lock when loaded). One intra-op thread: detection
 * runs one worker per core. MoveNet MultiPose at 256x160 runs in about 14 ms a frame here
 * against 72 ms on tfjs-wasm; boxes and keypoints agree within 0.003 px (test/integration/detect/onnxParity.test.ts).
 */
export class ConvertedGraph {
  private readonly sessions = new Map<string, Promise<CpuSession>>();

  constructor(
    private readonly model: GraphModel,
    private readonly nodes: readonly TfNode[],
    private readonly signature: GraphSignature,
    private readonly threads = 1,
  ) {}

  /** The session for one input size, converted and created on first use. */
  session(height: number, width: number): Promise<CpuSession> {
    const key = `${height}x${width}`;
    let session = this.sessions.get(key);
    if (!session) {
      session = (async () => {
        const shape: [number, number, number, number] = [1, height, width, 3];
        const facts = evaluateGraphFacts(this.model, this.nodes, { name: this.signature.input, shape, dtype: this.signature.inputType }, [this.signature.output]);
        const bytes = tfGraphToOnnx({ nodes: this.nodes, input: { name: this.signature.input, shape }, outputs: [this.signature.output], facts, producer: 'WalkScope tfGraphToOnnx' });
        return openCpuSession(bytes, this.threads);
      })();
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

  async dispose(): Promise<void> {
    const sessions = await Promise.allSettled(this.sessions.values());
    this.sessions.clear();
    for (const s of sessions) if (s.status === 'fulfilled') await s.value.release();
  }
}
