import type { Keypoint } from './detectionTypes.js';

/**
 * Detection stride: the detector sees every k-th frame of the 30 fps timeline (frames 0, k,
 * 2k, ...), the tracker follows people on those frames, and the crop plan fills the frames
 * in between by linear interpolation of the patient's box (then smooths, as for every box).
 * Detection is about 90% of stage 1's time, so stride k divides most of the work by k; a
 * walker moves about a body height per second, so at 30 fps a box interpolated over k - 1
 * frames (k <= 5: under 0.17 s) stays on the person. Stride 1 is the paper's every frame.
 */
export const minStride = 1;
export const maxStride = 5;
/**
 * Chosen from measurements: against the every-frame run, strides 2 to 5 keep the walker's
 * shoulders and hips inside the crop in 98-100% of frames on all four real clips (wrists and
 * ankles too), the crop centre within 1.7% of a body height of the every-frame crop, the
 * same patient track, and the tracker keeps identities through the synthetic crossing at
 * every stride up to 5; detection time falls about k-fold. So the largest tested stride.
 * Use 3 (or 1) for crowded scenes where people cross often.
 */
export const defaultStride = 5;

/** A clear sentence for a stride that is not a whole number from 1 to 5; undefined when it is fine. */
export function strideProblem(stride: unknown): string | undefined {
  if (typeof stride !== 'number' || !Number.isInteger(stride) || stride < minStride || stride > maxStride) {
    return `the detection stride must be a whole number of frames from ${minStride} to ${maxStride} (detect every k-th frame), not ${String(stride)}`;
  }
  return undefined;
}

/** True when the detector sees `frame` at this stride. */
export function isDetectionFrame(frame: number, stride: number): boolean {
  return frame % stride === 0;
}

/**
 * The ffmpeg filter (placed after `fps=30`) that passes only the frames the detector needs,
 * so nothing is scaled, converted or piped for the others. `n` counts the frames leaving the
 * fps filter, i.e. the timeline index. Empty for stride 1.
 */
export function strideSelectFilter(stride: number): string {
  return stride === 1 ? '' : `select=not(mod(n\\,${stride}))`;
}

/** Interpolates two poses point by point (t = 0: a, t = 1: b); the score too. */
export function lerpKeypoints(a: readonly Keypoint[], b: readonly Keypoint[], t: number): Keypoint[] {
  return a.map((p, i) => {
    const q = b[i] ?? p;
    return { x: p.x + (q.x - p.x) * t, y: p.y + (q.y - p.y) * t, score: p.score + (q.score - p.score) * t };
  });
}

/**
 * Poses on every timeline frame between detections of the same person: where two detected
 * frames are exactly `stride` apart (neighbouring detection frames, nothing missed between),
 * the frames between get interpolated poses; longer gaps (the person was missed) are left
 * empty. Input sorted by frame; output sorted, the detected poses included as they are.
 */
export function fillPosesBetweenDetections<T extends { frame: number; keypoints: readonly Keypoint[] }>(
  points: readonly T[],
  stride: number,
): Array<{ frame: number; keypoints: Keypoint[]; interpolated: boolean }> {
  const out: Array<{ frame: number; keypoints: Keypoint[]; interpolated: boolean }> = [];
  points.forEach((p, i) => {
    const prev = points[i - 1];
    if (prev && stride > 1 && p.frame - prev.frame === stride && prev.keypoints.length > 0 && prev.keypoints.length === p.keypoints.length) {
      for (let f = prev.frame + 1; f < p.frame; f++) out.push({ frame: f, keypoints: lerpKeypoints(prev.keypoints, p.keypoints, (f - prev.frame) / stride), interpolated: true });
    }
    out.push({ frame: p.frame, keypoints: [...p.keypoints], interpolated: false });
  });
  return out;
}

/**
 * The length of the 30 fps timeline when only every k-th frame was decoded: `selected`
 * frames passed the stride filter, so the timeline holds between (selected - 1) k + 1 and
 * selected k frames. `counted` is the exact count when the decoder reported it.
 */
export function timelineLength(selected: number, stride: number, counted?: number): number {
  if (selected === 0) return counted ?? 0;
  const low = (selected - 1) * stride + 1;
  const high = selected * stride;
  if (counted !== undefined && (counted < low || counted > high)) {
    throw new Error(`the decoder counted ${counted} timeline frames but passed ${selected} at stride ${stride} (expected ${low} to ${high})`);
  }
  return counted ?? high;
}
