import { AppError } from '../../contract/errors.js';
import { binaryMetrics, wilsonInterval, type BinaryMetrics } from './binaryMetrics.js';
import { confusionMatrix, type Binary, type ConfusionMatrix } from './confusionMatrix.js';
import { deLongCi, deLongPairedTest, type PairedAucTest } from './deLong.js';
import { averagePrecision } from './precisionRecall.js';
import { auroc as aurocOf, rocCurve } from './roc.js';
import { youdenThreshold, type YoudenPoint } from './youden.js';
import { mcNemarOnCorrectness, type CorrectnessMcNemar } from './mcNemar.js';
import { cohensKappa, fleissKappa } from './kappa.js';
import { stratifiedBootstrapCi } from './bootstrap.js';
import type { LongFormatRow } from './longFormatCsv.js';

/**
 * Everything a study coordinator compares: each rater's (reader's or model's) metrics with
 * 95% CIs, and every pair of raters on the cases both rated. Plain data; reports and the CLI
 * render it. Values that cannot be computed are `null` with a sentence in `notes`, never NaN
 * or Infinity.
 *
 * Raters: one per reader, or per reader and modality ("dr-a (aided)") when the readers' rows hold
 * several modalities (rows of modality "model" keep the bare reader id and do not count).
 * A rater is a model when its modality is "model" or its reader id starts with "model".
 * Scores: a rater whose scores exceed 1 is taken to use a 0..100 scale and is divided by 100
 * (AUROC does not change). Calls: the call column when every row of the rater has one,
 * otherwise score >= 0.5 on the 0..1 scale for all its cases (with a note when some rows had a call).
 *
 * Pairs: "is one more accurate?" is McNemar on correctness (a case is discordant when one rater
 * is right and the other wrong), overall and within the ASD and the non-ASD cases; "do they
 * agree?" is Cohen's kappa of the calls. The two are different questions.
 */
export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

export interface RaterSummary {
  rater: string;
  isModel: boolean;
  cases: number;
  positives: number;
  negatives: number;
  /** Where calls came from: the call column, or score >= 0.5 of the 0..1 scale. */
  callsFrom: 'call column' | 'score threshold';
  /** 100 when the rater's scores were read as 0..100 and divided by 100, else 1. */
  scoreScale: 1 | 100;
  confusion: ConfusionMatrix;
  metrics: BinaryMetrics;
  /** Proportions with Wilson 95% intervals (0..1 when the denominator is empty; see notes). */
  accuracy: Interval;
  sensitivity: Interval;
  specificity: Interval;
  precision: Interval;
  npv: Interval;
  /** Stratified bootstrap percentile 95% intervals. */
  f1: Interval;
  balancedAccuracy: Interval;
  /**
   * AUROC with its DeLong 95% CI (pROC's ci.auc). null when the AUROC is undefined (one class);
   * the interval bounds and variance are null (with a note) when only the interval is undefined
   * (fewer than 2 cases of a class).
   */
  auroc: { estimate: number; lower: number | null; upper: number | null; variance: number | null } | null;
  averagePrecision: number | null;
  youden: YoudenPoint | null;
  roc: { fpr: number[]; tpr: number[]; thresholds: number[] } | null;
  notes: string[];
}

export interface PairComparison {
  a: string;
  b: string;
  /** Cases both raters rated: every paired statistic of this pair uses exactly these. */
  commonCases: number;
  commonPositives: number;
  /** Cases only one of the two rated (left out of this pair's statistics). */
  onlyA: number;
  onlyB: number;
  /** DeLong's paired test of AUROC(a) - AUROC(b) (pROC roc.test, method "delong", paired). */
  deLong: PairedAucTest | null;
  commonNegatives: number;
  /** McNemar on correctness over the common cases (accuracy): aRightBWrong = McNemar's b, aWrongBRight = c. */
  correctness: CorrectnessMcNemar;
  /** The same within the common ASD cases (a comparison of sensitivities); null when there is none. */
  sensitivity: CorrectnessMcNemar | null;
  /** The same within the common non-ASD cases (a comparison of specificities); null when there is none. */
  specificity: CorrectnessMcNemar | null;
  /**
   * Agreement of the calls, not accuracy: Cohen's kappa with the Fleiss-Cohen-Everitt standard
   * error and 95% CI. null (with a note) when undefined, e.g. both gave one same call throughout.
   */
  agreement: AgreementKappa | null;
  notes: string[];
}

export interface AgreementKappa {
  kappa: number;
  se: number;
  lower: number;
  upper: number;
  observedAgreement: number;
  expectedAgreement: number;
}

export interface Comparison {
  cases: number;
  positives: number;
  raters: RaterSummary[];
  pairs: PairComparison[];
  /** Fleiss' kappa of the readers' calls (models excluded) on the cases every reader rated. */
  fleiss: { kappa: number; items: number; raters: number; observedAgreement: number; expectedAgreement: number } | null;
  /** Why `fleiss` is null, as a sentence; null when it was computed. */
  fleissUnavailable: string | null;
  /** Plain mean of the readers' AUROCs (models excluded), with the range. */
  readerAveragedAuroc: { mean: number; readers: number; min: number; max: number } | null;
  notes: string[];
  bootstrap: { replicates: number; seed: number };
}

export interface ComparisonOptions {
  bootstrapReplicates?: number;
  seed?: number;
}

interface CaseRating {
  score: number;
  call: Binary;
  truth: Binary;
}

interface RaterData {
  rater: string;
  isModel: boolean;
  byCase: Map<string, CaseRating>;
  callsFrom: RaterSummary['callsFrom'];
  scoreScale: 1 | 100;
  /** Rows without a call, when some rows had one (their calls were all replaced by score >= 0.5). */
  rowsWithoutCall: number;
}

const isModelRater = (reader: string, modality: string) => modality.toLowerCase() === 'model' || reader.toLowerCase().startsWith('model');

const detail = (error: unknown) => (error instanceof AppError ? error.detail : error instanceof Error ? error.message : String(error));

function groupRaters(rows: readonly LongFormatRow[]): RaterData[] {
  const truthOf = new Map<string, Binary>();
  for (const row of rows) {
    if (row.truth !== 0 && row.truth !== 1) throw new AppError('STATS_INVALID', `case ${row.caseId} has truth ${String(row.truth)}, not 0 or 1`);
    const known = truthOf.get(row.caseId);
    if (known !== undefined && known !== row.truth) throw new AppError('STATS_INVALID', `case ${row.caseId} has truth ${known} in one row and ${row.truth} in another`);
    truthOf.set(row.caseId, row.truth);
  }
  // a model's own modality ("model") does not make the readers' rows ambiguous
  const multiModality = new Set(rows.filter((r) => r.modality.toLowerCase() !== 'model').map((r) => r.modality)).size > 1;
  const groups = new Map<string, LongFormatRow[]>();
  for (const row of rows) {
    const key = multiModality && row.modality.toLowerCase() !== 'model' ? `${row.reader} (${row.modality})` : row.reader;
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  return [...groups].map(([rater, list]) => {
    for (const r of list) {
      if (!Number.isFinite(r.score) || r.score < 0 || r.score > 100) throw new AppError('STATS_INVALID', `${rater} gave case ${r.caseId} the score ${r.score}; scores are 0..1 or 0..100`);
    }
    const scoreScale: 1 | 100 = list.some((r) => r.score > 1) ? 100 : 1;
    const rowsWithoutCall = list.filter((r) => r.call === undefined).length;
    const hasCalls = rowsWithoutCall === 0;
    const byCase = new Map<string, CaseRating>();
    for (const r of list) {
      if (byCase.has(r.caseId)) throw new AppError('STATS_INVALID', `${rater} rated case ${r.caseId} more than once`);
      const score = r.score / scoreScale;
      byCase.set(r.caseId, { score, call: hasCalls ? r.call! : score >= 0.5 ? 1 : 0, truth: r.truth });
    }
    return {
      rater,
      isModel: list.some((r) => isModelRater(r.reader, r.modality)),
      byCase,
      callsFrom: hasCalls ? 'call column' : 'score threshold',
      scoreScale,
      rowsWithoutCall: rowsWithoutCall < list.length ? rowsWithoutCall : 0,
    };
  });
}

function proportion(successes: number, n: number): Interval {
  const ci = wilsonInterval(successes, n);
  return { estimate: n === 0 ? 0 : successes / n, lower: ci.lower, upper: ci.upper };
}

function summarise(r: RaterData, options: Required<ComparisonOptions>): RaterSummary {
  const entries = [...r.byCase.values()];
  const truth = entries.map((e) => e.truth);
  const scores = entries.map((e) => e.score);
  const calls = entries.map((e) => e.call);
  const confusion = confusionMatrix(truth, calls);
  const metrics = binaryMetrics(confusion);
  const positives = confusion.tp + confusion.fn;
  const negatives = confusion.tn + confusion.fp;
  const notes: string[] = [];
  if (r.scoreScale === 100) notes.push('scores read as 0..100 and divided by 100');
  if (r.rowsWithoutCall > 0) {
    notes.push(
      `${r.rowsWithoutCall} of its ${truth.length} rows had no call, so the calls of all its cases come from score >= 0.5${r.scoreScale === 100 ? ' (50 on its 0..100 scale)' : ''} and the ${truth.length - r.rowsWithoutCall} calls given were not used`,
    );
  }
  for (const name of metrics.undefinedMetrics) notes.push(`${name} has an empty denominator and is shown as 0 (interval 0 to 1)`);
  const bothClasses = positives > 0 && negatives > 0;
  const boot = (metric: (m: BinaryMetrics) => number): Interval => {
    const ci = stratifiedBootstrapCi(truth, (idx) => metric(binaryMetrics(confusionMatrix(idx.map((i) => truth[i]!), idx.map((i) => calls[i]!)))), {
      replicates: options.bootstrapReplicates,
      seed: options.seed,
    });
    return { estimate: ci.estimate, lower: ci.lower, upper: ci.upper };
  };
  let auroc: RaterSummary['auroc'] = null;
  if (!bothClasses) notes.push(`AUROC undefined: only ${positives === 0 ? 'non-ASD' : 'ASD'} cases were rated`);
  else {
    try {
      const auc = deLongCi(truth, scores);
      auroc = { estimate: auc.auc, lower: auc.lower, upper: auc.upper, variance: auc.variance };
      if (auc.variance === 0) notes.push('DeLong variance is 0 (the scores separate the classes identically for every case, e.g. all tied or perfect): the interval is the point');
    } catch (error) {
      // The AUROC itself is defined with one case of a class; only DeLong's variance is not.
      auroc = { estimate: aurocOf(truth, scores), lower: null, upper: null, variance: null };
      notes.push(`AUROC interval undefined: ${detail(error)}`);
    }
  }
  const curve = bothClasses ? rocCurve(truth, scores) : null;
  return {
    rater: r.rater,
    isModel: r.isModel,
    cases: truth.length,
    positives,
    negatives,
    callsFrom: r.callsFrom,
    scoreScale: r.scoreScale,
    confusion,
    metrics,
    accuracy: proportion(confusion.tp + confusion.tn, truth.length),
    sensitivity: proportion(confusion.tp, positives),
    specificity: proportion(confusion.tn, negatives),
    precision: proportion(confusion.tp, confusion.tp + confusion.fp),
    npv: proportion(confusion.tn, confusion.tn + confusion.fn),
    f1: boot((m) => m.f1),
    balancedAccuracy: boot((m) => m.balancedAccuracy),
    auroc,
    averagePrecision: positives > 0 ? averagePrecision(truth, scores) : null,
    youden: bothClasses ? youdenThreshold(truth, scores) : null,
    roc: curve,
    notes,
  };
}

function comparePair(a: RaterData, b: RaterData): PairComparison {
  const common = [...a.byCase.keys()].filter((c) => b.byCase.has(c)).sort();
  const notes: string[] = [];
  const onlyA = a.byCase.size - common.length;
  const onlyB = b.byCase.size - common.length;
  if (onlyA > 0 || onlyB > 0) notes.push(`compared on the ${common.length} cases both rated (${a.rater} rated ${onlyA} others, ${b.rater} ${onlyB} others)`);
  const truth = common.map((c) => a.byCase.get(c)!.truth);
  const positives = truth.filter((t) => t === 1).length;
  let deLong: PairedAucTest | null = null;
  if (positives > 0 && positives < truth.length) {
    try {
      deLong = deLongPairedTest(truth, common.map((c) => a.byCase.get(c)!.score), common.map((c) => b.byCase.get(c)!.score));
    } catch (error) {
      notes.push(`DeLong test undefined: ${detail(error)}`);
    }
  } else notes.push(common.length === 0 ? 'no case was rated by both' : 'DeLong test undefined: the common cases hold one class only');
  const callsA = common.map((c) => a.byCase.get(c)!.call);
  const callsB = common.map((c) => b.byCase.get(c)!.call);
  const negatives = truth.length - positives;
  const correctness = mcNemarOnCorrectness(truth, callsA, callsB);
  if (common.length > 0 && correctness.aRightBWrong + correctness.aWrongBRight === 0) notes.push('McNemar on correctness: the two are never right on different cases (p = 1)');
  const within = (cls: Binary): CorrectnessMcNemar | null => {
    const idx = truth.flatMap((t, i) => (t === cls ? [i] : []));
    if (idx.length === 0) return null;
    return mcNemarOnCorrectness(idx.map((i) => truth[i]!), idx.map((i) => callsA[i]!), idx.map((i) => callsB[i]!));
  };
  const sensitivity = within(1);
  const specificity = within(0);
  if (common.length > 0 && !sensitivity) notes.push('no ASD case among the cases both rated: no McNemar comparison of sensitivity');
  if (common.length > 0 && !specificity) notes.push('no non-ASD case among the cases both rated: no McNemar comparison of specificity');
  let agreement: AgreementKappa | null = null;
  if (common.length > 0) {
    const single = callsA[0]!;
    if (callsA.every((x) => x === single) && callsB.every((x) => x === single)) {
      notes.push(`agreement (Cohen's kappa) undefined: both raters gave the same single call (${single === 1 ? 'ASD' : 'non-ASD'}) to every one of the ${common.length} cases both rated, so chance agreement is 1 and kappa is 0/0`);
    } else {
      try {
        const k = cohensKappa(callsA, callsB);
        agreement = { kappa: k.kappa, se: k.se, lower: k.lower, upper: k.upper, observedAgreement: k.observedAgreement, expectedAgreement: k.expectedAgreement };
      } catch (error) {
        notes.push(`agreement (Cohen's kappa) undefined: ${detail(error)}`);
      }
    }
  }
  return { a: a.rater, b: b.rater, commonCases: common.length, commonPositives: positives, commonNegatives: negatives, onlyA, onlyB, deLong, correctness, sensitivity, specificity, agreement, notes };
}

export function compareRaters(rows: readonly LongFormatRow[], options: ComparisonOptions = {}): Comparison {
  if (rows.length === 0) throw new AppError('STATS_INVALID', 'there are no rows to compare');
  const settings = { bootstrapReplicates: options.bootstrapReplicates ?? 2000, seed: options.seed ?? 20231 };
  if (!Number.isInteger(settings.bootstrapReplicates) || settings.bootstrapReplicates < 1) throw new AppError('STATS_INVALID', `the number of bootstrap replicates must be a whole number of 1 or more, not ${settings.bootstrapReplicates}`);
  if (!Number.isInteger(settings.seed)) throw new AppError('STATS_INVALID', `the seed must be a whole number, not ${settings.seed}`);
  const raters = groupRaters(rows);
  const summaries = raters.map((r) => summarise(r, settings));
  const pairs: PairComparison[] = [];
  for (let i = 0; i < raters.length; i++) for (let j = i + 1; j < raters.length; j++) pairs.push(comparePair(raters[i]!, raters[j]!));
  const notes: string[] = [];
  const caseIds = new Set(rows.map((r) => r.caseId));
  const readers = raters.filter((r) => !r.isModel);
  let fleiss: Comparison['fleiss'] = null;
  let fleissUnavailable: string | null = null;
  if (readers.length < 2) {
    const models = raters.length - readers.length;
    fleissUnavailable =
      readers.length === 0
        ? `Fleiss' kappa is for readers and there are none, only ${models === 1 ? 'a model' : `${models} models`} (models are not counted)`
        : `Fleiss' kappa needs at least two readers; there is one (${readers[0]!.rater})${models > 0 ? ` and models are not counted (${models === 1 ? 'one model' : `${models} models`})` : ''}`;
  } else {
    const shared = [...caseIds].filter((c) => readers.every((r) => r.byCase.has(c))).sort();
    if (shared.length === 0) fleissUnavailable = `Fleiss' kappa needs cases read by every reader, and none of the ${caseIds.size} cases was read by all ${readers.length} readers`;
    else {
      if (shared.length < caseIds.size) notes.push(`Fleiss' kappa uses the ${shared.length} of ${caseIds.size} cases that every reader rated`);
      try {
        const result = fleissKappa(
          shared.map((c) => {
            const positive = readers.filter((r) => r.byCase.get(c)!.call === 1).length;
            return [readers.length - positive, positive];
          }),
        );
        fleiss = { kappa: result.kappa, items: result.items, raters: result.raters, observedAgreement: result.observedAgreement, expectedAgreement: result.expectedAgreement };
      } catch (error) {
        fleissUnavailable = `Fleiss' kappa undefined on the ${shared.length} cases every reader rated: ${detail(error)}`;
      }
    }
  }
  const readerAucs = summaries.filter((s) => !s.isModel && s.auroc).map((s) => s.auroc!.estimate);
  const readerAveragedAuroc =
    readerAucs.length > 0 ? { mean: readerAucs.reduce((s, v) => s + v, 0) / readerAucs.length, readers: readerAucs.length, min: Math.min(...readerAucs), max: Math.max(...readerAucs) } : null;
  if (readerAveragedAuroc && new Set(readers.map((r) => r.byCase.size)).size > 1) notes.push('readers rated different numbers of cases; the reader-averaged AUROC averages each reader on their own cases');
  const positives = [...truthByCase(rows).values()].filter((t) => t === 1).length;
  return { cases: caseIds.size, positives, raters: summaries, pairs, fleiss, fleissUnavailable, readerAveragedAuroc, notes, bootstrap: { replicates: settings.bootstrapReplicates, seed: settings.seed } };
}

function truthByCase(rows: readonly LongFormatRow[]): Map<string, Binary> {
  return new Map(rows.map((r) => [r.caseId, r.truth]));
}
