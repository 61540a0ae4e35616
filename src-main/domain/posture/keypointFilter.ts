import type { PoseTrack } from '../../contract/measurements.js';
import { isConfident } from './confidence.js';
import { copyPose, pointOffset, readKeypoint } from './keypoints.js';
import { oneEuro, type OneEuroParams } from './oneEuro.js';
import { savitzkyGolay, type SavitzkyGolayParams } from './savitzkyGolay.js';
import { medianTrunkLength } from './trunkScale.js';

/**
 * Temporal filtering of the keypoints: each coordinate of each keypoint along the 30 fps
 * timeline, in trunk lengths (the track's median shoulder-to-hip distance), so the One Euro
 * filter's speed term means the same for a near and a far patient.
 *
 * Only confident keypoints are filtered, and only over runs of consecutive frames where the
 * keypoint is confident: a missing or low-scored keypoint is a gap, stays a gap (it keeps its
 * raw position and low score), and no filter carries a value across it.
 *
 * The default, from filterFigures.ts (seeded signals at 30 fps, noise SD 0.01 trunk lengths;
 * jitter = SD of frame-to-frame differences, raw 0.0140 still and 0.0144 on the 1 Hz sine):
 *
 * | filter                                  | jitter still | jitter sine | sine gain | sine lag | step lag | ramp lag |
 * |-----------------------------------------|--------------|-------------|-----------|----------|----------|----------|
 * | none                                    | 0.0140       | 0.0144      | 1.0052    | -0.01    | 0        | 0        |
 * | one-euro minCutoff=1 beta=0 dCutoff=1   | 0.0018       | 0.0299      | 0.6769    | 3.48     | 3.17     | 4.77     |
 * | one-euro minCutoff=1 beta=1 dCutoff=1   | 0.0020       | 0.0204      | 0.8929    | 2.16     | 0.39     | 2.39     |
 * | one-euro minCutoff=1.5 beta=3 dCutoff=1 | 0.0029       | 0.0136      | 0.9960    | 1.15     | 0.14     | 1.06     |
 * | savitzky-golay window=9 order=2         | 0.0031       | 0.0030      | 1.0027    | -0.01    | 0        | 0        |
 * | savitzky-golay window=11 order=3        | 0.0025       | 0.0025      | 0.9996    | -0.01    | 0        | 0        |
 *
 * (lags in frames.) The One Euro filter trades jitter on a still point against lag and lost
 * amplitude on a moving one: at settings that keep the knee's 1 Hz swing (gain near 1) it
 * still lags a frame and leaves the moving point's jitter at the raw level. Savitzky-Golay,
 * zero-phase because a recorded video has its future frames, cuts jitter 5.6-fold both still
 * and moving with no lag and the swing's amplitude kept (a maximum hip flexion is not shaved
 * off). Default: Savitzky-Golay, window 11 (0.37 s), degree 3; One Euro stays available.
 */

export type KeypointFilter = ({ kind: 'savitzky-golay' } & SavitzkyGolayParams) | ({ kind: 'one-euro' } & OneEuroParams);

export const defaultKeypointFilter: KeypointFilter = { kind: 'savitzky-golay', window: 11, order: 3 };

/** The filter in words, for provenance, e.g. "savitzky-golay window=11 order=3". */
export function describeFilter(filter: KeypointFilter): string {
  return filter.kind === 'savitzky-golay'
    ? `savitzky-golay window=${filter.window} order=${filter.order} (runs of confident keypoints)`
    : `one-euro minCutoff=${filter.minCutoff} beta=${filter.beta} dCutoff=${filter.dCutoff} (trunk lengths, runs of confident keypoints)`;
}

/** The track with each confident keypoint's coordinates filtered; scores and gated keypoints unchanged. */
export function filterPose(pose: PoseTrack, minScore: number, filter: KeypointFilter = defaultKeypointFilter): PoseTrack {
  const out = copyPose(pose);
  if (pose.frames.length === 0) return out;
  const scale = medianTrunkLength(pose, minScore) ?? (pose.height > 0 ? pose.height : 1);
  const first = pose.frames[0]!;
  const span = pose.frames[pose.frames.length - 1]! - first + 1;
  const apply = (values: Array<number | null>) =>
    filter.kind === 'savitzky-golay' ? savitzkyGolay(values, filter) : oneEuro(values, pose.fps, filter);
  for (let k = 0; k < pose.names.length; k++) {
    for (const c of [0, 1]) {
      const series = new Array<number | null>(span).fill(null);
      for (let i = 0; i < pose.frames.length; i++) {
        const p = readKeypoint(pose, i, k);
        if (isConfident(p, minScore)) series[pose.frames[i]! - first] = (c === 0 ? p.x : p.y) / scale;
      }
      const filtered = apply(series);
      for (let i = 0; i < pose.frames.length; i++) {
        const v = filtered[pose.frames[i]! - first];
        if (v !== null && v !== undefined) out.points[pointOffset(pose, i, k) + c] = v * scale;
      }
    }
  }
  return out;
}
