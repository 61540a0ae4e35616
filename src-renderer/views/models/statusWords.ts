/** A screening model's status in the current language: trained / accepted (active) / accepted / retired. */
import type { ScreeningModelSummary } from '../../../src-main/contract/screening.js';
import { t } from '../../lib/i18n.svelte.js';

export function statusWord(model: Pick<ScreeningModelSummary, 'status' | 'active'>): string {
  if (model.status === 'accepted') return model.active ? t('models.status.acceptedActive') : t('models.status.accepted');
  if (model.status === 'retired') return t('models.status.retired');
  return t('models.status.trained');
}
