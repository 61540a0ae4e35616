/**
 * Training speed of the screening model on a SYNTHETIC cohort (generated numbers, not
 * patients) of 80 patients x 25 segments = 2,000 segments, 5 measures: trainScreeningModel with
 * the default protocol (10 repeats x 5 folds, C from 6 candidates by a 3-fold inner CV, 2000
 * bootstrap replicates), and the fusion evaluation alone (5 outer folds with their inner CVs,
 * the gate grid, the final gate). Prints ms (median of BENCH_REPEATS runs, default 3) and the
 * number of model fits; asserts nothing. Run: npm run bench -- training
 */
import { loadavg } from 'node:os';
import { protocolSchema } from '../../src-main/contract/screening.js';
import { evaluateFusion } from '../../src-main/domain/learn/fusion.js';
import { trainScreeningModel } from '../../src-main/domain/learn/trainModel.js';
import { syntheticCnnScores, syntheticCohort } from '../helpers/syntheticCohort.js';

const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const { cohort } = syntheticCohort({ patientsPerClass: 40, segmentsPerPatient: [25, 25], effect: 0.5, seed: 1 });
const cnn = syntheticCnnScores(cohort, { seed: 2 });
const protocol = protocolSchema.parse({});
const options = { name: 'SYNTHETIC bench', appVersion: 'bench', createdAt: new Date(0).toISOString(), patientsSha256: '0'.repeat(64) };

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function time(label: string, run: (countFit: () => void) => void): void {
  const ms: number[] = [];
  let fits = 0;
  for (let i = 0; i < repeats; i++) {
    fits = 0;
    const t = performance.now();
    run(() => fits++);
    ms.push(performance.now() - t);
  }
  console.log(`| ${label} | ${median(ms).toFixed(0)} | ${ms.map((v) => v.toFixed(0)).join(', ')} | ${fits} |`);
}

console.log(`\nSYNTHETIC cohort: ${cohort.patients.length} patients, ${cohort.counts.segments} segments, ${cohort.features.length} measures; protocol ${protocol.repeats} repeats x ${protocol.folds} folds, ${protocol.cGrid.length} C x ${protocol.innerFolds} inner folds, ${protocol.bootstrapReplicates} bootstrap replicates; load ${loadavg()[0]!.toFixed(1)}\n`);
console.log('| what | median ms | runs ms | model fits |');
console.log('|---|---|---|---|');
// a fit is counted at each stop check (one before every fit)
time('trainScreeningModel (CV + final model)', (countFit) => trainScreeningModel(cohort, protocol, { ...options, hooks: { shouldStop: () => (countFit(), false) } }));
time('trainScreeningModel with fusion', (countFit) =>
  trainScreeningModel(cohort, protocol, {
    ...options,
    fusion: { source: { kind: 'bundle', id: 'bench', notTrainedOnThesePatients: true }, bundles: [{ fold: null, id: 'bench' }], cnnScores: cnn, foldOfPatient: null },
    hooks: { shouldStop: () => (countFit(), false) },
  }),
);
time('evaluateFusion alone', (countFit) => evaluateFusion(cohort.patients, cnn, null, protocol, { shouldStop: () => (countFit(), false) }));
