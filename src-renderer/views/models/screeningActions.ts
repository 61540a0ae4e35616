/**
 * What the list and the report do to a screening model, asked in the same words in both places:
 * accept (after a confirm that says what accepting means), retire, export the exchange file.
 */
import type { ScreeningModelSummary } from '../../../src-main/contract/screening.js';
import type { WalkScopeClient } from '../../lib/api/client.js';
import { downloadFile } from '../../lib/download.js';
import { t } from '../../lib/i18n.svelte.js';

type Named = Pick<ScreeningModelSummary, 'id' | 'name'>;

export const acceptQuestion = (model: Named) => t('models.screening.acceptQuestion', { name: model.name });

export const retireQuestion = (model: Named) => t('models.screening.retireQuestion', { name: model.name });

/** Null when the user said no. */
export async function acceptModel(client: WalkScopeClient, model: Named, ask: (question: string) => boolean = confirm): Promise<ScreeningModelSummary | null> {
  if (!ask(acceptQuestion(model))) return null;
  return client.call('screening.accept', { id: model.id });
}

export async function retireModel(client: WalkScopeClient, model: Named, ask: (question: string) => boolean = confirm): Promise<ScreeningModelSummary | null> {
  if (!ask(retireQuestion(model))) return null;
  return client.call('screening.retire', { id: model.id });
}

/** The model as one JSON file with its SHA-256, downloaded. */
export async function exportModel(client: WalkScopeClient, model: Named): Promise<void> {
  downloadFile(await client.call('screening.export', { id: model.id }));
}
