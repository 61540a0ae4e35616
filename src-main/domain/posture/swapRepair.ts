import type { KeypointName, PoseTrack } from '../../contract/measurements.js';
import { isConfident } from './confidence.js';
import { copyPose, keypointIndex, pointOffset, readKeypoint } from './keypoints.js';
import { medianTrunkLength } from './trunkScale.js';

/**
 * Left/right swap repair. A pose model sometimes labels the left leg right and the right leg
 * left for a few frames (a side view's legs cross twice a stride), which flips hip flexion.
 * For each limb group, the legs (knee, ankle, heel, toe) and the arms (elbow, wrist), every
 * frame is either as labelled or swapped, and the labelling chosen for the whole track is
 * the one that keeps each side's trajectory most continuous:
 *
 * - a Viterbi search over the frames with the last two frames' choices as the state, so each
 *   joint is predicted at constant velocity from the two frames before (from one frame, at
 *   rest, when only one is there) and the cost of a frame is the distance of each confident
 *   joint from its side's prediction, in trunk lengths (a joint whose side has no prediction
 *   costs `unmatchedCost`);
 * - each change between as labelled and swapped costs `switchCost` (0.5 trunk lengths), so
 *   keypoint noise, a few pixels a frame, never pays for a swap: only a jump of the labels
 *   between two limbs held apart does (a swap of legs 0.1 trunk lengths apart costs the
 *   labelling as given several times that in broken continuity);
 * - each swapped frame costs `swapCost` (0.02) more, so with equal continuity the model's
 *   labels stand (a whole track labelled mirror-wise is left alone, and so are frames where
 *   the two limbs overlap and either labelling fits).
 *
 * The hips and shoulders, the limbs' roots, are not swapped: in a side view each pair nearly
 * coincides, and in a front view which is which is the facing, not a swap. Only confident
 * keypoints count; a swap moves the whole labelled keypoint (position and score).
 */

export const swapGroups: Readonly<Record<'legs' | 'arms', ReadonlyArray<readonly [KeypointName, KeypointName]>>> = {
  legs: [['leftKnee', 'rightKnee'], ['leftAnkle', 'rightAnkle'], ['leftHeel', 'rightHeel'], ['leftToe', 'rightToe']],
  arms: [['leftElbow', 'rightElbow'], ['leftWrist', 'rightWrist']],
};

export const swapCost = 0.02;
export const switchCost = 0.5;
export const unmatchedCost = 0.25;

export interface SwapRepair {
  pose: PoseTrack;
  /** Frames on which at least one limb group was swapped back. */
  framesRepaired: number;
  /** Per group, the listed frames (timeline numbers) swapped back. */
  swapped: Record<'legs' | 'arms', number[]>;
}

type Pt = { x: number; y: number } | null;

/** Which of the group's frames to swap (true: swap), by the continuity search. */
function chooseSwaps(pose: PoseTrack, pairs: ReadonlyArray<readonly [number, number]>, minScore: number, scale: number): boolean[] {
  const n = pose.frames.length;
  // pts[i][side][j]: the raw labelled point of side 0 (left) or 1 (right), joint j, or null
  const pts: Pt[][][] = [];
  for (let i = 0; i < n; i++) {
    const sides: Pt[][] = [[], []];
    for (const [l, r] of pairs) {
      for (const [side, k] of [[0, l], [1, r]] as const) {
        const p = readKeypoint(pose, i, k);
        sides[side]!.push(isConfident(p, minScore) ? { x: p.x, y: p.y } : null);
      }
    }
    pts.push(sides);
  }
  // the true side `side` on frame i under choice s
  const at = (i: number, s: number, side: number, j: number): Pt => pts[i]![side ^ s]![j]!;
  const consecutive = (i: number) => i > 0 && pose.frames[i]! - pose.frames[i - 1]! === 1;
  const cost = (i: number, a: number, b: number, c: number): number => {
    let total = c * swapCost + (i > 0 && b !== c ? switchCost : 0);
    for (let side = 0; side < 2; side++) {
      for (let j = 0; j < pairs.length; j++) {
        const p = at(i, c, side, j);
        if (!p) continue;
        const q = consecutive(i) ? at(i - 1, b, side, j) : null;
        if (!q) {
          total += unmatchedCost;
          continue;
        }
        const r = consecutive(i - 1) ? at(i - 2, a, side, j) : null;
        const px = r ? 2 * q.x - r.x : q.x;
        const py = r ? 2 * q.y - r.y : q.y;
        total += Math.hypot(p.x - px, p.y - py) / scale;
      }
    }
    return total;
  };
  if (n === 0) return [];
  // dp[b * 2 + c]: the least cost of frames 0..i with choice b on i-1 and c on i
  let dp = [0, 0, 0, 0];
  const back: Int8Array[] = [new Int8Array(4)];
  for (const c of [0, 1]) for (const b of [0, 1]) dp[b * 2 + c] = cost(0, 0, 0, c) + (b === 0 ? 0 : 1e-9);
  for (let i = 1; i < n; i++) {
    const next = [Infinity, Infinity, Infinity, Infinity];
    const from = new Int8Array(4);
    for (const b of [0, 1]) {
      for (const c of [0, 1]) {
        for (const a of [0, 1]) {
          const v = dp[a * 2 + b]! + cost(i, a, b, c);
          if (v < next[b * 2 + c]!) {
            next[b * 2 + c] = v;
            from[b * 2 + c] = a;
          }
        }
      }
    }
    dp = next;
    back.push(from);
  }
  let best = 0;
  for (let s = 1; s < 4; s++) if (dp[s]! < dp[best]!) best = s;
  const out = new Array<boolean>(n).fill(false);
  let b = best >> 1;
  let c = best & 1;
  for (let i = n - 1; i >= 0; i--) {
    out[i] = c === 1;
    const a = back[i]![b * 2 + c]!;
    c = b;
    b = a;
  }
  return out;
}

export function repairSwaps(pose: PoseTrack, minScore: number): SwapRepair {
  const out = copyPose(pose);
  const swapped: SwapRepair['swapped'] = { legs: [], arms: [] };
  const scale = medianTrunkLength(pose, minScore) ?? (pose.height > 0 ? pose.height : 1);
  const any = new Set<number>();
  for (const group of ['legs', 'arms'] as const) {
    const pairs = swapGroups[group]
      .map(([l, r]) => [keypointIndex(pose, l), keypointIndex(pose, r)] as const)
      .filter(([l, r]) => l >= 0 && r >= 0);
    if (pairs.length === 0) continue;
    const swaps = chooseSwaps(pose, pairs, minScore, scale);
    swaps.forEach((swap, i) => {
      if (!swap) return;
      swapped[group].push(pose.frames[i]!);
      any.add(i);
      for (const [l, r] of pairs) {
        const ol = pointOffset(pose, i, l);
        const or = pointOffset(pose, i, r);
        for (let c = 0; c < 3; c++) {
          out.points[ol + c] = pose.points[or + c]!;
          out.points[or + c] = pose.points[ol + c]!;
        }
      }
    });
  }
  return { pose: out, framesRepaired: any.size, swapped };
}
