import { z } from 'zod';
import type { BlindedCase, PatientMark, ReaderProgress, ReadingAid, ReadingModality, ReadingState, StudySummary } from '../contract/entities.js';
import { trackOverlaySchema } from '../contract/entities.js';
import { AppError } from '../contract/errors.js';
import { measureInfo, type MeasureName } from '../contract/measurements.js';
import { defaultFeatures } from '../contract/screening.js';
import { sessionOpensAt, sessionPosition, type SessionProgress } from '../domain/studies/readingSessions.js';
import type { EnrolledReader, StoredCase } from '../store/studiesRepo.js';
import type { AnalysisResults } from './analysisResults.js';
import type { MeasurementService } from './measurementService.js';
import type { ScreeningService } from './screeningService.js';
import type { ServiceContext } from './serviceContext.js';

const patientTracksSchema = z.object({ patientTrackIds: z.array(z.number().int()) }).passthrough();

/** "30 December 2026" (UTC): the day a session opens, in words that read the same everywhere. */
const day = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/**
 * The reading side of a study: where each reader stands (session, washout, next case), the
 * blinded case they are shown (with the aid in an aided session), their readings, and the
 * record of entering and leaving the reading screen.
 */
export class StudyReadingService {
  private readonly store;
  constructor(
    ctx: ServiceContext,
    private readonly results: AnalysisResults,
    private readonly screening: ScreeningService,
    private readonly measurements: MeasurementService,
  ) {
    this.store = ctx.store;
  }

  private reader(studyId: number, readerCode: string): EnrolledReader {
    const known = this.store.readers.getByCode(readerCode);
    const reader = this.store.studies.enrolled(studyId).find((r) => r.readerId === known.id);
    if (!reader) throw new AppError('STUDY_INVALID', `reader ${readerCode} is not enrolled in this study`);
    return reader;
  }

  private sessions(study: StudySummary, reader: EnrolledReader): SessionProgress[] {
    const readings = this.store.studies.sessionReadings(study.id, reader.readerId);
    return study.protocol.modalities.map((_, k) => {
      const order = reader.orders.find((o) => o.session === k + 1)?.order ?? [];
      const done = readings.get(k + 1);
      return { session: k + 1, order, read: done?.read ?? new Set<string>(), lastReadingAt: done?.lastReadingAt ?? null };
    });
  }

  progress(studyId: number): ReaderProgress[] {
    const study = this.store.studies.get(studyId);
    return this.store.studies.enrolled(studyId).map((reader) => {
      const sessions = this.sessions(study, reader);
      const readings = this.store.studies.readings(studyId).filter((r) => r.readerId === reader.readerId);
      return {
        readerCode: reader.readerCode,
        readerName: reader.readerName,
        done: readings.length,
        total: sessions.reduce((n, s) => n + s.order.length, 0),
        lastReadingAt: readings.reduce<string | null>((last, r) => (last === null || r.createdAt > last ? r.createdAt : last), null),
        timeSpentMs: readings.reduce((n, r) => n + r.timeSpentMs, 0),
        sessions: sessions.map((s, k) => ({
          session: s.session,
          modality: study.protocol.modalities[k]!,
          done: s.read.size,
          total: s.order.length,
          seed: reader.orders.find((o) => o.session === s.session)?.seed ?? null,
          opensAt: k > 0 && s.read.size === 0 ? sessionOpensAt(sessions[k - 1]!, study.protocol.washoutDays) : null,
        })),
      };
    });
  }

  /** The reader's next case, blinded; or when their next session opens; or done. Resuming after a pause continues here. */
  nextCase(studyId: number, readerCode: string): ReadingState {
    const study = this.store.studies.get(studyId);
    const reader = this.reader(studyId, readerCode);
    const position = sessionPosition(this.sessions(study, reader), study.protocol.washoutDays, this.store.clock());
    if (position.state === 'done') return { state: 'done' };
    const modality = study.protocol.modalities[position.session - 1]!;
    if (position.state === 'waiting') return { state: 'waiting', session: position.session, modality, opensAt: position.opensAt, reason: this.washoutReason(study, position.session, position.previousEndedAt) };
    const c = this.store.studies.caseRecords(studyId).find((x) => x.caseCode === position.caseCode);
    if (!c) throw new AppError('STUDY_INVALID', `case ${position.caseCode} is no longer part of this study`);
    return { state: 'case', case: this.blinded(study, c, { session: position.session, modality, position: position.position, total: position.total }) };
  }

  private washoutReason(study: StudySummary, session: number, previousEndedAt: string): string {
    const modality = study.protocol.modalities[session - 1]!;
    return `${study.protocol.washoutDays} days after your last reading of session ${session - 1} on ${day(previousEndedAt)}: the washout keeps the first reading from guiding the ${modality} one`;
  }

  /** Saves a reading in the reader's open session; refuses a session still in its washout, with the date it opens. */
  submitReading(actor: string, studyId: number, input: { readerCode: string; caseCode: string; call: 'ASD' | 'non-ASD'; confidence: number; comment: string; timeSpentMs: number }): ReadingState {
    const study = this.store.studies.get(studyId);
    const reader = this.reader(studyId, input.readerCode);
    const sessions = this.sessions(study, reader);
    if (!sessions.some((s) => s.order.includes(input.caseCode))) throw new AppError('STUDY_INVALID', `case ${input.caseCode} is not part of this study`);
    const position = sessionPosition(sessions, study.protocol.washoutDays, this.store.clock());
    if (position.state === 'done') throw new AppError('STUDY_INVALID', `reader ${input.readerCode} has already read every case of every session`);
    if (position.state === 'waiting') {
      const modality = study.protocol.modalities[position.session - 1]!;
      throw new AppError('STUDY_SESSION_CLOSED', `session ${position.session} (${modality}) opens on ${day(position.opensAt)}, ${this.washoutReason(study, position.session, position.previousEndedAt)}`);
    }
    const session = sessions[position.session - 1]!;
    if (session.read.has(input.caseCode)) throw new AppError('STUDY_INVALID', `reader ${input.readerCode} has already read case ${input.caseCode} in session ${session.session}`);
    this.store.studies.addReading(actor, studyId, { readerId: reader.readerId, session: session.session, caseCode: input.caseCode, call: input.call, confidence: input.confidence, comment: input.comment, timeSpentMs: input.timeSpentMs });
    return this.nextCase(studyId, input.readerCode);
  }

  recordSession(actor: string, studyId: number, readerCode: string, action: 'enter' | 'leave', closed = false): string {
    this.reader(studyId, readerCode);
    return this.store.studies.recordReadingSession(actor, studyId, readerCode, action, closed);
  }

  private blinded(study: StudySummary, c: StoredCase, at: { session: number; modality: ReadingModality; position: number; total: number }): BlindedCase {
    const personCentred = c.shown !== null;
    const startSec = personCentred ? (c.shown!.startSec ?? 0) : (c.clipStartSec ?? 0);
    const endSec = personCentred ? c.shown!.endSec : c.clipEndSec;
    return {
      studyId: study.id,
      caseCode: c.caseCode,
      session: at.session,
      sessions: study.protocol.modalities.length,
      modality: at.modality,
      training: c.training,
      position: at.position,
      total: at.total,
      source: personCentred ? 'person-centred' : 'original',
      startSec,
      endSec,
      mark: personCentred ? null : this.mark(c),
      aid: at.modality === 'aided' ? this.aid(study, c) : null,
    };
  }

  /** The patient's box on the original in the case's window (from the stage 1 result the window was placed in). */
  private mark(c: StoredCase): PatientMark | null {
    if (c.stage1AnalysisId === null) return null;
    const analysis = this.store.analyses.get(c.stage1AnalysisId);
    const stored = analysis ? this.store.analyses.tracks(analysis.id) : undefined;
    if (!analysis || !stored) return null;
    const overlay = trackOverlaySchema.parse(stored);
    const parsed = patientTracksSchema.safeParse(analysis.result);
    const ids = new Set(parsed.success ? parsed.data.patientTrackIds : overlay.patientTrackId === null ? [] : [overlay.patientTrackId]);
    const first = c.clipStartSec === null ? -Infinity : Math.floor(c.clipStartSec * overlay.fps);
    const last = c.clipEndSec === null ? Infinity : Math.ceil(c.clipEndSec * overlay.fps);
    const frames: number[] = [];
    const boxes: number[] = [];
    const byFrame = new Map<number, number[]>();
    for (const track of overlay.tracks) {
      if (!ids.has(track.id)) continue;
      track.frames.forEach((f, i) => {
        if (f >= first && f <= last) byFrame.set(f, track.boxes.slice(i * 4, i * 4 + 4));
      });
    }
    for (const f of [...byFrame.keys()].sort((a, b) => a - b)) {
      frames.push(f);
      boxes.push(...byFrame.get(f)!);
    }
    return { fps: overlay.fps, width: overlay.width, height: overlay.height, frames, boxes };
  }

  /** What an aided reader sees beside the case: the screening model, the video model, the posture measures. */
  private aid(study: StudySummary, c: StoredCase): ReadingAid {
    const notes: string[] = ['Decision support for research: the call is yours.'];
    const explained = this.screening.explain(c.patientCode);
    if (!explained.explanation) notes.push(explained.missing === 'model' ? 'No screening model from the posture measures has been accepted.' : 'The screening model cannot be applied to this patient (not enough side-on walking measured).');
    const stage2 = this.results.stage2Result(c.videoId, study.modelId ?? undefined);
    if (!stage2) notes.push('No video model result for this video.');
    return {
      screening: explained.explanation ? { modelName: explained.explanation.model.name, probabilityAsd: explained.explanation.probability, threshold: explained.explanation.threshold } : null,
      video: stage2 ? { modelId: stage2.model.id, probabilityAsd: stage2.videoScore } : null,
      measures: this.patientMeasures(c),
      notes,
    };
  }

  /** The five sagittal measures of the case's video: the mean of its side-on segment means. */
  private patientMeasures(c: StoredCase): ReadingAid['measures'] {
    const measured = this.measurements.current(c.videoId);
    if (!measured) return [];
    return defaultFeatures.flatMap((name: MeasureName) => {
      const values = measured.segments.filter((s) => s.view === 'sagittal').flatMap((s) => (s.stats[name] ? [s.stats[name]!.mean] : []));
      if (values.length === 0) return [];
      const info = measureInfo[name];
      return [{ name, label: info.label, unit: info.unit, value: values.reduce((a, b) => a + b, 0) / values.length }];
    });
  }
}
