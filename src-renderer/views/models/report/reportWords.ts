/**
 * The report screen's words that depend on a value: metric, measure, diagnosis and fusion
 * method names, the model's status, and measure values with their unit, in the current
 * language. Every key is written out so the catalogue test sees it.
 */
import type { FusionMethod, ScreeningModelSummary } from '../../../../src-main/contract/screening.js';
import { measureInfo, type MeasureName } from '../../../../src-main/contract/measurements.js';
import type { Diagnosis } from '../../../../src-main/contract/entities.js';
import { diagnosisShortKey } from '../../../../src-main/contract/i18n/diagnosisKeys.js';
import { fusionMethodKey } from '../../../../src-main/contract/i18n/fusionKeys.js';
import { t } from '../../../lib/i18n.svelte.js';

export type MetricKey = 'balancedAccuracy' | 'accuracy' | 'sensitivity' | 'specificity' | 'f1' | 'auroc' | 'brier';

export function metricLabel(key: MetricKey): string {
  switch (key) {
    case 'balancedAccuracy':
      return t('screeningReport.metric.balancedAccuracy');
    case 'accuracy':
      return t('screeningReport.metric.accuracy');
    case 'sensitivity':
      return t('screeningReport.metric.sensitivity');
    case 'specificity':
      return t('screeningReport.metric.specificity');
    case 'f1':
      return t('screeningReport.metric.f1');
    case 'auroc':
      return t('screeningReport.metric.auroc');
    case 'brier':
      return t('screeningReport.metric.brier');
  }
}

export { measureName } from '../../../lib/measureText.js';

/** A measure's value with its unit: degrees to 1 decimal, trunk lengths to 2. */
export function measureValue(name: MeasureName, value: number): string {
  return measureInfo[name].unit === 'deg' ? t('screeningReport.view.valueDeg', { value: value.toFixed(1) }) : t('screeningReport.view.valueTrunkLengths', { value: value.toFixed(2) });
}

export function diagnosisLabel(d: Diagnosis): string {
  return t(diagnosisShortKey[d]);
}

export function fusionMethodLabel(method: FusionMethod): string {
  return t(fusionMethodKey[method]);
}

/** trained / accepted (active) / accepted / retired. */
export function statusLabel(model: Pick<ScreeningModelSummary, 'status' | 'active'>): string {
  switch (model.status) {
    case 'accepted':
      return model.active ? t('screeningReport.view.status.acceptedActive') : t('screeningReport.view.status.accepted');
    case 'trained':
      return t('screeningReport.view.status.trained');
    case 'retired':
      return t('screeningReport.view.status.retired');
  }
}

export const patientCount = (count: number): string => t('screeningReport.view.patientCount', { count });
export const segmentCount = (count: number): string => t('screeningReport.view.segmentCount', { count });
export const foldCount = (count: number): string => t('screeningReport.view.foldCount', { count });
