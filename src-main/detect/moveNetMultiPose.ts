import type { Keypoint, PersonDetection } from '../domain/detectionTypes.js';
import { toSource, type Letterbox } from '../domain/letterbox.js';
import { detectorSpecs } from './detectorSpecs.js';
import { loadGraphRunner, type GraphRunner } from './graphRunner.js';
import type { BackendChoice } from './tfRuntime.js';

/**
 * MoveNet MultiPose Lightning (up to 6 people, 17 COCO keypoints each) on an RGB input of any
 * width and height in steps of 32 px (256 on the long side: 256x256, 256x160 for 16:9...).
 * Output [1, 6, 56] per person: 17 x (y, x, score), then ymin, xmin, ymax, xmax, score,
 * all as fractions of the input's width and height. A Detector (detector.ts), checked where
 * loadDetector returns it.
 */
export class MoveNetMultiPose {
  readonly name = 'movenet-multipose' as const;
  readonly inputSize = detectorSpecs['movenet-multipose'].inputSize;
  private constructor(private readonly graph: GraphRunner) {}

  static async load(backend: BackendChoice = 'auto'): Promise<MoveNetMultiPose> {
    return new MoveNetMultiPose(await loadGraphRunner('movenet-multipose', { input: 'input', inputType: 'int32', output: 'Identity' }, backend));
  }

  get backend(): string {
    return this.graph.backend;
  }

  /** `rgb`: box.inputWidth x box.inputHeight x 3 bytes (letterboxed frame). Coordinates return in source pixels. */
  async detect(rgb: Uint8Array, box: Letterbox, minScore = detectorSpecs['movenet-multipose'].defaultMinScore): Promise<PersonDetection[]> {
    const { inputWidth: width, inputHeight: height } = box;
    if (width % 32 !== 0 || height % 32 !== 0 || width <= 0 || height <= 0) throw new Error(`MoveNet needs an input whose width and height are multiples of 32, not ${width}x${height}`);
    if (rgb.length !== width * height * 3) throw new Error(`MoveNet needs a ${width}x${height} RGB frame (${width * height * 3} bytes), got ${rgb.length} bytes`);
    const values = await this.graph.run(rgb, height, width);
    const people: PersonDetection[] = [];
    for (let p = 0; p < 6; p++) {
      const o = p * 56;
      const score = values[o + 55]!;
      if (score < minScore) continue;
      const keypoints: Keypoint[] = [];
      for (let k = 0; k < 17; k++) {
        const point = toSource(box, values[o + k * 3 + 1]!, values[o + k * 3]!);
        keypoints.push({ x: point.x, y: point.y, score: values[o + k * 3 + 2]! });
      }
      const a = toSource(box, values[o + 52]!, values[o + 51]!);
      const b = toSource(box, values[o + 54]!, values[o + 53]!);
      people.push({ box: { x1: a.x, y1: a.y, x2: b.x, y2: b.y }, score, keypoints });
    }
    return people;
  }

  prepare(box: Letterbox): Promise<void> {
    return this.graph.prepare(box.inputHeight, box.inputWidth);
  }

  dispose(): Promise<void> {
    return this.graph.dispose();
  }
}
