/** Sentences the study screens share about a study's protocol and its size. */
import type { ReadingProtocol, StudySummary } from '../../../src-main/contract/entities.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What readers see and how they read, e.g. "random 1 s clips · original video, patient marked · unaided, then aided after 28 days". */
export function protocolSummary(protocol: ReadingProtocol): string {
  const material = protocol.material === 'clip' ? `random ${protocol.clipSeconds} s clips` : 'full videos';
  const view = (protocol.view ?? 'original-marked') === 'person-centred' ? 'person-centred clip' : 'original video, patient marked';
  const modalities = protocol.modalities ?? ['unaided'];
  const sessions = modalities.includes('aided') ? `unaided, then aided after ${plural(protocol.washoutDays ?? 28, 'day')}` : 'unaided only';
  return `${material} · ${view} · ${sessions}`;
}

/** The study's size per patient and per case, e.g. "12 patients (5 ASD) · 20 cases (8 ASD) · 2 training cases". */
export function studySize(study: StudySummary): string {
  const parts = [`${plural(study.patientCount, 'patient')} (${study.positivePatientCount} ASD)`, `${plural(study.caseCount, 'case')} (${study.positiveCount} ASD)`];
  if (study.trainingCaseCount > 0) parts.push(plural(study.trainingCaseCount, 'training case'));
  return parts.join(' · ');
}
