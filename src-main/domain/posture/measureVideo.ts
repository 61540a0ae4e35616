import type { FrameSeries, GaitSummary, MeasureSegment, MeasureSummary, PoseTrack } from '../../contract/measurements.js';
import { bodyFrames, type BodyFrame } from './body.js';
import { checkMinScore, defaultMinScore } from './confidence.js';
import { frameIsConfident, frameMeasureNames, frameMeasures, segmentEarSide, type FrameMeasureName } from './frameMeasures.js';
import { gaitSummary, type WalkingSpan } from './gait.js';
import { defaultKeypointFilter, describeFilter, filterPose, type KeypointFilter } from './keypointFilter.js';
import { checkPose, frameLookup } from './keypoints.js';
import { segmentMeasures } from './segmentStats.js';
import { oneSecondSegments } from './segmenting.js';
import { summariseSegments } from './summaries.js';
import { repairSwaps } from './swapRepair.js';
import { segmentView, type SegmentView } from './viewDirection.js';

/**
 * The measurement of one video, from the patient's raw keypoints: gate (confidence.ts),
 * repair left/right swaps on the raw keypoints (swapRepair.ts, before any filter smears a
 * swap into its neighbours), filter (keypointFilter.ts), turn into scene axes under the
 * vertical reference (sceneGeometry.ts), cut stage 1's segments into 1 s segments
 * (segmenting.ts), tell each one's view and direction (viewDirection.ts), measure the side-view
 * segments frame by frame (frameMeasures.ts) and per segment (segmentStats.ts), then gait
 * (gait.ts) and the video's summary (summaries.ts). Only side-view segments with a known
 * forward are measured: every measure is a sagittal-plane angle or distance.
 */

/** 2: head-forward posture from both ears when neither is seen clearly better over a segment (1: always the better-seen ear). */
export const measurementVersion = 2;

export interface MeasureInput {
  pose: PoseTrack;
  /** Stage 1's segments where the patient is in view (inclusive frames). */
  segments: ReadonlyArray<{ startFrame: number; endFrame: number }>;
  /** The scene's vertical drawn in the image: degrees from the image vertical, clockwise positive (default 0). */
  verticalReferenceDeg?: number;
  /** Keypoints scored below this are not used (default confidence.ts's 0.3). */
  minScore?: number;
  /** The temporal filter (default keypointFilter.ts's Savitzky-Golay). */
  filter?: KeypointFilter;
}

export interface MeasureOutput {
  pose: PoseTrack;
  series: FrameSeries;
  segments: MeasureSegment[];
  gait: GaitSummary;
  summary: MeasureSummary;
  filter: string;
  swapsRepaired: number;
  minScore: number;
}

function viewNotes(v: SegmentView): string[] {
  switch (v.view) {
    case 'frontal':
      return [`seen from the ${v.frontOrBack ?? 'front'} in this segment: no sagittal measures`];
    case 'oblique':
      return ['seen at an angle (oblique) in this segment: no sagittal measures'];
    case 'unknown':
      return ['shoulders and hips not seen well enough in this segment to tell the view: no measures'];
    case 'sagittal':
      return v.forward === null ? ['side view, but neither the walking direction nor the facing could be told: no measures (their signs depend on it)'] : [];
  }
}

export function measureVideo(input: MeasureInput): MeasureOutput {
  const raw = input.pose;
  checkPose(raw);
  const minScore = checkMinScore(input.minScore ?? defaultMinScore);
  const vertical = input.verticalReferenceDeg ?? 0;
  if (!Number.isFinite(vertical)) throw new RangeError(`the vertical reference is a number of degrees, not ${vertical}`);
  const filter = input.filter ?? defaultKeypointFilter;

  const repair = repairSwaps(raw, minScore);
  const pose = filterPose(repair.pose, minScore, filter);
  const bodies = bodyFrames(pose, minScore, vertical);
  const lookup = frameLookup(pose);
  const fps = pose.fps;

  const values = Object.fromEntries(frameMeasureNames.map((n) => [n, new Array<number | null>(pose.frames.length).fill(null)])) as Record<FrameMeasureName, Array<number | null>>;
  const walking: WalkingSpan[] = [];
  const segments: MeasureSegment[] = oneSecondSegments(input.segments, fps).map((span, index) => {
    const length = span.endFrame - span.startFrame + 1;
    const listed: number[] = [];
    const bs: BodyFrame[] = [];
    const idx: number[] = [];
    for (let f = span.startFrame; f <= span.endFrame; f++) {
      const i = lookup.get(f);
      if (i === undefined) continue;
      listed.push(f);
      bs.push(bodies[i]!);
      idx.push(i);
    }
    const view = segmentView(listed, bs, length, fps);
    const notes = viewNotes(view);
    const quality = bs.filter(frameIsConfident).length / length;
    let stats: MeasureSegment['stats'] = {};
    if (view.view === 'sagittal' && view.forward !== null) {
      const sign = view.forward;
      const earSide = segmentEarSide(bs);
      const perFrame = Object.fromEntries(frameMeasureNames.map((n) => [n, [] as Array<number | null>])) as Record<FrameMeasureName, Array<number | null>>;
      bs.forEach((b, k) => {
        const m = frameMeasures(b, sign, earSide);
        for (const n of frameMeasureNames) {
          perFrame[n].push(m[n]);
          values[n][idx[k]!] = m[n];
        }
      });
      const measured = segmentMeasures(perFrame, length);
      stats = measured.stats;
      notes.push(...measured.notes);
      if (view.direction !== null) walking.push({ startFrame: span.startFrame, endFrame: span.endFrame, forward: sign });
    }
    if (listed.length < length) notes.push(`${length - listed.length} of ${length} frames have no keypoints`);
    return {
      index,
      startFrame: span.startFrame,
      endFrame: span.endFrame,
      startSec: span.startFrame / fps,
      endSec: (span.endFrame + 1) / fps,
      view: view.view,
      direction: view.direction,
      quality,
      stats,
      notes,
    };
  });

  const heels = pose.names.includes('leftHeel') && pose.names.includes('rightHeel');
  return {
    pose,
    series: { frames: [...pose.frames], values },
    segments,
    gait: gaitSummary(pose.frames, bodies, walking, fps, heels),
    summary: summariseSegments(segments),
    filter: describeFilter(filter),
    swapsRepaired: repair.framesRepaired,
    minScore,
  };
}

export { summariseVideos } from './summaries.js';
