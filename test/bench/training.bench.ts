/**
 * Training speed of the screening model on a SYNTHETIC cohort (generated numbers, not
 * patients) of 80 patients x 25 segments = 2,000 segments, 5 measures: trainScreeningModel with
 * the default protocol (10 repeats x 5 folds, C from 6 candidates by a 3-fold inner CV, 2000
 * bootstrap replicates), and the fusion evaluation alone (5 outer folds with their inner CVs,
 * the gate grid, the final gate). Prints ms (median of BENCH_REPEATS runs, default 3) and the
 * number of model fits; asserts nothing. Run: npm run bench -- training
 *
 * Then the wide logistic regression on SYNTHETIC data (seeded standard normal columns, as the
 * 3D-CNN clip features standardised are; labels from a linear signal): one newton-cg fit at
 * n = 1280, p = 2048 for C = 1, a path over the 6 C of the protocol (0.001 .. 100) with warm
 * starts and with cold starts, one dense Newton step at that size for comparison, and the
 * dense vs newton-cg crossover at n = 1000 that sets DENSE_NEWTON_MAX_FEATURES.
 * BENCH_WIDE=0 skips these (they take about a minute).
 */
import { loadavg } from 'node:os';
import { protocolSchema } from '../../src-main/contract/screening.js';
import { evaluateFusion } from '../../src-main/domain/learn/fusion.js';
import { trainScreeningModel } from '../../src-main/domain/learn/trainModel.js';
import { fitLogisticRegressionMatrix, type LogisticFit, type LogisticFitOptions } from '../../src-main/domain/learn/logisticRegression.js';
import { syntheticCnnScores, syntheticCohort } from '../helpers/syntheticCohort.js';
import { syntheticLogistic } from '../helpers/syntheticLogistic.js';

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

if (process.env.BENCH_WIDE !== '0') benchWideLogistic();

function benchWideLogistic(): void {
  const rows = 1280;
  const columns = 2048;
  const { design, labels } = syntheticLogistic({ rows, columns, seed: 2048, separation: 2 });
  const fitOnce = (options: LogisticFitOptions): { fit: LogisticFit; ms: number } => {
    const t = performance.now();
    const fit = fitLogisticRegressionMatrix(design, labels, options);
    return { fit, ms: performance.now() - t };
  };
  const row = (label: string, ms: number, fit: LogisticFit) =>
    console.log(`| ${label} | ${ms.toFixed(0)} | ${fit.iterations} | ${fit.hessianProducts ?? '-'} | ${fit.converged ? 'yes' : 'no'} | ${fit.gradientNorm!.toExponential(1)} |`);

  console.log(`\nSYNTHETIC wide logistic regression: n = ${rows}, p = ${columns}, standard normal columns, ${labels.filter((y) => y === 1).length} positives; load ${loadavg()[0]!.toFixed(1)}\n`);
  console.log('| what | ms | Newton steps | Hessian-vector products | converged | max gradient |');
  console.log('|---|---|---|---|---|---|');
  fitOnce({ c: 1, maxIterations: 2 }); // warm up the JIT
  const single: number[] = [];
  let last: LogisticFit | undefined;
  for (let i = 0; i < repeats; i++) {
    const { fit, ms } = fitOnce({ c: 1 });
    single.push(ms);
    last = fit;
  }
  row(`newton-cg, C = 1, cold start (median of ${repeats})`, median(single), last!);
  for (const warm of [true, false]) {
    let previous: LogisticFit | undefined;
    let totalMs = 0;
    let steps = 0;
    let products = 0;
    for (const c of protocol.cGrid) {
      const { fit, ms } = fitOnce({ c, ...(warm && previous ? { initial: previous } : {}) });
      row(`newton-cg, C = ${c}, ${warm ? 'warm start from the previous C' : 'cold start'}`, ms, fit);
      totalMs += ms;
      steps += fit.iterations;
      products += fit.hessianProducts!;
      previous = fit;
    }
    const k = protocol.cGrid.length;
    console.log(`| **path of ${k} C, ${warm ? 'warm' : 'cold'} starts: per fit** | **${(totalMs / k).toFixed(0)}** | ${(steps / k).toFixed(1)} | ${(products / k).toFixed(1)} | | |`);
  }
  const { fit: denseStep, ms: denseMs } = fitOnce({ c: 1, solver: 'dense', maxIterations: 1 });
  row('dense Newton, C = 1: ONE step only (a fit takes 6-10)', denseMs, denseStep);
  benchCrossover();
}

/** Dense vs newton-cg at n = 1000 for growing p (median of BENCH_REPEATS fits each, after a warm-up). */
function benchCrossover(): void {
  const rows = 1000;
  console.log(`\nDense Newton vs newton-cg, n = ${rows}, SYNTHETIC standard normal columns (median ms of ${repeats} fits); load ${loadavg()[0]!.toFixed(1)}\n`);
  console.log('| p | C | dense ms | dense steps | newton-cg ms | newton-cg steps | Hessian-vector products |');
  console.log('|---|---|---|---|---|---|---|');
  for (const columns of [2, 5, 8, 12, 16, 24, 32, 64, 128, 256]) {
    const { design, labels } = syntheticLogistic({ rows, columns, seed: columns, separation: 2 });
    for (const c of [1, 100]) {
      const timed = (solver: 'dense' | 'newton-cg') => {
        fitLogisticRegressionMatrix(design, labels, { c, solver });
        const ms: number[] = [];
        let fit: LogisticFit | undefined;
        for (let i = 0; i < repeats; i++) {
          const t = performance.now();
          fit = fitLogisticRegressionMatrix(design, labels, { c, solver });
          ms.push(performance.now() - t);
        }
        return { ms: median(ms), fit: fit! };
      };
      const dense = timed('dense');
      const wide = timed('newton-cg');
      console.log(`| ${columns} | ${c} | ${dense.ms.toFixed(1)} | ${dense.fit.iterations} | ${wide.ms.toFixed(1)} | ${wide.fit.iterations} | ${wide.fit.hessianProducts} |`);
    }
  }
}
