/** A measure's name and value as the screens write them, in the current language. */
import { measureNameKey } from '../../src-main/contract/i18n/measureKeys.js';
import { measureInfo, type MeasureName } from '../../src-main/contract/measurements.js';
import { t } from './i18n.svelte.js';

export type NamedMeasure = MeasureName | 'cadence';

export const measureName = (measure: NamedMeasure): string => t(measureNameKey[measure]);

/** Degrees to 1 decimal ("12.3°"), trunk lengths to 2, cadence in steps per minute to 1; null as `missing`. */
export function measureValueText(measure: NamedMeasure, value: number | null | undefined, missing = '—'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return missing;
  if (measure === 'cadence') return `${value.toFixed(1)} ${t('measures.unit.stepsPerMinute')}`;
  if (measureInfo[measure].unit !== 'deg') return `${value.toFixed(2)} ${t('measures.unit.trunkLengths')}`;
  return `${value.toFixed(1)}${t('measures.unit.deg')}`;
}
