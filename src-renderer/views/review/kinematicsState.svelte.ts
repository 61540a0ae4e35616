/**
 * The posture and gait measurements of the video on the review screen: what is loaded
 * (`measurements.get` and `measurements.frames`), what the panel says when there is nothing to
 * chart, the chart's layout for its width, the angle overlay's switches and its figures at a
 * frame, and the CSV export. KinematicsPanel and AngleOverlay render it; ReviewView calls
 * `watch` from an effect and `onJobUpdate` for every job.
 */
import { untrack } from 'svelte';
import type { Job } from '../../../src-main/contract/entities.js';
import { measureInfo, measureNames, type MeasureName, type MeasurementFrames, type VideoMeasurements, type ViewKind } from '../../../src-main/contract/measurements.js';
import type { WalkScopeClient } from '../../lib/api/client.js';
import { downloadFile } from '../../lib/download.js';
import { PoseIndex, anglesAt, type FrameAngles } from '../../lib/review/angleOverlay.js';
import { layoutKinematics, type KinematicsLayout } from '../../lib/review/kinematicsChart.js';
import { lastFrameOf } from '../../lib/review/playback.js';
import { language, t } from '../../lib/i18n.svelte.js';

/** The catalogue key of each view's name. */
export const viewNameKeys = {
  sagittal: 'review.viewNames.sagittal',
  frontal: 'review.viewNames.frontal',
  oblique: 'review.viewNames.oblique',
  unknown: 'review.viewNames.unknown',
} as const satisfies Record<ViewKind, string>;

/** What the panel shows instead of charts, or 'charts'. */
export type KinematicsStatus = 'loading' | 'failed' | 'not measured' | 'no sagittal' | 'no frames' | 'charts';

/** Width used until the page has laid the chart out (and in tests, where nothing is laid out). */
export const fallbackChartWidth = 960;

export class KinematicsState {
  measurements = $state.raw<VideoMeasurements | null>(null);
  frames = $state.raw<MeasurementFrames | null>(null);
  /** The first load of this video has answered. */
  loaded = $state(false);
  error = $state<string | null>(null);
  exportError = $state<string | null>(null);
  exporting = $state<'frame' | 'segment' | 'clip' | null>(null);
  /** Bumped to load again (a measure job of this video finished, a vertical reference changed). */
  reloads = $state(0);
  /** The width the page gives the chart (0 until measured). */
  measuredWidth = $state(0);

  // ---- the angle overlay's switches ("On the original") ----

  showTrunk = $state(true);
  showHead = $state(false);
  showThigh = $state(false);
  showKnee = $state(false);

  /** The video shown (set by `watch`). */
  private videoId = 0;
  /** Its duration, for the chart's time axis. */
  private durationSec = $state(0);

  /** `client` is a getter so the component can pass its prop without capturing its first value. */
  constructor(private readonly client: () => WalkScopeClient) {}

  readonly index = $derived.by(() => {
    if (!this.frames) return null;
    try {
      return new PoseIndex(this.frames);
    } catch {
      return null;
    }
  });

  readonly status = $derived.by((): KinematicsStatus => {
    if (!this.loaded) return 'loading';
    if (this.error) return 'failed';
    if (!this.measurements) return 'not measured';
    if (this.measurements.summary.sagittalSegments === 0) return 'no sagittal';
    if (!this.frames || !this.index) return 'no frames';
    return 'charts';
  });

  /** Why there are no sagittal measures, in words (for the 'no sagittal' status). */
  readonly noSagittalWords = $derived.by(() => {
    const segments = this.measurements?.segments ?? [];
    if (segments.length > 0 && segments.every((s) => s.view === 'frontal')) return t('review.kinematics.onlyFrontal');
    if (segments.length === 0) return t('review.kinematics.tooShort');
    const counts = new Map<ViewKind, number>();
    for (const s of segments) counts.set(s.view, (counts.get(s.view) ?? 0) + 1);
    const views = [...counts].map(([view, n]) => `${t(viewNameKeys[view])} ${n}`).join(t('review.kinematics.listSeparator'));
    return t('review.kinematics.noSide', { views });
  });

  /** The chart's rows: the per-frame measures the series holds, in the contract's order. */
  readonly chartMeasures = $derived<MeasureName[]>(measureNames.filter((n) => measureInfo[n].perFrame && this.frames?.series.values[n] !== undefined));

  readonly chartWidth = $derived(this.measuredWidth > 0 ? this.measuredWidth : fallbackChartWidth);

  readonly layout = $derived.by((): KinematicsLayout | null => {
    if (this.status !== 'charts' || !this.frames || !this.measurements) return null;
    try {
      return layoutKinematics({
        width: this.chartWidth,
        durationSec: this.durationSec,
        lastFrame: lastFrameOf(this.durationSec),
        series: this.frames.series,
        measures: this.chartMeasures,
        segments: this.measurements.segments,
        contacts: this.measurements.gait.footContacts,
      });
    } catch {
      return null;
    }
  });

  /** True when the overlay switches have something to draw. */
  readonly canDrawAngles = $derived(this.index !== null && this.measurements !== null);

  /** The angle overlay's figures on a frame (`unit`: image pixels per CSS pixel). */
  anglesAt(frame: number, unit: number): FrameAngles {
    const index = this.index;
    const m = this.measurements;
    if (!index || !m) return { figures: [], note: null };
    return anglesAt(index, frame, m.segments, {
      trunk: this.showTrunk,
      head: this.showHead,
      thigh: this.showThigh,
      knee: this.showKnee,
      minScore: m.provenance.minScore,
      language: language(),
      verticalDeg: m.verticalReferenceDeg,
      unit,
    });
  }

  // ---- loading ----

  /** Loads the video's measurements; called from an effect, it runs again for another video or a reload(). */
  watch(videoId: number, durationSec: number): void {
    void this.reloads;
    untrack(() => {
      if (videoId !== this.videoId) {
        this.loaded = false;
        this.measurements = null;
        this.frames = null;
      }
      this.videoId = videoId;
      this.durationSec = durationSec;
      void this.load(videoId);
    });
  }

  reload(): void {
    this.reloads++;
  }

  /** The measurement step of this video finished: show its measurements. */
  onJobUpdate(job: Job): void {
    if (job.kind === 'measure' && job.status === 'done' && job.videoId === this.videoId) this.reload();
  }

  async load(videoId: number): Promise<void> {
    const client = this.client();
    try {
      const [measurements, frames] = await Promise.all([client.call('measurements.get', { videoId }), client.call('measurements.frames', { videoId })]);
      if (videoId !== this.videoId) return; // another video was opened meanwhile
      this.measurements = measurements;
      this.frames = frames;
      this.error = null;
    } catch (error) {
      if (videoId !== this.videoId) return;
      this.error = t('review.kinematics.loadFailed', { reason: (error as Error).message });
    }
    this.loaded = true;
  }

  /** Downloads the CSV of the measurements, one row per frame or per 1 s segment. */
  async exportCsv(level: 'frame' | 'segment'): Promise<void> {
    this.exporting = level;
    try {
      downloadFile(await this.client().call('measurements.export', { videoId: this.videoId, level }));
      this.exportError = null;
    } catch (error) {
      this.exportError = t('review.kinematics.csvFailed', { reason: (error as Error).message });
    } finally {
      this.exporting = null;
    }
  }

  /** Downloads the de-identified copy of the video: heads blurred, no audio, no metadata. */
  async exportDeidentifiedClip(): Promise<void> {
    this.exporting = 'clip';
    try {
      const { fileName, mimeType, contentBase64 } = await this.client().call('videos.exportDeidentified', { id: this.videoId });
      downloadFile({ fileName, mimeType, contentBase64 });
      this.exportError = null;
    } catch (error) {
      this.exportError = t('review.kinematics.deidentifiedFailed', { reason: (error as Error).message });
    } finally {
      this.exporting = null;
    }
  }
}
