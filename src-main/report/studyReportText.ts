import type { StudyResults } from '../contract/entities.js';
import type { Language } from '../contract/i18n/languages.js';
import { formatLocalDateTime } from '../contract/i18n/localeFormat.js';
import { translatorFor } from '../contract/i18n/translator.js';
import { palette, type RocCurve } from './chartData.js';
import { dash, fmt, fmtP, mainPairs, modelColour, raterParts, readableTime, type ReportContext } from './reportText.js';

/**
 * The study report's wording in the report language (catalogue section `studyReport`): the
 * design, the tables' headers and cells, the ROC charts and the methods paragraph that the HTML
 * and the PDF share. The figures are the same in every language (three decimals, `fmt`); only
 * the words and the date change. The English sentences are those of `reportText.ts`, which the
 * command line still uses.
 */

/** The study report's context: the shared one and the language it is written in (with the Japanese font for the PDF). */
export interface StudyReportContext extends ReportContext {
  /** English unless given. */
  language?: Language;
  /** The bundled Japanese font (resources/fonts); only a Japanese PDF needs it. */
  japaneseFontPath?: string | null;
}

type Rater = NonNullable<StudyResults['comparison']>['raters'][number];
type Pair = NonNullable<StudyResults['comparison']>['pairs'][number];
type Comparison = NonNullable<StudyResults['comparison']>;

export interface StudyWords {
  language: Language;
  t: (key: string, vars?: Record<string, string | number | null | undefined>) => string;
  /** How sentences are joined into a paragraph: a space in English, nothing in Japanese. */
  join: string;
  /** "2 December 2026 at 09:00 UTC" (en); "2026/12/02 18:00 JST" (ja). */
  time: (iso: string) => string;
  /** What readers saw: clip or video, singular, plural and capitalised plural. */
  noun: (results: StudyResults) => { one: string; other: string; capitalOther: string };
  /** A modality as the report writes it in a table: unaided, aided, model. */
  modality: (m: string) => string;
  /** A modality in a sentence: "the model" for the model. */
  modalityName: (m: string) => string;
  /** A modality at the start of a sentence: "Aided". */
  capitalModality: (m: string) => string;
  /** "0.123 (0.012–0.234)", "CI undefined" without bounds. */
  ci: (i: { estimate: number; lower: number | null; upper: number | null } | null | undefined) => string;
  /** "{{text}}." / "{{text}}。". */
  sentence: (text: string) => string;
  /** A rater's name as the comparison gives it, "dr-a (aided)", with the modality in the report language. */
  rater: (name: string) => string;
}

export function studyWords(language: Language): StudyWords {
  const { t } = translatorFor(language);
  const modality = (m: string) => (m === 'unaided' ? t('studyReport.modality.unaided') : m === 'aided' ? t('studyReport.modality.aided') : m === 'model' ? t('studyReport.modality.model') : m);
  return {
    language,
    t,
    join: language === 'ja' ? '' : ' ',
    time: (iso) => (language === 'en' ? readableTime(iso) : japaneseTime(iso)),
    noun: (results) =>
      results.study.protocol.material === 'clip'
        ? { one: t('studyReport.material.clip.one'), other: t('studyReport.material.clip.other'), capitalOther: t('studyReport.material.clip.capitalOther') }
        : { one: t('studyReport.material.video.one'), other: t('studyReport.material.video.other'), capitalOther: t('studyReport.material.video.capitalOther') },
    modality,
    modalityName: (m) => (m === 'model' ? t('studyReport.modality.theModel') : modality(m)),
    capitalModality: (m) => (m === 'unaided' ? t('studyReport.modality.capitalUnaided') : m === 'aided' ? t('studyReport.modality.capitalAided') : `${m[0]!.toUpperCase()}${m.slice(1)}`),
    ci: (i) =>
      !i ? dash : i.lower === null || i.upper === null ? t('studyReport.mrmc.estimateNoCi', { estimate: fmt(i.estimate) }) : t('studyReport.secondary.ci', { estimate: fmt(i.estimate), lower: fmt(i.lower), upper: fmt(i.upper) }),
    sentence: (text) => t('studyReport.sentence', { text }),
    rater: (name) => {
      const m = /^(.*) \((unaided|aided)\)$/.exec(name);
      return m ? t('studyReport.raterInModality', { reader: m[1]!, modality: modality(m[2]!) }) : name;
    },
  };
}

/** "2026/12/02 18:00 JST": the date as Japanese software writes it, with the zone of the machine that wrote the report. */
function japaneseTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const zone = new Intl.DateTimeFormat('ja-JP', { timeZoneName: 'short' }).formatToParts(date).find((p) => p.type === 'timeZoneName')?.value;
  return `${formatLocalDateTime('ja', iso)}${zone ? ` ${zone}` : ''}`;
}

/** The design section as label and text rows. */
export function designRows(w: StudyWords, results: StudyResults): string[][] {
  const { t } = w;
  const d = results.design;
  const { protocol } = results.study;
  const noun = w.noun(results);
  const sessions = d.modalities.map((m, i) => t('studyReport.design.session', { session: i + 1, modality: w.modality(m) })).join(t('studyReport.design.sessionsJoin'));
  const view = protocol.view === 'person-centred' ? t('studyReport.design.viewPersonCentred') : t('studyReport.design.viewOriginal');
  const material = protocol.material === 'clip' ? t('studyReport.design.materialClip', { seconds: protocol.clipSeconds, view }) : t('studyReport.design.materialFull', { view });
  return [
    [t('studyReport.design.readers'), t('studyReport.design.readersText', { n: d.readers.length, codes: d.readers.join(', ') })],
    [t('studyReport.design.cases'), t('studyReport.design.casesText', { cases: d.cases, nouns: noun.other, patients: d.patients, asd: results.study.positivePatientCount })],
    [t('studyReport.design.trainingCases'), t('studyReport.design.trainingCasesText', { n: d.trainingCases })],
    [t('studyReport.design.truth'), t('studyReport.design.truthText')],
    [
      t('studyReport.design.sessions'),
      d.modalities.length > 1 ? t('studyReport.design.sessionsWashout', { sessions, days: d.washoutDays }) : t('studyReport.design.oneSession', { modality: w.modality(d.modalities[0] ?? 'unaided') }),
    ],
    [t('studyReport.design.material'), material],
    [t('studyReport.design.blinding'), t('studyReport.design.blindingText')],
    [
      t('studyReport.design.readingTime'),
      d.readingSeconds
        .map((r) => t('studyReport.design.readingTimeText', { modality: w.modality(r.modality), median: r.median === null ? dash : t('studyReport.design.seconds', { value: fmt(r.median, 1) }), noun: noun.one, readings: r.readings }))
        .join(t('studyReport.listSeparator')),
    ],
  ];
}

/** The randomisation: each reader's seed per session. */
export function seedRows(w: StudyWords, results: StudyResults): { headers: string[]; rows: string[][] } {
  const d = results.design;
  const headers = [w.t('studyReport.design.seedReader'), ...d.modalities.map((m, i) => w.t('studyReport.design.seedSession', { session: i + 1, modality: w.modality(m) }))];
  const rows = d.readers.map((reader) => [
    reader,
    ...d.modalities.map((_, i) => {
      const seed = d.orders.find((o) => o.readerCode === reader && o.session === i + 1)?.seed;
      return seed === undefined || seed === null ? dash : String(seed);
    }),
  ]);
  return { headers, rows };
}

/** Per rater: reader, modality, n, sensitivity, specificity and AUROC with their intervals. */
export function raterRows(w: StudyWords, results: StudyResults, comparison: Comparison): string[][] {
  return comparison.raters.map((r) => {
    const { reader, modality } = raterParts(results, r);
    return [reader, w.modality(modality), String(r.cases), w.ci(r.sensitivity), w.ci(r.specificity), w.ci(r.auroc)];
  });
}
export const raterHeaders = (w: StudyWords) =>
  [w.t('studyReport.secondary.colRater'), w.t('studyReport.secondary.colModality'), w.t('studyReport.secondary.colN'), w.t('studyReport.secondary.colSensitivity'), w.t('studyReport.secondary.colSpecificity'), w.t('studyReport.secondary.colAuroc')];

/** The other measures per rater: accuracy, precision, F1, balanced accuracy. */
export function otherMeasureRows(w: StudyWords, results: StudyResults, comparison: Comparison): string[][] {
  return comparison.raters.map((r) => {
    const { reader, modality } = raterParts(results, r);
    return [reader, w.modality(modality), w.ci(r.accuracy), w.ci(r.precision), w.ci(r.f1), w.ci(r.balancedAccuracy)];
  });
}
export const otherMeasureHeaders = (w: StudyWords) =>
  [w.t('studyReport.secondary.colRater'), w.t('studyReport.secondary.colModality'), w.t('studyReport.secondary.colAccuracy'), w.t('studyReport.secondary.colPrecision'), w.t('studyReport.secondary.colF1'), w.t('studyReport.secondary.colBalancedAccuracy')];

/** The main pairs: McNemar on correctness (all, within ASD, within non-ASD) and agreement. */
export function pairRows(w: StudyWords, rows: ReadonlyArray<{ group: string; pair: Pair }>): string[][] {
  const { t } = w;
  const rightOnly = (a: number, b: number, p: number) => t('studyReport.secondary.rightOnly', { a, b, p: fmtP(p) });
  const within = (m: Pair['sensitivity']) => (m ? rightOnly(m.aRightBWrong, m.aWrongBRight, m.pExact) : dash);
  const agreement = (p: Pair) => (p.agreement ? t('studyReport.secondary.agreement', { kappa: fmt(p.agreement.kappa), lower: fmt(p.agreement.lower), upper: fmt(p.agreement.upper) }) : dash);
  return rows.map(({ pair: p }) => [
    t('studyReport.secondary.versus', { a: w.rater(p.a), b: w.rater(p.b) }),
    String(p.commonCases),
    rightOnly(p.correctness.aRightBWrong, p.correctness.aWrongBRight, p.correctness.pExact),
    within(p.sensitivity),
    within(p.specificity),
    agreement(p),
  ]);
}
export const pairHeaders = (w: StudyWords) =>
  [w.t('studyReport.secondary.colComparison'), w.t('studyReport.secondary.colN'), w.t('studyReport.secondary.colRightOnly'), w.t('studyReport.secondary.colWithinAsd'), w.t('studyReport.secondary.colWithinNonAsd'), w.t('studyReport.secondary.colAgreement')];

export { mainPairs };

/** One ROC chart per reading modality: that modality's readers and the model, the model first (drawn under them), dashed and grey; each reader keeps one colour in every chart. */
export function studyRocCharts(w: StudyWords, results: StudyResults): Array<{ modality: string; title: string; curves: RocCurve[] }> {
  const raters = (results.comparison?.raters ?? []).filter((r) => r.roc);
  const readers = [...new Set((results.comparison?.raters ?? []).filter((r) => !r.isModel).map((r) => raterParts(results, r).reader))];
  const curve = (r: Rater): RocCurve => {
    const { reader } = raterParts(results, r);
    return {
      label: r.isModel ? w.t('studyReport.roc.modelCurve', { rater: r.rater }) : reader,
      fpr: r.roc!.fpr,
      tpr: r.roc!.tpr,
      auroc: r.auroc ? r.auroc.estimate : null,
      dashed: r.isModel,
      colour: r.isModel ? modelColour : palette[readers.indexOf(reader) % palette.length]!,
      operatingPoint: { sensitivity: r.sensitivity, specificity: r.specificity },
    };
  };
  const models = raters.filter((r) => r.isModel).map(curve);
  return results.design.modalities.map((modality) => ({
    modality,
    title: models.length > 0 ? w.t('studyReport.roc.titleWithModel', { modality: w.capitalModality(modality) }) : w.t('studyReport.roc.title', { modality: w.capitalModality(modality) }),
    curves: [...models, ...raters.filter((r) => !r.isModel && raterParts(results, r).modality === modality).map(curve)],
  }));
}

/** The auto-written methods paragraph: protocol, seeds, derivations, statistical methods with references. */
export function methodsParagraph(w: StudyWords, context: ReportContext): string {
  const { t } = w;
  const { study, comparison, folds, design, caseLevel } = context.results;
  const noun = w.noun(context.results);
  const { protocol } = study;
  const view = protocol.view === 'person-centred' ? t('studyReport.design.viewPersonCentred') : t('studyReport.design.viewOriginal');
  const material = protocol.material === 'clip' ? t('studyReport.design.materialClip', { seconds: protocol.clipSeconds, view }) : t('studyReport.design.materialFull', { view });
  const sessions = design.modalities.length > 1 ? t('studyReport.methods.sessionsAided', { sessions: design.modalities.length, noun: noun.one, days: design.washoutDays }) : t('studyReport.methods.sessionsUnaided');
  const about = { name: study.name, cases: design.cases, nouns: noun.other, patients: design.patients, asd: study.positivePatientCount, truth: t('studyReport.design.truthText') };
  const parts = [
    study.kind === 'cross-validation' ? t('studyReport.methods.crossValidationStudy', about) : t('studyReport.methods.readerStudy', about),
    t('studyReport.methods.readers', { readers: design.readers.length, material, sessions, seed: study.seed, training: design.trainingCases }),
    t('studyReport.methods.scores'),
    caseLevel ? t('studyReport.methods.unitWithCases', { nouns: noun.other, noun: noun.one }) : t('studyReport.methods.unit', { nouns: noun.other }),
    t('studyReport.methods.modelScores'),
    t('studyReport.methods.mrmc'),
    t('studyReport.methods.intervals', { bootstrap: comparison ? t('studyReport.methods.bootstrap', { replicates: comparison.bootstrap.replicates, seed: comparison.bootstrap.seed }) : '' }),
  ];
  if (folds.length > 0) parts.push(t('studyReport.methods.folds', { folds: folds.length, seed: study.seed }));
  parts.push(t('studyReport.methods.computed', { version: context.appVersion, time: w.time(context.generatedAt) }));
  for (const m of context.models) {
    const vars = { name: m.name, version: m.version, id: m.id, sha: m.sha256.slice(0, 16) };
    parts.push(m.validated ? t('studyReport.methods.model', vars) : t('studyReport.methods.modelNotValidated', vars));
  }
  return parts.join(w.join);
}
