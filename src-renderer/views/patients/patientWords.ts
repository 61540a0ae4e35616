/** A patient's coded fields (sex, diagnosis label, camera view) in the current language. */
import type { Patient, VideoView } from '../../../src-main/contract/entities.js';
import { t } from '../../lib/i18n.svelte.js';
import { diagnosisNameKey } from '../../../src-main/contract/i18n/diagnosisKeys.js';

// Literal keys, so the catalogue test sees every one.
const sexKeys: Record<Patient['sex'], string> = {
  female: 'patients.sex.female',
  male: 'patients.sex.male',
  other: 'patients.sex.other',
  unknown: 'patients.sex.unknown',
};
const viewKeys: Record<VideoView, string> = {
  sagittal: 'patients.view.sagittal',
  frontal: 'patients.view.frontal',
  unknown: 'patients.view.unknown',
};

export const sexWord = (sex: Patient['sex']): string => t(sexKeys[sex]);
export const diagnosisWord = (diagnosis: Patient['diagnosis']): string => t(diagnosisNameKey[diagnosis]);
export const viewWord = (view: VideoView): string => t(viewKeys[view]);
