/**
 * What the list and the report do to a screening model, asked in the same words in both places:
 * accept (after a confirm that says what accepting means), retire, export the exchange file.
 */
import type { ScreeningModelSummary } from '../../../src-main/contract/screening.js';
import type { WalkScopeClient } from '../../lib/api/client.js';
import { downloadFile } from '../../lib/download.js';
import { t } from '../../lib/i18n.svelte.js';

type Named = Pick<ScreeningModelSummary, 'id' | 'name'> & { videoFeatures?: ScreeningModelSummary['videoFeatures'] };

/** A head on video features is written into a stage 2 bundle when accepted; a posture model becomes the one verdicts use. */
export const acceptQuestion = (model: Named) =>
  model.videoFeatures ? t('models.screening.acceptHeadQuestion', { name: model.name, backbone: model.videoFeatures.bundleName }) : t('models.screening.acceptQuestion', { name: model.name });

/** What accepting did, when the model is a head (null for a posture model: each screen says that in its own words). */
export const acceptedHeadNotice = (model: Named): string | null => (model.videoFeatures ? t('models.screening.acceptedHead', { name: model.name }) : null);

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
