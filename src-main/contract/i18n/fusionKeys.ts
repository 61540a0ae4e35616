import type { FusionMethod } from '../screening.js';

/** The catalogue key of each fusion method's name, for the screening report and its screen (literal keys, so the catalogue test checks each). */
export const fusionMethodKey = {
  measures: 'screeningReport.fusionMethod.measures',
  cnn: 'screeningReport.fusionMethod.cnn',
  fixed: 'screeningReport.fusionMethod.fixed',
  global: 'screeningReport.fusionMethod.global',
  gate: 'screeningReport.fusionMethod.gate',
} as const satisfies Record<FusionMethod, string>;
