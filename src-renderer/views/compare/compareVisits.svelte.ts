import type { WalkScopeClient } from '../../lib/api/client.js';
import type { Video } from '../../../src-main/contract/entities.js';
import { sagittalFive, type VideoMeasurements } from '../../../src-main/contract/measurements.js';
import { visitsOf } from '../../../src-main/domain/recordingDay.js';
import { alignmentOf, compareMeasures, measureTrend, type AlignPoint, type ComparedMeasure, type SagittalMeasure, type TrendPoint } from '../../../src-main/domain/visitComparison.js';

export type AlignChoice = 'start' | 'firstLeft' | 'firstRight' | 'picked';

/** The two videos to compare when none are named: the first original of the two newest visits, older first; with one visit, its first two. */
export function defaultPair(videos: readonly Video[]): [number, number] | null {
  const visits = visitsOf(videos).filter((v) => v.originals.length > 0);
  const [newest, previous] = visits;
  if (newest && previous) return [previous.originals[0]!.video.id, newest.originals[0]!.video.id];
  // one visit (or only videos without a day): its first two originals, in import order
  const [first, second] = newest?.originals ?? [];
  return first && second ? [first.video.id, second.video.id] : null;
}

/**
 * The compare screen's data: the patient's videos, the measurements of each, the pair shown,
 * how the two are lined up, the measures side by side and the trend over visits.
 */
export class CompareVisits {
  videos = $state<Video[]>([]);
  measurements = $state<Record<number, VideoMeasurements | null>>({});
  loaded = $state(false);
  error = $state<string | null>(null);
  a = $state<number | null>(null);
  b = $state<number | null>(null);
  align = $state<AlignChoice>('start');
  /** The moments picked in each video when lining up at "the frames shown now". */
  picked = $state<{ timeA: number; timeB: number }>({ timeA: 0, timeB: 0 });

  constructor(
    private readonly client: WalkScopeClient,
    readonly code: string,
  ) {}

  async load(a: number | null, b: number | null): Promise<void> {
    try {
      const [detail, patientMeasures] = await Promise.all([this.client.call('patients.get', { code: this.code }), this.client.call('measurements.patient', { code: this.code })]);
      this.videos = detail.videos;
      const byId: Record<number, VideoMeasurements | null> = {};
      for (const v of patientMeasures.videos) byId[v.videoId] = v.measurements;
      this.measurements = byId;
      const pair = a !== null && b !== null ? [a, b] : defaultPair(detail.videos);
      this.a = pair?.[0] ?? null;
      this.b = pair?.[1] ?? null;
      await this.ensureMeasured([this.a, this.b]);
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.loaded = true;
    }
  }

  /** Clips are not in the patient's measurement list: their measures are fetched when picked. */
  private async ensureMeasured(ids: Array<number | null>): Promise<void> {
    for (const id of ids) {
      if (id === null || id in this.measurements) continue;
      const m = await this.client.call('measurements.get', { videoId: id });
      this.measurements = { ...this.measurements, [id]: m };
    }
  }

  async pick(which: 'a' | 'b', id: number): Promise<void> {
    this[which] = id;
    await this.ensureMeasured([id]);
  }

  video(id: number | null): Video | undefined {
    return id === null ? undefined : this.videos.find((v) => v.id === id);
  }

  /** The day a video was recorded (a clip's is its original's). */
  dayOf(id: number | null): string | null {
    return this.video(id)?.recordedOn ?? null;
  }

  get alignPoint(): AlignPoint {
    if (this.align === 'firstLeft') return { kind: 'firstContact', side: 'left' };
    if (this.align === 'firstRight') return { kind: 'firstContact', side: 'right' };
    if (this.align === 'picked') return { kind: 'picked', ...this.picked };
    return { kind: 'start' };
  }

  get alignment() {
    const ma = this.a === null ? null : this.measurements[this.a];
    const mb = this.b === null ? null : this.measurements[this.b];
    return alignmentOf(this.alignPoint, ma?.gait, mb?.gait);
  }

  get compared(): ComparedMeasure[] {
    const ma = this.a === null ? null : (this.measurements[this.a] ?? null);
    const mb = this.b === null ? null : (this.measurements[this.b] ?? null);
    return compareMeasures(ma, mb);
  }

  get hasMeasures(): boolean {
    return this.compared.some((r) => r.a !== null || r.b !== null);
  }

  /** Each of the five sagittal measures over the visit days of the patient's originals. */
  get trends(): Array<{ measure: SagittalMeasure; points: TrendPoint[] }> {
    const rows = this.videos.filter((v) => v.kind === 'original').map((v) => ({ day: v.recordedOn, summary: this.measurements[v.id]?.summary ?? null }));
    return sagittalFive.map((measure) => ({ measure, points: measureTrend(rows, measure) }));
  }
}
