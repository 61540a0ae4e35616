import { cocoKeypointCount, keypointNames, type KeypointName, type PoseTrack } from '../../src-main/contract/measurements.js';
import { gaussianNoise } from '../../src-main/domain/posture/filterFigures.js';

/**
 * SYNTHETIC DATA ONLY. Stick figures drawn from known joint angles, for the posture and gait
 * tests: no person, video or pose model made these keypoints.
 *
 * A figure is built in its own walking frame (forward f, up z, lateral: left +), at the hip
 * midpoint, from the angles the measures should give back (the conventions of
 * src-main/domain/posture/frameMeasures.ts), then seen by a camera:
 *
 * - `yawDeg` turns the figure from the side view (0) to the front view (90): the image's
 *   horizontal is f cos(yaw) + lateral sin(yaw) (forward to the image's right when walking right);
 * - `tiltDeg` rolls the camera: the scene's vertical appears that many degrees clockwise from
 *   the image vertical, i.e. what a user's vertical reference of `tiltDeg` undoes.
 */

export const figureLengths = { trunk: 200, ear: 70, thigh: 180, shank: 170, upperArm: 120, forearm: 100 } as const;

export interface FigurePose {
  trunkLeanDeg: number;
  headForwardDeg: number;
  hipFlexionDeg: { left: number; right: number };
  kneeFlexionDeg: { left: number; right: number };
  /** The hip midpoint in scene pixels (h to the right, z up). */
  hip: { h: number; z: number };
}

export interface Camera {
  direction: 'left' | 'right';
  yawDeg?: number;
  tiltDeg?: number;
  /** Include heels and toes (BlazePose's 21 keypoints) or COCO's 17. */
  feet?: boolean;
  /** Score of every keypoint (default 0.9). */
  score?: number;
  /** First timeline frame (default 0). */
  startFrame?: number;
}

const rad = Math.PI / 180;
const T = figureLengths.trunk;

/** Keypoints in the walking frame: [f, z, lateral] relative to the hip midpoint. */
export function figurePoints(p: FigurePose): Record<KeypointName, [number, number, number]> {
  const a = p.trunkLeanDeg * rad;
  const s: [number, number] = [T * Math.sin(a), T * Math.cos(a)];
  const b = p.headForwardDeg * rad;
  const ear: [number, number] = [s[0] + figureLengths.ear * Math.sin(b), s[1] + figureLengths.ear * Math.cos(b)];
  const elbow: [number, number] = [s[0], s[1] - figureLengths.upperArm];
  const wrist: [number, number] = [elbow[0] + 0.2 * figureLengths.forearm, elbow[1] - figureLengths.forearm];
  const leg = (hipFlexion: number, kneeFlexion: number) => {
    const thigh = (hipFlexion - p.trunkLeanDeg) * rad; // from down, forward positive
    const shank = thigh - kneeFlexion * rad;
    const knee: [number, number] = [figureLengths.thigh * Math.sin(thigh), -figureLengths.thigh * Math.cos(thigh)];
    const ankle: [number, number] = [knee[0] + figureLengths.shank * Math.sin(shank), knee[1] - figureLengths.shank * Math.cos(shank)];
    return { knee, ankle, heel: [ankle[0] - 0.1 * T, ankle[1] - 0.1 * T] as [number, number], toe: [ankle[0] + 0.3 * T, ankle[1] - 0.12 * T] as [number, number] };
  };
  const l = leg(p.hipFlexionDeg.left, p.kneeFlexionDeg.left);
  const r = leg(p.hipFlexionDeg.right, p.kneeFlexionDeg.right);
  const at = (q: [number, number], lat: number): [number, number, number] => [q[0], q[1], lat];
  return {
    nose: at([ear[0] + 0.12 * T, ear[1] - 0.03 * T], 0),
    leftEye: at([ear[0] + 0.08 * T, ear[1] + 0.02 * T], 0.06 * T),
    rightEye: at([ear[0] + 0.08 * T, ear[1] + 0.02 * T], -0.06 * T),
    leftEar: at(ear, 0.15 * T),
    rightEar: at(ear, -0.15 * T),
    leftShoulder: at(s, 0.4 * T),
    rightShoulder: at(s, -0.4 * T),
    leftElbow: at(elbow, 0.45 * T),
    rightElbow: at(elbow, -0.45 * T),
    leftWrist: at(wrist, 0.45 * T),
    rightWrist: at(wrist, -0.45 * T),
    leftHip: at([0, 0], 0.25 * T),
    rightHip: at([0, 0], -0.25 * T),
    leftKnee: at(l.knee, 0.2 * T),
    rightKnee: at(r.knee, -0.2 * T),
    leftAnkle: at(l.ankle, 0.2 * T),
    rightAnkle: at(r.ankle, -0.2 * T),
    leftHeel: at(l.heel, 0.2 * T),
    rightHeel: at(r.heel, -0.2 * T),
    leftToe: at(l.toe, 0.2 * T),
    rightToe: at(r.toe, -0.2 * T),
  };
}

/** Scene point (h right, z up) to image pixels under a camera tilt (the inverse of sceneGeometry.toScene). */
export function sceneToImage(h: number, z: number, tiltDeg: number): { x: number; y: number } {
  const c = Math.cos(tiltDeg * rad);
  const s = Math.sin(tiltDeg * rad);
  return { x: h * c + z * s, y: h * s - z * c };
}

/** A pose track of one figure per frame. */
export function poseTrack(figures: readonly FigurePose[], camera: Camera): PoseTrack {
  const names = keypointNames.slice(0, camera.feet ? keypointNames.length : cocoKeypointCount);
  const sign = camera.direction === 'right' ? 1 : -1;
  const yaw = (camera.yawDeg ?? 0) * rad;
  const points: number[] = [];
  for (const fig of figures) {
    const pts = figurePoints(fig);
    for (const name of names) {
      const [f, z, lat] = pts[name];
      const h = fig.hip.h + sign * f * Math.cos(yaw) + lat * Math.sin(yaw);
      const { x, y } = sceneToImage(h, fig.hip.z + z, camera.tiltDeg ?? 0);
      points.push(x, y, camera.score ?? 0.9);
    }
  }
  const start = camera.startFrame ?? 0;
  return { fps: 30, width: 1920, height: 1080, names: [...names], frames: figures.map((_, i) => start + i), points };
}

/** The same posture on `frames` frames, the hip walking `direction` at `speed` trunk lengths a second. */
export function steadyFigures(pose: Omit<FigurePose, 'hip'>, frames: number, direction: 'left' | 'right', speed = 1.2): FigurePose[] {
  const sign = direction === 'right' ? 1 : -1;
  return Array.from({ length: frames }, (_, i) => ({ ...pose, hip: { h: 960 + sign * speed * T * (i / 30 - frames / 60), z: -600 } }));
}

export interface GaitOptions {
  /** Steps per minute: a stride (two steps) lasts 120 / cadence seconds. */
  cadence: number;
  frames: number;
  direction: 'left' | 'right';
  /** The right leg's phase lag behind the left, in strides (0.5: symmetric). */
  rightPhase?: number;
  trunkLeanDeg?: number;
  speed?: number;
}

/**
 * A periodic gait: hip flexion 10 + 20 sin(phase), knee flexion 30 - 28 cos(phase + 0.6), the
 * right leg `rightPhase` of a stride behind the left, the hip midpoint moving at `speed`
 * trunk lengths a second.
 */
export function gaitFigures(o: GaitOptions): FigurePose[] {
  const sign = o.direction === 'right' ? 1 : -1;
  const speed = o.speed ?? 1.5;
  const stride = 120 / o.cadence; // seconds
  const rp = o.rightPhase ?? 0.5;
  return Array.from({ length: o.frames }, (_, i) => {
    const t = i / 30;
    const pl = (2 * Math.PI * t) / stride;
    const pr = pl - 2 * Math.PI * rp;
    return {
      trunkLeanDeg: o.trunkLeanDeg ?? 4,
      headForwardDeg: 10,
      hipFlexionDeg: { left: 10 + 20 * Math.sin(pl), right: 10 + 20 * Math.sin(pr) },
      kneeFlexionDeg: { left: 30 - 28 * Math.cos(pl + 0.6), right: 30 - 28 * Math.cos(pr + 0.6) },
      hip: { h: 300 + sign * speed * T * t, z: -600 },
    };
  });
}

/** Gaussian noise of SD `sd` pixels on every coordinate (seeded). */
export function withNoise(track: PoseTrack, sd: number, seed: number): PoseTrack {
  const g = gaussianNoise(seed);
  return { ...track, points: track.points.map((v, i) => (i % 3 === 2 ? v : v + sd * g())) };
}

/** The track with a keypoint pair's labels exchanged on the listed frames (a pose model's left/right swap). */
export function withSwap(track: PoseTrack, pairs: ReadonlyArray<readonly [KeypointName, KeypointName]>, frames: readonly number[]): PoseTrack {
  const points = [...track.points];
  const k = track.names.length;
  for (const frame of frames) {
    const i = track.frames.indexOf(frame);
    for (const [a, b] of pairs) {
      const oa = (i * k + track.names.indexOf(a)) * 3;
      const ob = (i * k + track.names.indexOf(b)) * 3;
      for (let c = 0; c < 3; c++) [points[oa + c], points[ob + c]] = [points[ob + c]!, points[oa + c]!];
    }
  }
  return { ...track, points };
}

/** The track with one keypoint's score set on the listed frames. */
export function withScore(track: PoseTrack, name: KeypointName, frames: readonly number[], score: number): PoseTrack {
  const points = [...track.points];
  const k = track.names.length;
  for (const frame of frames) points[(track.frames.indexOf(frame) * k + track.names.indexOf(name)) * 3 + 2] = score;
  return { ...track, points };
}
