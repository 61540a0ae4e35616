/** Sentences the study screens share about a study's protocol and its size. */
import type { ReadingModality, ReadingProtocol, StudySummary } from '../../../src-main/contract/entities.js';
import { t } from '../../lib/i18n.svelte.js';

/** The study's kind in words ("reader", "cross-validation"). */
export function kindName(kind: StudySummary['kind']): string {
  return kind === 'reader' ? t('studies.kindName.reader') : t('studies.kindName.crossValidation');
}

/** What the cases are: "random 1 s clips" or "full videos". */
export function materialSummary(protocol: ReadingProtocol): string {
  return protocol.material === 'clip' ? t('studies.protocol.randomClips', { seconds: protocol.clipSeconds }) : t('studies.protocol.fullVideos');
}

/**
 * What readers see and how they read, e.g. "random 1 s clips · original video, patient marked · unaided, then aided after 28 days".
 * A cross-validation study has no readers: only its material.
 */
export function protocolSummary(protocol: ReadingProtocol, kind: StudySummary['kind'] = 'reader'): string {
  const material = materialSummary(protocol);
  if (kind !== 'reader') return material;
  const view = (protocol.view ?? 'original-marked') === 'person-centred' ? t('studies.protocol.viewPersonCentred') : t('studies.protocol.viewOriginal');
  const modalities = protocol.modalities ?? ['unaided'];
  const sessions = modalities.includes('aided') ? t('studies.protocol.aidedAfter', { count: protocol.washoutDays ?? 28 }) : t('studies.protocol.unaidedOnly');
  return `${material} · ${view} · ${sessions}`;
}

/** The study's size per patient and per case, e.g. "12 patients (5 ASD) · 20 cases (8 ASD) · 2 training cases". */
export function studySize(study: StudySummary): string {
  const parts = [t('studies.size.patients', { count: study.patientCount, asd: study.positivePatientCount }), t('studies.size.cases', { count: study.caseCount, asd: study.positiveCount })];
  if (study.trainingCaseCount > 0) parts.push(t('studies.size.trainingCases', { count: study.trainingCaseCount }));
  return parts.join(' · ');
}

/** A reading modality in words ("unaided", "aided"). */
export function modalityName(modality: ReadingModality): string {
  return modality === 'aided' ? t('studies.modality.aided') : t('studies.modality.unaided');
}
