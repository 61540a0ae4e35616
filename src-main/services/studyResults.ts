import type { FoldRow, StudyDesign, StudyMrmc, StudyResults } from '../contract/entities.js';
import type { MrmcResult } from '../contract/mrmc.js';
import { mrmcAnalysis, type MrmcRating } from '../domain/stats/mrmc.js';
import { AppError } from '../contract/errors.js';
import { compareRaters } from '../domain/stats/comparison.js';
import { binaryMetrics, confusionMatrix } from '../domain/stats/binaryMetrics.js';
import { auroc } from '../domain/stats/roc.js';
import type { LongFormatRow } from '../domain/stats/longFormatCsv.js';
import { readerScore } from '../domain/studies/seededOrder.js';
import { aggregateByPatient, patientUnits } from '../domain/studies/patientUnits.js';
import { stratifiedGroupKFold } from '../domain/folds/stratifiedGroupKFold.js';
import { renderStudyReport, type RenderedReport, type StudyReportFormat } from '../report/studyReport.js';
import { appVersion } from '../runtime/appVersion.js';
import type { Store } from '../store/store.js';
import type { ModelService } from './modelService.js';
import type { ServiceContext } from './serviceContext.js';
import { caseModelScore, videoModelScore } from './studyModelScores.js';
import { japaneseFontPath, reportLanguage } from './reportLanguage.js';

/** Long-format rows of a study's analysed cases: every reading (modality = its session's; score P(ASD) from call and confidence) and every model score (modality "model"). Training cases are left out. */
export function studyRows(store: Store, studyId: number): LongFormatRow[] {
  const study = store.studies.get(studyId);
  const cases = store.studies.cases(studyId).filter((c) => !c.training);
  const truth = new Map(cases.map((c) => [c.caseCode, c.truth]));
  const rows: LongFormatRow[] = store.studies
    .readings(studyId)
    .filter((r) => truth.has(r.caseCode))
    .map((r) => ({
      reader: r.readerCode,
      caseId: r.caseCode,
      modality: study.protocol.modalities[r.session - 1] ?? 'unaided',
      score: readerScore(r.call, r.confidence),
      truth: truth.get(r.caseCode)!,
      call: r.call === 'ASD' ? 1 : 0,
    }));
  const foldModels = store.studies.foldModels(studyId);
  for (const c of cases) {
    const scored = caseModelScore(store, c, study.modelId, foldModels);
    if (scored) rows.push({ reader: `model:${scored.modelId}`, caseId: c.caseCode, modality: 'model', score: scored.score, truth: c.truth, call: scored.call });
  }
  return rows;
}

/** Assigns the study's cases to k folds by patient (stratified group k-fold), reproducibly from the seed. */
function assignFolds(store: Store, actor: string, studyId: number, folds: number, seed?: number): void {
  const study = store.studies.get(studyId);
  const cases = store.studies.cases(studyId);
  if (cases.length === 0) throw new AppError('STUDY_INVALID', 'add cases before assigning folds');
  const assignment = stratifiedGroupKFold(
    cases.map((c) => c.truth),
    cases.map((c) => c.patientCode),
    folds,
    seed ?? study.seed,
  );
  store.studies.setFolds(actor, studyId, folds, new Map(cases.map((c, i) => [c.caseCode, assignment.foldOfSample[i]!])));
}

function foldRows(store: Store, studyId: number): FoldRow[] {
  const study = store.studies.get(studyId);
  if (study.folds === null) return [];
  const cases = store.studies.cases(studyId);
  const foldModels = store.studies.foldModels(studyId);
  return Array.from({ length: study.folds }, (_, fold) => {
    const inFold = cases.filter((c) => c.fold === fold);
    const modelId = foldModels.get(fold) ?? study.modelId;
    const scored = inFold.map((c) => ({ c, s: videoModelScore(store, c.videoId, modelId) })).filter((x) => x.s !== undefined);
    let metrics: Pick<FoldRow, 'accuracy' | 'precision' | 'recall' | 'f1' | 'auroc' | 'note'> = { accuracy: null, precision: null, recall: null, f1: null, auroc: null, note: null };
    if (scored.length === 0) {
      metrics.note = modelId ? `no stage 2 results from model ${modelId} for this fold's videos yet` : 'no fold model set';
    } else {
      const truth = scored.map((x) => x.c.truth);
      const m = binaryMetrics(confusionMatrix(truth, scored.map((x) => x.s!.call)));
      const bothClasses = truth.includes(1) && truth.includes(0);
      metrics = {
        accuracy: m.accuracy,
        precision: m.precision,
        recall: m.recall,
        f1: m.f1,
        auroc: bothClasses ? auroc(truth, scored.map((x) => x.s!.score)) : null,
        note: bothClasses ? (scored.length < inFold.length ? `${inFold.length - scored.length} videos without a result` : null) : 'AUROC undefined: one class only in this fold',
      };
    }
    return {
      fold,
      cases: inFold.length,
      positives: inFold.filter((c) => c.truth === 1).length,
      patients: new Set(inFold.map((c) => c.patientCode)).size,
      caseCodes: inFold.map((c) => c.caseCode),
      modelId: modelId ?? null,
      ...metrics,
    };
  });
}

/** Mean and sample standard deviation of each fold metric over the folds that have it. */
export function summariseFolds(rows: readonly FoldRow[]): StudyResults['foldSummary'] {
  const keys = ['accuracy', 'precision', 'recall', 'f1', 'auroc'] as const;
  const mean: Record<string, number> = {};
  const sd: Record<string, number> = {};
  for (const key of keys) {
    const values = rows.map((r) => r[key]).filter((v): v is number => v !== null);
    if (values.length === 0) continue;
    const mu = values.reduce((s, v) => s + v, 0) / values.length;
    mean[key] = mu;
    sd[key] = values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mu) ** 2, 0) / (values.length - 1)) : 0;
  }
  return Object.keys(mean).length === 0 ? null : { mean, sd, folds: rows.length };
}

function compare(rows: readonly LongFormatRow[], seed: number, notes: string[], label: string): StudyResults['comparison'] {
  if (rows.length === 0) return null;
  try {
    return compareRaters(rows, { seed });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    notes.push(`${label}: ${error.message}`);
    return null;
  }
}

const median = (values: readonly number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** How the study was run, for the report's design section. */
function studyDesign(store: Store, studyId: number): StudyDesign {
  const study = store.studies.get(studyId);
  const cases = store.studies.cases(studyId);
  const analysed = new Set(cases.filter((c) => !c.training).map((c) => c.caseCode));
  const readings = store.studies.readings(studyId).filter((r) => analysed.has(r.caseCode));
  const enrolled = store.studies.enrolled(studyId);
  const { protocol } = study;
  const view = protocol.view === 'person-centred' ? 'the person-centred clip' : 'the original video with the patient marked';
  return {
    readers: enrolled.map((r) => r.readerCode),
    cases: analysed.size,
    patients: new Set(cases.filter((c) => !c.training).map((c) => c.patientCode)).size,
    trainingCases: cases.length - analysed.size,
    truthSource: "the patient's diagnosis in WalkScope: ASD against every other diagnosis (patients without one cannot be cases)",
    modalities: protocol.modalities,
    washoutDays: protocol.washoutDays,
    material: protocol.material === 'clip' ? `a ${protocol.clipSeconds} s window of ${view}, placed at random (seeded) where stage 1 kept the patient in view, looping` : `the whole of ${view}`,
    orders: enrolled.flatMap((r) => r.orders.map((o) => ({ readerCode: r.readerCode, session: o.session, modality: protocol.modalities[o.session - 1] ?? 'unaided', seed: o.seed }))),
    readingSeconds: protocol.modalities.map((modality, k) => {
      const times = readings.filter((r) => r.session === k + 1).map((r) => r.timeSpentMs / 1000);
      return { modality, median: median(times), readings: times.length };
    }),
  };
}

/** An MRMC analysis, or null with the reason added to `notes`. */
function tryMrmc(rows: readonly MrmcRating[], notes: string[], what: string): MrmcResult | null {
  try {
    return mrmcAnalysis(rows);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    notes.push(`${what}: not computed, ${error.detail ?? error.message}`);
    return null;
  }
}

/**
 * The study's MRMC analyses on patients: aided against unaided (random readers and random
 * cases is the primary endpoint of an aided study), and the model as a modality of its own
 * against the readers (each reader "reads" with the model's scores, so the model has no reader
 * variance). Readers who did not read every patient in every modality make the design
 * incomplete: the analysis says so and is not run.
 */
function studyMrmc(patientRows: readonly LongFormatRow[], modalities: readonly string[], units: number): StudyMrmc {
  const notes: string[] = [];
  const readerRows = patientRows.filter((r) => r.modality !== 'model');
  // aided first, so the difference reads aided - unaided
  const ordered = [...readerRows].sort((a, b) => Number(b.modality === 'aided') - Number(a.modality === 'aided'));
  const readerModalities = modalities.length > 1 ? tryMrmc(ordered, notes, 'Aided against unaided') : null;
  if (modalities.length < 2) notes.push('The study has one reading modality: the MRMC comparison of modalities needs aided and unaided readings.');
  const models = [...new Set(patientRows.filter((r) => r.modality === 'model').map((r) => r.reader))];
  let versusModel: MrmcResult | null = null;
  if (models.length > 0 && readerRows.length > 0) {
    const model = models[0]!;
    if (models.length > 1) notes.push(`Several models scored the cases; the comparison with the readers uses ${model}.`);
    const modelScore = new Map(patientRows.filter((r) => r.reader === model).map((r) => [r.caseId, r]));
    const readers = [...new Set(readerRows.map((r) => r.reader))];
    const units = [...new Set(readerRows.map((r) => r.caseId))];
    const missing = units.filter((u) => !modelScore.has(u));
    if (missing.length > 0) notes.push(`The model has no score for ${missing.length} of the ${units.length} patients the readers read: the comparison with the model is not computed.`);
    else {
      const asModality = readers.flatMap((reader) => units.map((u) => ({ reader, caseId: u, modality: 'model', score: modelScore.get(u)!.score, truth: modelScore.get(u)!.truth })));
      versusModel = tryMrmc([...asModality, ...ordered], notes, 'The model against the readers');
    }
  }
  return { readerModalities, versusModel, model: models[0] ?? null, units, notes };
}

function studyResults(store: Store, studyId: number, rows: readonly LongFormatRow[]): StudyResults {
  const study = store.studies.get(studyId);
  const notes: string[] = [];
  const cases = store.studies.cases(studyId).filter((c) => !c.training);
  const unitOf = patientUnits(cases);
  const patients = new Set(unitOf.values()).size;
  if (rows.length === 0) notes.push('No readings and no model results yet.');
  // the patient is the unit: a rater's scores are averaged over the patient's cases
  const patientRows = aggregateByPatient(rows, unitOf);
  const comparison = compare(patientRows, study.seed, notes, `Per patient (${patients} patients)`);
  const caseLevel = patients < cases.length ? compare(rows, study.seed, notes, `Per case (${cases.length} cases)`) : null;
  if (caseLevel) notes.push(`The primary analysis is per patient (${patients} patients); the per-case analysis (${cases.length} cases) is secondary: cases of one patient are not independent, so its intervals are too narrow.`);
  const folds = foldRows(store, studyId);
  const mrmc = studyMrmc(patientRows, study.protocol.modalities, patients);
  return { study, design: studyDesign(store, studyId), mrmc, comparison, caseLevel, folds, foldSummary: summariseFolds(folds), notes };
}

/** A study's statistics (readers and model scores compared, per-fold metrics), its folds and its reports. */
export class StudyResultsService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly models: ModelService,
  ) {}

  results(studyId: number): StudyResults {
    return studyResults(this.ctx.store, studyId, studyRows(this.ctx.store, studyId));
  }

  /** Assigns the study's cases to k folds by patient (stratified group k-fold), reproducibly from the seed. */
  assignFolds(actor: string, studyId: number, folds: number, seed?: number): void {
    assignFolds(this.ctx.store, actor, studyId, folds, seed);
  }

  /** The study in an export format; the rows behind the statistics are read once for both. */
  async report(studyId: number, format: StudyReportFormat): Promise<RenderedReport> {
    const rows = studyRows(this.ctx.store, studyId);
    const results = studyResults(this.ctx.store, studyId, rows);
    const modelIds = new Set(results.comparison?.raters.filter((r) => r.isModel).map((r) => r.rater.replace(/^model:/, '')) ?? []);
    const installed = new Map(this.models.list().map((m) => [m.id, m]));
    // A score whose model is no longer installed cannot be identified: it is reported as not validated.
    const reportModels = [...modelIds].map((id) => {
      const m = installed.get(id);
      return m ? { id, name: m.name, version: m.version, sha256: m.sha256, validated: m.validated } : { id, name: id, version: 'unknown', sha256: 'unknown', validated: false };
    });
    // the per-patient rows the analysis used (the iMRMC export is per patient, the unit)
    const patients = aggregateByPatient(rows, patientUnits(this.ctx.store.studies.cases(studyId).filter((c) => !c.training)));
    // HTML and PDF in the report language (the setting, or this machine's locale for "system")
    const language = reportLanguage(this.ctx.store.settings.get());
    return renderStudyReport(
      { results, appVersion, generatedAt: this.ctx.store.clock(), models: reportModels, language, japaneseFontPath: language === 'ja' ? japaneseFontPath() : null },
      { cases: rows, patients },
      format,
    );
  }
}
