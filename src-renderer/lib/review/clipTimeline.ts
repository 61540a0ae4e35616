/**
 * Time on the review screen, and how the person-centred clip maps onto it.
 *
 * Stage 1 decodes the original onto a 30 fps timeline (ffmpeg's `fps=30`, see
 * src-main/detect/detectVideo.ts and src-main/media/cropWriter.ts): timeline frame f is the
 * original at f / 30 s, whatever the original's own frame rate. The person-centred clip holds
 * the timeline frames of the patient's segments (inclusive frame ranges, in order) written back
 * to back at 30 fps (src-main/domain/cropPlan.ts `outputStartFrame`): clip frame k is at k / 30 s.
 *
 * The review clock is original-video time in seconds; everything else is derived from it.
 */

export const TIMELINE_FPS = 30;

/**
 * Tolerance in frames when locating a frame: guards against 0.1 * 30 = 2.9999999999999996 and
 * against browsers reporting currentTime truncated to whole microseconds (a seek to 122/30 s
 * reads back as 4.066666 s, 0.00002 frames short). 0.001 frames is 33 microseconds.
 */
const EPS = 1e-3;

export interface SegmentLike {
  /** First timeline frame of the segment. */
  startFrame: number;
  /** Last timeline frame of the segment (inclusive). */
  endFrame: number;
}

export interface ClipSegment extends SegmentLike {
  /** Where the segment starts in the person-centred clip, in clip frames. */
  clipStartFrame: number;
}

/** Timeline frame shown at a time on the clock (frame f covers [f/30, (f+1)/30)). */
export function frameAt(sec: number): number {
  return Math.floor(sec * TIMELINE_FPS + EPS);
}

export function timeOfFrame(frame: number): number {
  return frame / TIMELINE_FPS;
}

/** The mapping between the original (the clock) and the person-centred clip. */
export class ClipTimeline {
  readonly segments: readonly ClipSegment[];
  /** Frames in the person-centred clip. */
  readonly clipFrames: number;

  constructor(segments: readonly SegmentLike[]) {
    const out: ClipSegment[] = [];
    let clipStartFrame = 0;
    let previousEnd = -1;
    segments.forEach((s, i) => {
      if (!Number.isInteger(s.startFrame) || !Number.isInteger(s.endFrame) || s.startFrame < 0) {
        throw new Error(`Segment ${i + 1} of stage 1 has frame numbers that are not whole non-negative numbers (${s.startFrame} to ${s.endFrame}).`);
      }
      if (s.endFrame < s.startFrame) throw new Error(`Segment ${i + 1} of stage 1 ends (frame ${s.endFrame}) before it starts (frame ${s.startFrame}).`);
      if (s.startFrame <= previousEnd) throw new Error(`Segment ${i + 1} of stage 1 starts at frame ${s.startFrame}, inside or before the previous segment (which ends at frame ${previousEnd}).`);
      out.push({ startFrame: s.startFrame, endFrame: s.endFrame, clipStartFrame });
      clipStartFrame += s.endFrame - s.startFrame + 1;
      previousEnd = s.endFrame;
    });
    this.segments = out;
    this.clipFrames = clipStartFrame;
  }

  get clipDurationSec(): number {
    return this.clipFrames / TIMELINE_FPS;
  }

  /** Index of the segment holding this clock time, or -1 when the patient is not in the clip there. */
  segmentIndexAt(originalSec: number): number {
    const p = originalSec * TIMELINE_FPS + EPS;
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.segments[mid]!;
      if (p < s.startFrame) hi = mid - 1;
      else if (p >= s.endFrame + 1) lo = mid + 1;
      else return mid;
    }
    return -1;
  }

  /** Clip time showing the same moment as this clock time, or null outside every segment. */
  clipTimeAt(originalSec: number): number | null {
    const index = this.segmentIndexAt(originalSec);
    if (index < 0) return null;
    const s = this.segments[index]!;
    const offset = Math.max(0, originalSec * TIMELINE_FPS - s.startFrame);
    return (s.clipStartFrame + offset) / TIMELINE_FPS;
  }

  /** Clock time of a clip time (clamped to the clip; the clip's end maps to the end of the last segment). */
  originalTimeAt(clipSec: number): number {
    if (this.segments.length === 0) throw new Error('The person-centred clip has no segments, so it has no time to map.');
    const q = Math.max(0, clipSec * TIMELINE_FPS);
    for (const s of this.segments) {
      const length = s.endFrame - s.startFrame + 1;
      if (q + EPS < s.clipStartFrame + length) return (s.startFrame + Math.max(0, q - s.clipStartFrame)) / TIMELINE_FPS;
    }
    const last = this.segments.at(-1)!;
    return (last.endFrame + 1) / TIMELINE_FPS;
  }

  /** Start of the next segment after this clock time (for "jump to where the patient is"), or null. */
  nextSegmentStart(originalSec: number): number | null {
    const p = originalSec * TIMELINE_FPS + EPS;
    const next = this.segments.find((s) => s.startFrame > p);
    return next ? next.startFrame / TIMELINE_FPS : null;
  }
}

/** Which video stage 2 classified, against the two on screen. */
export interface ClassifiedRef {
  classifiedVideoId: number;
  originalVideoId: number;
  /** The person-centred clip on screen, or null when there is none. */
  clipVideoId: number | null;
}

function checkClassified(ref: ClassifiedRef, timeline: ClipTimeline | null): 'original' | 'clip' {
  if (ref.classifiedVideoId === ref.originalVideoId) return 'original';
  if (ref.clipVideoId !== null && ref.classifiedVideoId === ref.clipVideoId) {
    if (!timeline) throw new Error('The classified video is the person-centred clip, but its segments are not loaded.');
    return 'clip';
  }
  throw new ClassifiedNotShown(ref);
}

/**
 * Stage 2 scored a video that is not on screen (an earlier person-centred clip). The message
 * holds the ids for logs; the screen says it in the reader's language from `ref`.
 */
export class ClassifiedNotShown extends Error {
  constructor(readonly ref: ClassifiedRef) {
    super(
      `The classification was made on video ${ref.classifiedVideoId}, which is not on screen (the original is video ${ref.originalVideoId}, the person-centred clip ${ref.clipVideoId === null ? 'is not made yet' : `is video ${ref.clipVideoId}`}). Classify again to see scores for what is shown.`,
    );
  }
}

/** The clock time as a time in the classified video, or null when that moment is not in it. */
export function classifiedTimeAt(clockSec: number, ref: ClassifiedRef, timeline: ClipTimeline | null): number | null {
  return checkClassified(ref, timeline) === 'original' ? clockSec : timeline!.clipTimeAt(clockSec);
}

/** The clock time showing a time of the classified video (e.g. a click on the score timeline). */
export function clockTimeOfClassified(classifiedSec: number, ref: ClassifiedRef, timeline: ClipTimeline | null): number {
  if (!Number.isFinite(classifiedSec)) throw new Error(`A time in the classified video must be a number of seconds, not ${classifiedSec}.`);
  return checkClassified(ref, timeline) === 'original' ? Math.max(0, classifiedSec) : timeline!.originalTimeAt(classifiedSec);
}
