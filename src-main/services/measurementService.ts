import type { KeyFrameFigure, MeasureSummary, MeasurementFrames, VideoMeasurements } from '../contract/measurements.js';
import { figureRegion, keyFrameOf, keypointsOnFrame, latestMeasuredVideo, postureLines } from '../domain/posture/keyFrameFigure.js';
import { visitsOf } from '../domain/recordingDay.js';
import { AppError } from '../contract/errors.js';
import { stillFrameJpeg } from '../media/stillFrame.js';
import type { DeidentifyService } from './deidentifyService.js';
import { measurementFramesCsv, measurementSegmentsCsv } from '../report/measurementsCsv.js';
import { patientSummaryPdf, type SummaryVideo } from '../report/patientSummaryPdf.js';
import { japaneseFontPath, reportLanguage } from './reportLanguage.js';
import { appVersion } from '../runtime/appVersion.js';
import type { AnalysisResults } from './analysisResults.js';
import type { ServiceContext } from './serviceContext.js';

const slug = (name: string) => name.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60) || 'video';

/** Posture and gait measurements as the screens, exports and the CLI read them: only those made on a video's current stage 1 result. */
export class MeasurementService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly results: AnalysisResults,
    private readonly deidentify: DeidentifyService,
  ) {}

  current(videoId: number): VideoMeasurements | null {
    const stage1 = this.results.currentStage1(videoId);
    return stage1 ? (this.ctx.store.measurements.forStage1(videoId, stage1.id) ?? null) : null;
  }

  frames(videoId: number): MeasurementFrames | null {
    const current = this.current(videoId);
    return current ? (this.ctx.store.measurements.frames(current.analysisId) ?? null) : null;
  }

  /** The vertical reference the video's angles use: the newest vertical line drawn on it, in degrees from the image vertical (0: none drawn). */
  verticalReferenceDeg(videoId: number): number {
    return this.ctx.store.annotations.listForVideo(videoId).filter((a) => a.shape.kind === 'vertical').at(-1)?.value ?? 0;
  }

  /** A patient's original videos with their current measurements, and the patient's summary over them. */
  patient(code: string, summarise: (videos: MeasureSummary[]) => MeasureSummary): { summary: MeasureSummary | null; videos: Array<{ videoId: number; name: string; measurements: VideoMeasurements | null }> } {
    const patient = this.ctx.store.patients.getByCode(code);
    const videos = this.ctx.store.videos
      .listForPatient(patient.id)
      .filter((v) => v.kind === 'original')
      .map((v) => ({ videoId: v.id, name: v.originalName, measurements: this.current(v.id) }));
    const measured = videos.flatMap((v) => (v.measurements ? [v.measurements.summary] : []));
    return { summary: measured.length > 0 ? summarise(measured) : null, videos };
  }

  /** The one-page patient summary PDF: the latest measured video's key frame with its lines, the measures per video, the plots. */
  async summaryPdf(code: string, summarise: (videos: MeasureSummary[]) => MeasureSummary): Promise<{ fileName: string; mimeType: string; content: Buffer }> {
    const patient = this.ctx.store.patients.getByCode(code);
    const { summary, videos } = this.patient(code, summarise);
    const rows: SummaryVideo[] = [];
    for (const v of this.visitOrder(patient.id, videos)) {
      const video = this.ctx.store.videos.get(v.videoId);
      const frames = v.measurements ? this.frames(v.videoId) : null;
      const keyFrame = v.measurements && frames ? keyFrameOf(v.measurements, frames) : undefined;
      const jpeg = keyFrame === undefined ? undefined : await this.keyFrameStill(v.videoId, keyFrame, frames!);
      rows.push({ name: v.name, importedAt: video.importedAt, measurements: v.measurements, frames, ...(jpeg && keyFrame !== undefined ? { keyFrame: { jpeg, frame: keyFrame, width: frames!.pose.width, height: frames!.pose.height } } : {}) });
    }
    const language = reportLanguage(this.ctx.store.settings.get());
    const content = await patientSummaryPdf({ patient, videos: rows, summary, appVersion, generatedAt: new Date().toISOString(), language, japaneseFontPath: japaneseFontPath() });
    return { fileName: `walkscope-patient-${slug(patient.code)}-summary.pdf`, mimeType: 'application/pdf', content };
  }

  /**
   * The patient's originals oldest visit first (undated ones before the dated visits, as
   * older), so the last measured one is the key frame the patient page leads with.
   */
  private visitOrder<T extends { videoId: number }>(patientId: number, videos: T[]): T[] {
    const order = visitsOf(this.ctx.store.videos.listForPatient(patientId))
      .reverse()
      .flatMap((visit) => visit.originals.map((o) => o.video.id));
    return [...videos].sort((a, b) => order.indexOf(a.videoId) - order.indexOf(b.videoId));
  }

  /** The key frame that leads the patient page: the latest visit's measured original, de-identified, with its posture lines. */
  async keyFrame(code: string): Promise<KeyFrameFigure | null> {
    const patient = this.ctx.store.patients.getByCode(code);
    const video = latestMeasuredVideo(this.ctx.store.videos.listForPatient(patient.id), (id) => this.current(id) !== null);
    if (!video) return null;
    const measurements = this.current(video.id)!;
    const frames = this.frames(video.id);
    const base = { videoId: video.id, videoName: video.originalName, recordedOn: video.recordedOn };
    const frame = frames ? keyFrameOf(measurements, frames) : undefined;
    if (!frames || frame === undefined) return { ...base, figure: null };
    const points = keypointsOnFrame(frames.pose, frame, measurements.provenance.minScore);
    const region = figureRegion(points, 3 / 4);
    const jpeg = region ? await this.keyFrameStill(video.id, frame, frames) : undefined;
    if (!region || !jpeg) return { ...base, figure: null };
    const at = frames.series.frames.indexOf(frame);
    const values: Record<string, number> = {};
    for (const [name, series] of Object.entries(frames.series.values)) {
      const value = at < 0 ? null : series?.[at];
      if (typeof value === 'number') values[name] = value;
    }
    const lines = postureLines(points);
    return {
      ...base,
      figure: {
        frame,
        seconds: frame / frames.pose.fps,
        width: frames.pose.width,
        height: frames.pose.height,
        stillDataUrl: `data:image/jpeg;base64,${jpeg.toString('base64')}`,
        region,
        vertical: lines.vertical,
        segments: lines.segments,
        values,
      },
    };
  }

  /**
   * A report's key frame with every head blurred (stage 1's heads and the measured patient's);
   * none when the heads cannot be known (no stage 1 result): a report never shows a face.
   */
  private async keyFrameStill(videoId: number, frame: number, frames: MeasurementFrames): Promise<Buffer | undefined> {
    const video = this.ctx.store.videos.get(videoId);
    let heads;
    try {
      heads = this.deidentify.headsOnFrame(videoId, frame, frames.pose);
    } catch (error) {
      if (error instanceof AppError && error.code === 'DEIDENTIFY_NEEDS_ANALYSIS') return undefined;
      throw error;
    }
    return this.ctx.store.vault.withMediaInput(video.vaultPath, (input) =>
      stillFrameJpeg(input, frame / frames.pose.fps, {
        ffmpeg: this.ctx.ffmpeg(),
        blur: { heads, sourceWidth: frames.pose.width, sourceHeight: frames.pose.height },
      }),
    );
  }

  /** The CSV export of a video's current measurements, per frame or per segment. */
  exportCsv(videoId: number, level: 'frame' | 'segment'): { fileName: string; mimeType: string; content: Buffer } {
    const video = this.ctx.store.videos.get(videoId);
    const current = this.current(videoId);
    if (!current) throw new AppError('NOT_MEASURABLE', `${video.originalName} has no measurements yet (analyse it first)`);
    const text = level === 'segment' ? measurementSegmentsCsv(current) : measurementFramesCsv(current, this.frames(videoId)!);
    return { fileName: `walkscope-measurements-${slug(video.originalName)}-${level}s.csv`, mimeType: 'text/csv', content: Buffer.from(text, 'utf8') };
  }
}
