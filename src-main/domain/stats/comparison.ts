import { AppError } from '../../contract/errors.js';
import { binaryMetrics, confusionMatrix, wilsonInterval, type Binary, type BinaryMetrics, type ConfusionMatrix } from './binaryMetrics.js';
import { deLongCi, deLongPairedTest, type PairedAucTest } from './deLong.js';
import { averagePrecision } from './precisionRecall.js';
import { rocCurve, youdenThreshold } from './roc.js';
import { mcNemarOnCalls, type McNemarResult } from './mcNemar.js';
import { cohensKappa, fleissKappa } from './kappa.js';
import { stratifiedBootstrapCi } from './bootstrap.js';
import type { LongFormatRow } from './longFormatCsv.js';

/**
 * Everything a study coordinator compares: each rater's (reader's or model's) metrics with
 * 95% CIs, and every pair of raters on the cases both rated. Plain data; reports and the CLI
 * render it. Values that cannot be computed are `null` with a reason, never NaN.
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
  confusion: ConfusionMatrix;
  metrics: BinaryMetrics;
  accuracy: Interval;
  sensitivity: Interval;
  specificity: Interval;
  precision: Interval;
  f1: Interval;
  balancedAccuracy: Interval;
  auroc: (Interval & { variance: number }) | null;
  averagePrecision: number | null;
  youden: { threshold: number; sensitivity: number; specificity: number } | null;
  roc: { fpr: number[]; tpr: number[] } | null;
  notes: string[];
}

export interface PairComparison {
  a: string;
  b: string;
  commonCases: number;
  deLong: PairedAucTest | null;
  mcNemar: McNemarResult;
  kappa: { kappa: number; se: number; lower: number; upper: number } | null;
  notes: string[];
}

export interface Comparison {
  cases: number;
  positives: number;
  raters: RaterSummary[];
  pairs: PairComparison[];
  fleiss: { kappa: number; items: number; raters: number } | null;
  readerAveragedAuroc: { mean: number; readers: number; min: number; max: number } | null;
  notes: string[];
  bootstrap: { replicates: number; seed: number };
}

export interface ComparisonOptions {
  bootstrapReplicates?: number;
  seed?: number;
}

interface RaterData {
  rater: string;
  isModel: boolean;
  byCase: Map<string, { score: number; call: Binary; truth: Binary }>;
  callsFrom: RaterSummary['callsFrom'];
}

const isModelRater = (reader: string, modality: string) => modality.toLowerCase() === 'model' || reader.toLowerCase().startsWith('model');

function groupRaters(rows: readonly LongFormatRow[]): RaterData[] {
  const truthOf = new Map<string, Binary>();
  for (const row of rows) {
    const known = truthOf.get(row.caseId);
    if (known !== undefined && known !== row.truth) throw new AppError('STATS_INVALID', `case ${row.caseId} has truth ${known} in one row and ${row.truth} in another`);
    truthOf.set(row.caseId, row.truth);
  }
  const multiModality = new Set(rows.map((r) => r.modality)).size > 1;
  const groups = new Map<string, LongFormatRow[]>();
  for (const row of rows) {
    const key = multiModality && !isModelRater(row.reader, row.modality) ? `${row.reader} (${row.modality})` : row.reader;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups].map(([rater, list]) => {
    // 0..100 confidences are put on the 0..1 scale; AUROC does not change, the call threshold is 0.5.
    const scale = list.some((r) => r.score > 1) ? 100 : 1;
    const hasCalls = list.every((r) => r.call !== undefined);
    const byCase = new Map(list.map((r) => [r.caseId, { score: r.score / scale, call: (hasCalls ? r.call! : r.score / scale >= 0.5 ? 1 : 0) as Binary, truth: r.truth }]));
    return { rater, isModel: list.some((r) => isModelRater(r.reader, r.modality)), byCase, callsFrom: hasCalls ? 'call column' : 'score threshold' };
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
  const positives = truth.filter((t) => t === 1).length;
  const negatives = truth.length - positives;
  const notes: string[] = [];
  const bothClasses = positives > 0 && negatives > 0;
  if (!bothClasses) notes.push(`AUROC undefined: only ${positives === 0 ? 'non-ASD' : 'ASD'} cases were rated`);
  for (const name of metrics.undefinedMetrics) notes.push(`${name} has an empty denominator and is shown as 0`);
  const boot = (metric: (m: BinaryMetrics) => number): Interval => {
    const ci = stratifiedBootstrapCi(truth, (idx) => metric(binaryMetrics(confusionMatrix(idx.map((i) => truth[i]!), idx.map((i) => calls[i]!)))), {
      replicates: options.bootstrapReplicates,
      seed: options.seed,
    });
    return { estimate: ci.estimate, lower: ci.lower, upper: ci.upper };
  };
  const auc = bothClasses ? deLongCi(truth, scores) : null;
  return {
    rater: r.rater,
    isModel: r.isModel,
    cases: truth.length,
    positives,
    negatives,
    callsFrom: r.callsFrom,
    confusion,
    metrics,
    accuracy: proportion(confusion.tp + confusion.tn, truth.length),
    sensitivity: proportion(confusion.tp, confusion.tp + confusion.fn),
    specificity: proportion(confusion.tn, confusion.tn + confusion.fp),
    precision: proportion(confusion.tp, confusion.tp + confusion.fp),
    f1: boot((m) => m.f1),
    balancedAccuracy: boot((m) => m.balancedAccuracy),
    auroc: auc ? { estimate: auc.auc, lower: auc.lower, upper: auc.upper, variance: auc.variance } : null,
    averagePrecision: positives > 0 ? averagePrecision(truth, scores) : null,
    youden: bothClasses ? youdenThreshold(truth, scores) : null,
    roc: bothClasses ? (({ fpr, tpr }) => ({ fpr, tpr }))(rocCurve(truth, scores)) : null,
    notes,
  };
}

function comparePair(a: RaterData, b: RaterData): PairComparison {
  const common = [...a.byCase.keys()].filter((c) => b.byCase.has(c)).sort();
  const notes: string[] = [];
  const skippedA = a.byCase.size - common.length;
  const skippedB = b.byCase.size - common.length;
  if (skippedA > 0 || skippedB > 0) notes.push(`compared on the ${common.length} cases both rated (${a.rater} rated ${skippedA} others, ${b.rater} ${skippedB} others)`);
  const truth = common.map((c) => a.byCase.get(c)!.truth);
  const positives = truth.filter((t) => t === 1).length;
  let deLong: PairedAucTest | null = null;
  if (positives > 0 && positives < truth.length) deLong = deLongPairedTest(truth, common.map((c) => a.byCase.get(c)!.score), common.map((c) => b.byCase.get(c)!.score));
  else notes.push('DeLong test undefined: the common cases hold one class only');
  const callsA = common.map((c) => a.byCase.get(c)!.call);
  const callsB = common.map((c) => b.byCase.get(c)!.call);
  let kappa: PairComparison['kappa'] = null;
  if (common.length > 0) {
    try {
      const k = cohensKappa(callsA, callsB);
      kappa = { kappa: k.kappa, se: k.se, lower: k.lower, upper: k.upper };
    } catch (error) {
      notes.push(error instanceof AppError ? `kappa: ${error.detail}` : 'kappa could not be computed');
    }
  }
  return { a: a.rater, b: b.rater, commonCases: common.length, deLong, mcNemar: mcNemarOnCalls(callsA, callsB), kappa, notes };
}

export function compareRaters(rows: readonly LongFormatRow[], options: ComparisonOptions = {}): Comparison {
  if (rows.length === 0) throw new AppError('STATS_INVALID', 'there are no rows to compare');
  const settings = { bootstrapReplicates: options.bootstrapReplicates ?? 2000, seed: options.seed ?? 20231 };
  const raters = groupRaters(rows);
  const summaries = raters.map((r) => summarise(r, settings));
  const pairs: PairComparison[] = [];
  for (let i = 0; i < raters.length; i++) for (let j = i + 1; j < raters.length; j++) pairs.push(comparePair(raters[i]!, raters[j]!));
  const notes: string[] = [];
  const readers = raters.filter((r) => !r.isModel);
  let fleiss: Comparison['fleiss'] = null;
  if (readers.length >= 2) {
    const shared = [...readers[0]!.byCase.keys()].filter((c) => readers.every((r) => r.byCase.has(c)));
    try {
      const result = fleissKappa(shared.map((c) => {
        const positive = readers.filter((r) => r.byCase.get(c)!.call === 1).length;
        return [readers.length - positive, positive];
      }));
      fleiss = { kappa: result.kappa, items: result.items, raters: result.raters };
    } catch (error) {
      notes.push(error instanceof AppError ? `Fleiss' kappa: ${error.detail}` : "Fleiss' kappa could not be computed");
    }
  }
  const readerAucs = summaries.filter((s) => !s.isModel && s.auroc).map((s) => s.auroc!.estimate);
  const readerAveragedAuroc = readerAucs.length > 0 ? { mean: readerAucs.reduce((s, v) => s + v, 0) / readerAucs.length, readers: readerAucs.length, min: Math.min(...readerAucs), max: Math.max(...readerAucs) } : null;
  const caseIds = new Set(rows.map((r) => r.caseId));
  const positives = new Set(rows.filter((r) => r.truth === 1).map((r) => r.caseId)).size;
  return { cases: caseIds.size, positives, raters: summaries, pairs, fleiss, readerAveragedAuroc, notes, bootstrap: { replicates: settings.bootstrapReplicates, seed: settings.seed } };
}
