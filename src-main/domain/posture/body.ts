import { keypointNames, type KeypointName, type PoseTrack } from '../../contract/measurements.js';
import { confidentKeypoint } from './confidence.js';
import { keypointIndices } from './keypoints.js';
import { distance, midpoint, toScene, type ScenePoint } from './sceneGeometry.js';

/**
 * The confident keypoints of each listed frame in scene axes (sceneGeometry.ts), the form
 * every measure, the view and the gait read. A keypoint below the gate is simply absent.
 */

export type BodyPoint = ScenePoint & { score: number };
export type BodyFrame = Partial<Record<KeypointName, BodyPoint>>;

export function bodyFrames(pose: PoseTrack, minScore: number, verticalReferenceDeg: number): BodyFrame[] {
  const index = keypointIndices(pose);
  const out: BodyFrame[] = [];
  for (let i = 0; i < pose.frames.length; i++) {
    const frame: BodyFrame = {};
    for (const name of keypointNames) {
      const p = confidentKeypoint(pose, i, index[name], minScore);
      if (p) frame[name] = { ...toScene(p.x, p.y, verticalReferenceDeg), score: p.score };
    }
    out.push(frame);
  }
  return out;
}

/** The midpoint of a left/right pair, or the one of them seen (in a side view they nearly coincide), or null. */
export function pairMidpoint(b: BodyFrame, left: KeypointName, right: KeypointName): ScenePoint | null {
  const l = b[left];
  const r = b[right];
  if (l && r) return midpoint(l, r);
  return l ?? r ?? null;
}

export const shoulderMidpoint = (b: BodyFrame) => pairMidpoint(b, 'leftShoulder', 'rightShoulder');
export const hipMidpoint = (b: BodyFrame) => pairMidpoint(b, 'leftHip', 'rightHip');

/** Shoulder midpoint to hip midpoint, when both are seen and apart. */
export function trunkLength(b: BodyFrame): number | null {
  const s = shoulderMidpoint(b);
  const h = hipMidpoint(b);
  if (!s || !h) return null;
  const d = distance(s, h);
  return d > 0 ? d : null;
}

/** The median of numbers (null for none). */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
