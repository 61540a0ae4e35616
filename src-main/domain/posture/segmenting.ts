/**
 * The paper's clip unit: 1 s segments inside each of stage 1's segments where the patient is
 * in view. A stage 1 segment is cut from its first frame into whole seconds (30 frames at
 * 30 fps); a shorter tail is kept as a segment of its own when it lasts at least half a second
 * (15 frames at 30 fps) and dropped otherwise. Segments never cross a stage 1 segment's ends.
 */

export interface FrameSpan {
  startFrame: number;
  /** Inclusive. */
  endFrame: number;
}

/** Frames per segment and the shortest tail kept, at a frame rate. */
export function segmentLengths(fps: number): { frames: number; minTail: number } {
  if (!(fps > 0)) throw new RangeError(`segments need a positive frame rate, not ${fps}`);
  const frames = Math.max(1, Math.round(fps));
  return { frames, minTail: Math.ceil(frames / 2) };
}

/** The 1 s segments of the stage 1 segments, in their order. */
export function oneSecondSegments(spans: ReadonlyArray<FrameSpan>, fps: number): FrameSpan[] {
  const { frames, minTail } = segmentLengths(fps);
  const out: FrameSpan[] = [];
  for (const span of spans) {
    if (!Number.isInteger(span.startFrame) || !Number.isInteger(span.endFrame)) throw new RangeError(`segment frames are whole numbers, not ${span.startFrame}..${span.endFrame}`);
    for (let start = span.startFrame; start <= span.endFrame; start += frames) {
      const end = Math.min(span.endFrame, start + frames - 1);
      if (end - start + 1 >= (end === start + frames - 1 ? frames : minTail)) out.push({ startFrame: start, endFrame: end });
    }
  }
  return out;
}
