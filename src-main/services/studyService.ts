import type { BlindedCase, ReadingProtocol, StudyCase, StudySummary } from '../contract/entities.js';
import { AppError } from '../contract/errors.js';
import { deriveSeed, seededClipWindow, seededShuffle } from '../domain/studies/seededOrder.js';
import type { ServiceContext } from './serviceContext.js';

/** The diagnosis labels that make a case positive (ASD) or negative (other conditions). */
export function truthOf(diagnosis: string): 0 | 1 | undefined {
  if (diagnosis === 'ASD') return 1;
  if (diagnosis === 'unknown') return undefined;
  return 0;
}

/**
 * Reader studies and cross-validation cohorts: who reads what, in which order, and what they
 * answered. Cases get study-local pseudonymous codes in a seeded random order, so neither the
 * code nor the order hints at the patient or the label.
 */
export class StudyService {
  private readonly store;
  constructor(ctx: ServiceContext) {
    this.store = ctx.store;
  }

  /** The stored video behind a study case, or undefined (for the blinded media endpoints). */
  caseVideo(studyId: number, caseCode: string) {
    const id = this.store.studies.caseVideoId(studyId, caseCode);
    return id === undefined ? undefined : this.store.videos.find(id);
  }

  create(actor: string, input: { name: string; description?: string; kind: StudySummary['kind']; protocol?: Partial<ReadingProtocol>; seed?: number; modelId?: string | null }): StudySummary {
    const protocol: ReadingProtocol = { material: input.protocol?.material ?? 'clip', clipSeconds: input.protocol?.clipSeconds ?? 1, blinded: true };
    const seed = input.seed ?? Math.floor(Math.random() * 2 ** 31);
    return this.store.studies.create(actor, { name: input.name, description: input.description ?? '', kind: input.kind, protocol, seed, modelId: input.modelId ?? null, folds: null });
  }

  /**
   * Adds the original videos of the given patients (or the given videos) as cases. Every case
   * needs a ground truth: a patient labelled `unknown` is refused with the patient's code.
   */
  addCases(actor: string, studyId: number, selection: { patientCodes?: string[]; videoIds?: number[] }): StudyCase[] {
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
    const fresh = videos.map((video) => {
      const patient = this.store.patients.getById(video.patientId);
      const truth = truthOf(patient.diagnosis);
      if (truth === undefined) throw new AppError('STUDY_INVALID', `patient ${patient.code} has no diagnosis label, so the case has no ground truth`);
      if (video.kind !== 'original') throw new AppError('STUDY_INVALID', `video ${video.id} is a derived clip; add the original video`);
      return { video, truth };
    });
    // Codes continue after existing ones, assigned in a seeded random order of the new videos.
    const shuffled = seededShuffle(fresh, deriveSeed(study.seed, `cases:${existing.length}`));
    const cases = shuffled.map(({ video, truth }, i) => {
      const caseCode = `C${String(existing.length + i + 1).padStart(3, '0')}`;
      const window = study.protocol.material === 'clip' ? seededClipWindow(video.probe.durationSec, study.protocol.clipSeconds, deriveSeed(study.seed, `clip:${video.id}`)) : null;
      return { caseCode, videoId: video.id, truth, clipStartSec: window?.startSec ?? null, clipEndSec: window?.endSec ?? null };
    });
    this.store.studies.addCases(actor, studyId, cases);
    return this.store.studies.cases(studyId);
  }

  /** Enrols a reader with their own seeded reading order (cases added later are appended in seeded order too). */
  addReader(actor: string, studyId: number, readerCode: string): void {
    const study = this.store.studies.get(studyId);
    const reader = this.store.readers.getByCode(readerCode);
    const cases = this.store.studies.cases(studyId).map((c) => c.caseCode);
    if (cases.length === 0) throw new AppError('STUDY_INVALID', 'add cases before readers');
    this.store.studies.enrol(actor, studyId, reader.id, seededShuffle(cases, deriveSeed(study.seed, `reader:${reader.code}`)));
  }

  private orderFor(studyId: number, readerCode: string): { readerId: number; order: string[] } {
    const reader = this.store.readers.getByCode(readerCode);
    const stored = this.store.studies.readingOrder(studyId, reader.id);
    if (!stored) throw new AppError('STUDY_INVALID', `reader ${readerCode} is not enrolled in this study`);
    const study = this.store.studies.get(studyId);
    const all = this.store.studies.cases(studyId).map((c) => c.caseCode);
    const missing = all.filter((c) => !stored.includes(c));
    const order = missing.length === 0 ? stored : [...stored, ...seededShuffle(missing, deriveSeed(study.seed, `reader:${readerCode}:late`))];
    return { readerId: reader.id, order };
  }

  /** The next unread case for a reader, blinded; null when they have read every case. Resuming after a pause simply continues here. */
  nextCase(studyId: number, readerCode: string): BlindedCase | null {
    const { readerId, order } = this.orderFor(studyId, readerCode);
    const read = this.store.studies.readCases(studyId, readerId);
    const position = order.findIndex((c) => !read.has(c));
    if (position < 0) return null;
    const caseCode = order[position]!;
    const study = this.store.studies.get(studyId);
    const c = this.store.studies.cases(studyId).find((x) => x.caseCode === caseCode)!;
    return {
      studyId,
      caseCode,
      position: read.size + 1,
      total: order.length,
      startSec: study.protocol.material === 'clip' ? (c.clipStartSec ?? 0) : 0,
      endSec: study.protocol.material === 'clip' ? c.clipEndSec : null,
    };
  }

  submitReading(actor: string, studyId: number, input: { readerCode: string; caseCode: string; call: 'ASD' | 'non-ASD'; confidence: number; comment: string; timeSpentMs: number }): void {
    const { readerId, order } = this.orderFor(studyId, input.readerCode);
    if (!order.includes(input.caseCode)) throw new AppError('STUDY_INVALID', `case ${input.caseCode} is not part of this study`);
    if (this.store.studies.readCases(studyId, readerId).has(input.caseCode)) throw new AppError('STUDY_INVALID', `reader ${input.readerCode} has already read case ${input.caseCode}`);
    this.store.studies.addReading(actor, studyId, { readerId, caseCode: input.caseCode, call: input.call, confidence: input.confidence, comment: input.comment, timeSpentMs: input.timeSpentMs });
  }
}
