/** Words and numbers the screening-model screens share (list, report, explanation). */
import type { MetricInterval, ScreeningModelSummary } from '../../src-main/contract/screening.js';
import { notShownToBeatChance } from '../../src-main/contract/screening.js';
import { measureInfo, type MeasureName } from '../../src-main/contract/measurements.js';
import { measureName } from './measureText.js';
import { t } from './i18n.svelte.js';

/** The label as the data carries it (ScreeningLabels shows it in the current language). */
export const researchOnly = 'research only';

/** The labels a model's output carries: "research only" always, "not shown to beat chance" when it did not. */
export function modelLabels(beatsChance: boolean): string[] {
  return beatsChance ? [researchOnly] : [researchOnly, notShownToBeatChance];
}

/** trained / accepted (active) / accepted / retired, in the current language. */
export function statusWords(model: Pick<ScreeningModelSummary, 'status' | 'active'>): string {
  if (model.status === 'accepted') return model.active ? t('components.screening.status.acceptedActive') : t('components.screening.status.accepted');
  return model.status === 'trained' ? t('components.screening.status.trained') : t('components.screening.status.retired');
}

/** A proportion or score to 3 decimals; a missing one as a dash. */
export function f3(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(3);
}

/** "0.781 (0.702–0.853)"; a missing interval as a dash. */
export function withInterval(value: MetricInterval | null | undefined): string {
  if (!value) return '—';
  return `${f3(value.estimate)} (${f3(value.lower)}–${f3(value.upper)})`;
}

/** "0.781 ± 0.042"; a missing summary as a dash. */
export function meanSd(value: { mean: number; sd: number } | undefined): string {
  return value ? `${f3(value.mean)} ± ${f3(value.sd)}` : '—';
}

/** A signed number: "+2.7", "−0.4" (a true minus sign). */
export function signed(value: number, digits = 1): string {
  const text = Math.abs(value).toFixed(digits);
  if (Number(text) === 0) return text;
  return value > 0 ? `+${text}` : `−${text}`;
}



/** A measure's name in the current language. */
export function measureLabel(name: MeasureName): string {
  return measureName(name);
}

/** Measure values: degrees to 1 decimal, trunk lengths to 2. */
export function measureValue(name: MeasureName, value: number): string {
  return measureInfo[name].unit === 'deg' ? t('components.screening.degrees', { value: value.toFixed(1) }) : t('components.screening.trunkLengths', { value: value.toFixed(2) });
}

export const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** The patient-level point metrics of a fold or a repeat, as table columns (the keys of their mean ± SD summaries); each label in the current language. */
export const pointMetricColumns = [
  { key: 'balancedAccuracy', get label() { return t('components.screening.metric.balancedAccuracy'); } },
  { key: 'accuracy', get label() { return t('components.screening.metric.accuracy'); } },
  { key: 'sensitivity', get label() { return t('components.screening.metric.sensitivity'); } },
  { key: 'specificity', get label() { return t('components.screening.metric.specificity'); } },
  { key: 'f1', get label() { return t('components.screening.metric.f1'); } },
  { key: 'auroc', get label() { return t('components.screening.metric.auroc'); } },
  { key: 'brier', get label() { return t('components.screening.metric.brier'); } },
] as const;
