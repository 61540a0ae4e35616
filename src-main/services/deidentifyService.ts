import { readFile, rm } from 'node:fs/promises';
import { AppError } from '../contract/errors.js';
import { fillHeadGaps, headEllipses, headFromKeypoints, type Ellipse } from '../domain/deidentify/headEllipses.js';
import type { PoseTrack } from '../contract/measurements.js';
import { writeDeidentifiedClip, type DeidentifiedClipResult } from '../media/deidentifiedClip.js';
import { stillFrameJpeg } from '../media/stillFrame.js';
import type { AnalysisResults } from './analysisResults.js';
import type { ServiceContext } from './serviceContext.js';

/** What a de-identified export may be handed: the file, named after nothing of the patient's. */
export interface ExportedFile {
  fileName: string;
  mimeType: string;
  content: Buffer;
}

/**
 * De-identified exports: a video's clip with every head stage 1 found blurred, no audio and no
 * container metadata; and the heads to blur on a report's still. The heads come from the current
 * stage 1 result (the patient's face keypoints, everyone else's box), so a video must have been
 * analysed first; a face the detector never found is not blurred, and the screens and the CLI
 * say so.
 */
export class DeidentifyService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly results: AnalysisResults,
  ) {}

  /** The heads to blur on every frame of a video's 30 fps timeline, with the timeline's facts. */
  heads(videoId: number): { width: number; height: number; fps: number; heads: Ellipse[][] } {
    const video = this.ctx.store.videos.get(videoId);
    if (video.kind !== 'original') throw new AppError('STAGE1_ON_DERIVED', String(videoId));
    const overlay = this.results.tracks(videoId);
    if (!overlay) throw new AppError('DEIDENTIFY_NEEDS_ANALYSIS', `${video.originalName} (video ${videoId})`);
    return { width: overlay.width, height: overlay.height, fps: overlay.fps, heads: headEllipses(overlay) };
  }

  /**
   * The heads on one frame, for a still: stage 1's, and the patient's from the measurement
   * step's keypoints when given (a finer head on the frame the report shows).
   */
  headsOnFrame(videoId: number, frame: number, pose?: PoseTrack): Ellipse[] {
    const { heads } = this.heads(videoId);
    const onFrame = [...(heads[Math.min(Math.max(0, frame), heads.length - 1)] ?? [])];
    if (pose) {
      const perFrame = pose.names.length * 3;
      const seen = new Map<number, Ellipse>();
      pose.frames.forEach((f, i) => {
        const head = headFromKeypoints(pose.points, i * perFrame, undefined);
        if (head) seen.set(f, head);
      });
      const head = fillHeadGaps(seen, frame + 1)[frame];
      if (head) onFrame.push(head);
    }
    return onFrame;
  }

  /** Writes the de-identified clip of an original video to `output` (an MP4). */
  async exportClip(videoId: number, output: string, options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}): Promise<DeidentifiedClipResult> {
    const video = this.ctx.store.videos.get(videoId);
    const { width, height, fps, heads } = this.heads(videoId);
    return this.ctx.store.vault.withMediaInput(video.vaultPath, (input) =>
      writeDeidentifiedClip({
        input,
        output,
        width,
        height,
        fps,
        heads,
        ffmpeg: this.ctx.ffmpeg(),
        signal: options.signal,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      }),
    );
  }

  /**
   * The frame of an original on screen at `timeSec` (the review clock) as a PNG at the video's
   * own size, for the review screen's snapshot (the screen draws its overlays on it). With
   * `blurFaces` every head on that frame of the 30 fps timeline is blurred (stage 1's, and the
   * measured patient's from `pose`), so it needs stage 1; without, it is the plain frame. Named
   * after the day it was made and the time in the video only: never the patient's code or name.
   */
  async snapshot(videoId: number, timeSec: number, options: { blurFaces: boolean; pose?: PoseTrack; now?: Date }): Promise<ExportedFile & { width: number; height: number; frame: number; blurredHeads: number }> {
    const video = this.ctx.store.videos.get(videoId);
    if (video.kind !== 'original') throw new AppError('STAGE1_ON_DERIVED', String(videoId));
    const frame = Math.floor(Math.max(0, timeSec) * 30 + 1e-3);
    // the plain frame goes through the same raw-pixel path with no head, so both have the same colours
    let blur: { heads: Ellipse[]; sourceWidth: number; sourceHeight: number } = { heads: [], sourceWidth: video.probe.displayWidth, sourceHeight: video.probe.displayHeight };
    if (options.blurFaces) {
      const { width, height } = this.heads(videoId);
      blur = { heads: this.headsOnFrame(videoId, frame, options.pose), sourceWidth: width, sourceHeight: height };
    }
    const content = await this.ctx.store.vault.withMediaInput(video.vaultPath, (input) =>
      stillFrameJpeg(input, timeSec, { ffmpeg: this.ctx.ffmpeg(), format: 'png', maxWidth: blur.sourceWidth, blur }),
    );
    const size = pngSize(content);
    return { fileName: snapshotFileName(options.now ?? new Date(), timeSec), mimeType: 'image/png', content, width: size.width, height: size.height, frame, blurredHeads: blur.heads.length };
  }

  /** The de-identified clip as a file to hand to the page (written in the vault's temp folder, then removed). */
  async clipFile(videoId: number): Promise<ExportedFile & { result: DeidentifiedClipResult }> {
    const temp = this.ctx.store.vault.tempPath('.deidentified.mp4');
    try {
      const result = await this.exportClip(videoId, temp);
      return { fileName: deidentifiedClipName(videoId), mimeType: 'video/mp4', content: await readFile(temp), result };
    } finally {
      await rm(temp, { force: true });
    }
  }
}

/** A snapshot's name: the local day it was made and the time in the video (`walkscope-snapshot-2026-05-01-3.033s.png`). */
export function snapshotFileName(now: Date, timeSec: number): string {
  const day = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  return `walkscope-snapshot-${day}-${Math.max(0, timeSec).toFixed(3)}s.png`;
}

/** The width and height in a PNG's header (its IHDR chunk). */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || png.readUInt32BE(0) !== 0x89504e47 || png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('ffmpeg did not write a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The export's name says which video it is to WalkScope and nothing about the patient (not the original file name, which may hold one). */
export function deidentifiedClipName(videoId: number): string {
  return `walkscope-video-${videoId}-deidentified.mp4`;
}
