import type { ReadingProtocol, StudyCase, StudyCaseRow, StudySummary } from '../contract/entities.js';
import { readingProtocolSchema } from '../contract/entities.js';
import { AppError } from '../contract/errors.js';
import { deriveSeed, seededShuffle } from '../domain/studies/seededOrder.js';
import { placeReadingWindow } from '../domain/studies/readingWindow.js';
import type { SessionOrder, StoredCase } from '../store/studiesRepo.js';
import type { Video } from '../contract/entities.js';
import type { StoredVideo } from '../store/videosRepo.js';
import type { AnalysisResults } from './analysisResults.js';
import type { ServiceContext } from './serviceContext.js';
import { caseModelScore } from './studyModelScores.js';

/** The diagnosis labels that make a case positive (ASD) or negative (other conditions). */
export function truthOf(diagnosis: string): 0 | 1 | undefined {
  if (diagnosis === 'ASD') return 1;
  if (diagnosis === 'unknown') return undefined;
  return 0;
}

/** The seed of a reader's order in one session, from the study's seed: recorded with the order. */
export function sessionSeed(studySeed: number, readerCode: string, session: number): number {
  return deriveSeed(studySeed, `reader:${readerCode}:session:${session}`);
}

/** Training cases first (in their own seeded order), then the analysed cases. */
function sessionOrder(cases: ReadonlyArray<Pick<StudyCase, 'caseCode' | 'training'>>, seed: number): string[] {
  const training = cases.filter((c) => c.training).map((c) => c.caseCode);
  const analysed = cases.filter((c) => !c.training).map((c) => c.caseCode);
  return [...seededShuffle(training, deriveSeed(seed, 'training')), ...seededShuffle(analysed, seed)];
}

/**
 * Reader studies and cross-validation cohorts: the protocol, the cases (with the window each
 * reader sees, cut where stage 1 kept the patient in view), the readers and their seeded
 * orders, one per session. Cases get study-local pseudonymous codes in a seeded random order,
 * so neither the code nor the order hints at the patient or the label.
 */
export class StudyService {
  private readonly store;
  constructor(
    private readonly ctx: ServiceContext,
    private readonly results: AnalysisResults,
  ) {
    this.store = ctx.store;
  }

  /** The stored video a study case shows (the person-centred clip or the original), for the blinded media endpoints. */
  caseVideo(studyId: number, caseCode: string): StoredVideo | undefined {
    const id = this.store.studies.caseVideoId(studyId, caseCode);
    return id === undefined ? undefined : this.store.videos.find(id);
  }

  create(actor: string, input: { name: string; description?: string; kind: StudySummary['kind']; protocol?: Partial<Omit<ReadingProtocol, 'blinded'>>; seed?: number; modelId?: string | null }): StudySummary {
    const parsed = readingProtocolSchema.safeParse({
      material: input.protocol?.material ?? 'clip',
      clipSeconds: input.protocol?.clipSeconds ?? 1,
      view: input.protocol?.view ?? 'person-centred',
      modalities: input.protocol?.modalities ?? ['unaided'],
      washoutDays: input.protocol?.washoutDays ?? 28,
      blinded: true,
    });
    if (!parsed.success) throw new AppError('STUDY_INVALID', parsed.error.issues.map((i) => i.message).join('; '));
    const seed = input.seed ?? Math.floor(Math.random() * 2 ** 31);
    return this.store.studies.create(actor, { name: input.name, description: input.description ?? '', kind: input.kind, protocol: parsed.data, seed, modelId: input.modelId ?? null, folds: null });
  }

  /**
   * Adds the original videos of the given patients (or the given videos) as cases. Every case
   * needs a ground truth (a patient labelled `unknown` is refused with the patient's code) and,
   * for a reader study, a stage 1 result: the window is cut inside the patient's segments, and
   * the person-centred view shows stage 1's clip. Every enrolled reader's orders get the new
   * cases appended in seeded order. Nothing is added when one video is refused.
   */
  addCases(actor: string, studyId: number, selection: { patientCodes?: string[]; videoIds?: number[]; training?: boolean }): StudyCase[] {
    const study = this.store.studies.get(studyId);
    const existing = this.store.studies.cases(studyId);
    const taken = new Set(existing.map((c) => c.videoId));
    const videos = [
      ...(selection.patientCodes ?? []).flatMap((code) => {
        const patient = this.store.patients.getByCode(code);
        const own = this.store.videos.listForPatient(patient.id).filter((v) => v.kind === 'original');
        if (own.length === 0) throw new AppError('STUDY_INVALID', `patient ${code} has no videos`);
        return own;
      }),
      ...(selection.videoIds ?? []).map((id) => this.store.videos.get(id)),
    ].filter((v, i, all) => !taken.has(v.id) && all.findIndex((w) => w.id === v.id) === i);
    if (videos.length === 0) throw new AppError('STUDY_INVALID', 'no new videos to add (they are already in the study, or none were named)');
    const training = selection.training ?? false;
    const fresh = videos.map((video) => {
      const patient = this.store.patients.getById(video.patientId);
      const truth = truthOf(patient.diagnosis);
      if (truth === undefined) throw new AppError('STUDY_INVALID', `patient ${patient.code} has no diagnosis label, so the case has no ground truth`);
      if (video.kind !== 'original') throw new AppError('STUDY_INVALID', `video ${video.id} is a derived clip; add the original video`);
      return { video, truth, patientCode: patient.code };
    });
    // Codes continue after existing ones, assigned in a seeded random order of the new videos.
    const shuffled = seededShuffle(fresh, deriveSeed(study.seed, `cases:${existing.length}`));
    const cases = shuffled.map(({ video, truth, patientCode }, i): Omit<StoredCase, 'patientCode' | 'fold'> => ({
      caseCode: `C${String(existing.length + i + 1).padStart(3, '0')}`,
      videoId: video.id,
      truth,
      training,
      ...(study.kind === 'reader' ? this.shownMaterial(study, video, patientCode) : { clipStartSec: null, clipEndSec: null, shown: null, stage1AnalysisId: null }),
    }));
    this.store.studies.addCases(actor, studyId, cases);
    this.appendToOrders(actor, studyId, cases.map((c) => ({ caseCode: c.caseCode, training: c.training })));
    return this.store.studies.cases(studyId);
  }

  /** Where the reader's window lies and on which video, from the video's current stage 1 result. */
  private shownMaterial(study: StudySummary, video: Video, patientCode: string): Pick<StoredCase, 'clipStartSec' | 'clipEndSec' | 'shown' | 'stage1AnalysisId'> {
    const stage1 = this.results.stage1Summary(video.id);
    const name = `video ${video.id} of patient ${patientCode}`;
    if (!stage1) throw new AppError('STUDY_INVALID', `${name} has no stage 1 result: analyse it first (reading clips are cut where stage 1 found the patient in view)`);
    if (stage1.segments.length === 0) throw new AppError('STUDY_INVALID', `stage 1 did not find the patient in ${name}`);
    const clipId = this.results.currentClipId(video.id);
    if (study.protocol.view === 'person-centred' && clipId === undefined) throw new AppError('STUDY_INVALID', `${name} has no person-centred clip: run stage 1 again`);
    const shownVideo = study.protocol.view === 'person-centred' ? clipId! : null;
    if (study.protocol.material === 'full') {
      return { clipStartSec: null, clipEndSec: null, shown: shownVideo === null ? null : { videoId: shownVideo, startSec: null, endSec: null }, stage1AnalysisId: stage1.analysisId };
    }
    const window = placeReadingWindow(stage1.segments, study.protocol.clipSeconds, deriveSeed(study.seed, `clip:${video.id}`))!;
    return {
      clipStartSec: window.original.startSec,
      clipEndSec: window.original.endSec,
      shown: shownVideo === null ? null : { videoId: shownVideo, ...window.personCentred },
      stage1AnalysisId: stage1.analysisId,
    };
  }

  /** Enrols a reader with one seeded order per session (training cases first in each). */
  addReader(actor: string, studyId: number, readerCode: string): void {
    const study = this.store.studies.get(studyId);
    const reader = this.store.readers.getByCode(readerCode);
    const cases = this.store.studies.cases(studyId);
    if (cases.length === 0) throw new AppError('STUDY_INVALID', 'add cases before readers');
    const orders: SessionOrder[] = study.protocol.modalities.map((_, k) => {
      const seed = sessionSeed(study.seed, reader.code, k + 1);
      return { session: k + 1, seed, order: sessionOrder(cases, seed) };
    });
    this.store.studies.enrol(actor, studyId, reader.id, orders);
  }

  /** Cases added after readers enrolled: appended to each of their session orders, seeded. */
  private appendToOrders(actor: string, studyId: number, added: ReadonlyArray<Pick<StudyCase, 'caseCode' | 'training'>>): void {
    const study = this.store.studies.get(studyId);
    for (const reader of this.store.studies.enrolled(studyId)) {
      const orders = study.protocol.modalities.map((_, k) => {
        const stored = reader.orders.find((o) => o.session === k + 1);
        const seed = stored?.seed ?? sessionSeed(study.seed, reader.readerCode, k + 1);
        const late = sessionOrder(added, deriveSeed(seed, `late:${added[0]!.caseCode}`));
        return { session: k + 1, seed: stored ? stored.seed : seed, order: [...(stored?.order ?? []), ...late] };
      });
      this.store.studies.setOrders(actor, studyId, reader.readerId, orders);
    }
  }

  /** The coordinator's table: each case's truth, every reading, and the model's score. */
  caseTable(studyId: number): StudyCaseRow[] {
    const study = this.store.studies.get(studyId);
    const readings = this.store.studies.readings(studyId);
    const foldModels = this.store.studies.foldModels(studyId);
    return this.store.studies.cases(studyId).map((c) => {
      const model = caseModelScore(this.store, c, study.modelId, foldModels);
      return {
        ...c,
        readings: readings
          .filter((r) => r.caseCode === c.caseCode)
          .map((r) => ({ readerCode: r.readerCode, session: r.session, modality: study.protocol.modalities[r.session - 1] ?? 'unaided', call: r.call, confidence: r.confidence, timeSpentMs: r.timeSpentMs, createdAt: r.createdAt })),
        modelScore: model?.score ?? null,
        modelId: model?.modelId ?? null,
      };
    });
  }
}
