import type { PersonDetection } from '../domain/detectionTypes.js';
import { toSource, type Letterbox } from '../domain/letterbox.js';
import { decodeCenterNet } from './centerNetDecode.js';
import { detectorSpecs } from './detectorSpecs.js';
import { loadGraphRunner, type GraphRunner } from './graphRunner.js';
import type { BackendChoice } from './tfRuntime.js';

/**
 * CenterNet (COCO, 80 classes) on a 512x512 RGB input of float pixel values 0..255; only
 * people are kept. Box-only: no keypoints. Output decoding in centerNetDecode.ts. A Detector
 * (detector.ts), checked where loadDetector returns it.
 */
export class CenterNet {
  readonly name = 'centernet' as const;
  readonly inputSize = detectorSpecs.centernet.inputSize;
  private constructor(private readonly graph: GraphRunner) {}

  static async load(backend: BackendChoice = 'auto'): Promise<CenterNet> {
    return new CenterNet(await loadGraphRunner('centernet', { input: 'tower_0/images', inputType: 'float32', output: 'tower_0/detections' }, backend));
  }

  get backend(): string {
    return this.graph.backend;
  }

  async detect(rgb: Uint8Array, box: Letterbox, minScore = detectorSpecs.centernet.defaultMinScore): Promise<PersonDetection[]> {
    const size = this.inputSize;
    if (box.inputWidth !== size || box.inputHeight !== size) throw new Error(`CenterNet needs a ${size}x${size} input (its graph is fixed), not ${box.inputWidth}x${box.inputHeight}`);
    if (rgb.length !== size * size * 3) throw new Error(`CenterNet needs a ${size}x${size} RGB frame (${size * size * 3} bytes), got ${rgb.length} bytes`);
    const values = await this.graph.run(rgb, size, size);
    return decodeCenterNet(values, { inputSize: size, minScore }).map((b) => {
      const a = toSource(box, b.x1, b.y1);
      const c = toSource(box, b.x2, b.y2);
      return { box: { x1: a.x, y1: a.y, x2: c.x, y2: c.y }, score: b.score, keypoints: [] };
    });
  }

  prepare(): Promise<void> {
    return this.graph.prepare(this.inputSize, this.inputSize);
  }

  dispose(): Promise<void> {
    return this.graph.dispose();
  }
}
