/**
 * The key frame a clinician reads first: which video and frame it is, and the lines the
 * posture angles are measured on, in the original's pixels. The patient page draws them over
 * the de-identified still as SVG and the one-page summary PDF with pdfkit, from the same numbers.
 */
import type { Video } from '../../contract/entities.js';
import type { KeypointName, MeasurementFrames, PoseTrack, VideoMeasurements } from '../../contract/measurements.js';
import { visitsOf } from '../recordingDay.js';

export interface Point {
  x: number;
  y: number;
}

/** Which body part a line belongs to (the colours the figures share). */
export type LinePart = 'trunk' | 'head' | 'left' | 'right';

export interface PostureLines {
  /** The vertical through the hips that trunk lean is measured from; null without hips and shoulders. */
  vertical: { a: Point; b: Point } | null;
  segments: Array<{ part: LinePart; a: Point; b: Point }>;
}

/** The rectangle of the original a figure shows. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The key frame of a video: the middle of its best-seen sagittal segment (highest quality, the
 * earlier one on a tie), on a frame that has keypoints; undefined when no segment is sagittal.
 */
export function keyFrameOf(measurements: VideoMeasurements, frames: MeasurementFrames): number | undefined {
  const sagittal = measurements.segments.filter((s) => s.view === 'sagittal').sort((a, b) => b.quality - a.quality || a.index - b.index);
  const best = sagittal[0];
  if (!best) return undefined;
  const middle = (best.startFrame + best.endFrame) / 2;
  const candidates = frames.pose.frames.filter((f) => f >= best.startFrame && f <= best.endFrame);
  return candidates.sort((a, b) => Math.abs(a - middle) - Math.abs(b - middle))[0];
}

/** The patient's keypoints on one frame of the pose track, those scored at least `minScore` only. */
export function keypointsOnFrame(pose: PoseTrack, frame: number, minScore: number): Map<KeypointName, Point> {
  const index = pose.frames.indexOf(frame);
  const points = new Map<KeypointName, Point>();
  if (index < 0) return points;
  const stride = pose.names.length * 3;
  pose.names.forEach((name, k) => {
    const base = index * stride + k * 3;
    if (pose.points[base + 2]! >= minScore) points.set(name, { x: pose.points[base]!, y: pose.points[base + 1]! });
  });
  return points;
}

const midpoint = (a: Point | undefined, b: Point | undefined): Point | undefined => (a && b ? { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } : (a ?? b));

/**
 * The trunk (hip midpoint to shoulder midpoint), the head (shoulders to an ear), each thigh and
 * shank, and the vertical through the hips reaching 30% of the trunk above the shoulders.
 * A line is left out when one of its ends was not seen.
 */
export function postureLines(points: ReadonlyMap<KeypointName, Point>): PostureLines {
  const hips = midpoint(points.get('leftHip'), points.get('rightHip'));
  const shoulders = midpoint(points.get('leftShoulder'), points.get('rightShoulder'));
  const segments: PostureLines['segments'] = [];
  const add = (part: LinePart, a: Point | undefined, b: Point | undefined) => {
    if (a && b) segments.push({ part, a, b });
  };
  add('trunk', hips, shoulders);
  add('head', shoulders, points.get('leftEar') ?? points.get('rightEar'));
  for (const side of ['left', 'right'] as const) {
    add(side, points.get(`${side}Hip`), points.get(`${side}Knee`));
    add(side, points.get(`${side}Knee`), points.get(`${side}Ankle`));
  }
  const vertical = hips && shoulders ? { a: hips, b: { x: hips.x, y: shoulders.y - (hips.y - shoulders.y) * 0.3 } } : null;
  return { vertical, segments };
}

/**
 * The part of the original a figure of aspect `aspect` (width / height) shows: the keypoints'
 * extent with 35% more around it, widened or heightened to the aspect; null with no keypoints.
 */
export function figureRegion(points: ReadonlyMap<KeypointName, Point>, aspect: number): Region | null {
  if (points.size === 0) return null;
  const xs = [...points.values()].map((p) => p.x);
  const ys = [...points.values()].map((p) => p.y);
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  // a single point (or a straight line of points) still gets a figure around it
  let height = Math.max((Math.max(...ys) - Math.min(...ys)) * 1.35, 1);
  let width = Math.max((Math.max(...xs) - Math.min(...xs)) * 1.35, 1);
  if (width / height < aspect) width = height * aspect;
  else height = width / aspect;
  return { x: cx - width / 2, y: cy - height / 2, width, height };
}

/**
 * The original whose key frame leads the patient's page and summary: the newest visit that has
 * a measured original (videos without a recording day count as older than any dated visit),
 * and in it the last one imported. Undefined when no original is measured.
 */
export function latestMeasuredVideo(videos: readonly Video[], isMeasured: (videoId: number) => boolean): Video | undefined {
  for (const visit of visitsOf(videos)) {
    const measured = visit.originals.filter((o) => isMeasured(o.video.id));
    if (measured.length > 0) return measured.at(-1)!.video;
  }
  return undefined;
}
