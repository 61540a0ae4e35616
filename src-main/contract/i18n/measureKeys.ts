import type { MeasureName } from '../measurements.js';

/**
 * The catalogue key of each measure's name, and of cadence (literal keys, so the catalogue test
 * checks every one): the screens and the reports name a measure through this one table.
 */
export const measureNameKey = {
  trunkLean: 'measures.name.trunkLean',
  headForward: 'measures.name.headForward',
  shoulderHipOffset: 'measures.name.shoulderHipOffset',
  maxHipFlexion: 'measures.name.maxHipFlexion',
  hipRange: 'measures.name.hipRange',
  craniovertebralAngle: 'measures.name.craniovertebralAngle',
  hipFlexionLeft: 'measures.name.hipFlexionLeft',
  hipFlexionRight: 'measures.name.hipFlexionRight',
  kneeFlexionLeft: 'measures.name.kneeFlexionLeft',
  kneeFlexionRight: 'measures.name.kneeFlexionRight',
  kneeRangeLeft: 'measures.name.kneeRangeLeft',
  kneeRangeRight: 'measures.name.kneeRangeRight',
  cadence: 'measures.name.cadence',
} as const satisfies Record<MeasureName | 'cadence', string>;
