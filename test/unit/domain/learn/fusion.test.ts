import { describe, expect, it } from 'vitest';
import { fusionMethodNames, protocolSchema } from '../../../../src-main/contract/screening.js';
import { evaluateFusion } from '../../../../src-main/domain/learn/fusion.js';
import { syntheticCnnScores, syntheticCohort } from '../../../helpers/syntheticCohort.js';

/**
 * The evidence gate against fixed 0.5 on SYNTHETIC data built for it: the CNN is informative
 * (logit +-2 plus N(0,1) noise) only for patients whose outlyingness is below the cohort's
 * median and pure noise above it, while the measures speak mostly for outlying patients (an
 * ASD patient who looks typical is what they miss). The best fusion therefore trusts the
 * measures above the threshold and the CNN below it; fixed 0.5 adds the CNN's noise to the
 * outlying half and the measures' weak signal to the typical half. The gate must win on the
 * AUROC (the metric compared here; balanced accuracy is printed too) and choose wLo < wHi in
 * every fold. 150 patients per class make the gap (about 0.04 AUROC) about three DeLong SEs wide,
 * so it is not a lucky seed.
 */
describe('evidence-gated fusion (SYNTHETIC)', () => {
  it('the nested gate beats fixed 0.5 when the CNN is informative only for typical-looking patients', () => {
    const { cohort } = syntheticCohort({ patientsPerClass: 150, segmentsPerPatient: [10, 30], effect: 0.6, seed: 1 });
    const cnn = syntheticCnnScores(cohort, { seed: 101 });
    const report = evaluateFusion(cohort.patients, cnn, null, protocolSchema.parse({}));
    const metrics = Object.fromEntries(report.methods.map((m) => [m.method, m.metrics]));
    for (const method of fusionMethodNames) {
      const m = metrics[method]!;
      console.log(`fusion ${method}: AUROC ${m.auroc!.estimate.toFixed(4)} (${m.auroc!.lower.toFixed(4)}-${m.auroc!.upper.toFixed(4)}), balanced accuracy ${m.balancedAccuracy.estimate.toFixed(4)} (${m.balancedAccuracy.lower.toFixed(4)}-${m.balancedAccuracy.upper.toFixed(4)})`);
    }
    const fixedVsGate = report.comparisons.find((c) => c.a === 'fixed' && c.b === 'gate')!;
    console.log(`fixed vs gate: DeLong difference ${fixedVsGate.deLong!.difference.toFixed(4)} (SE ${fixedVsGate.deLong!.se.toFixed(4)}, p ${fixedVsGate.deLong!.p.toExponential(2)}); McNemar fixed right/gate wrong ${fixedVsGate.aRightBWrong}, reverse ${fixedVsGate.aWrongBRight}, exact p ${fixedVsGate.mcNemarExactP.toFixed(4)}`);
    console.log(`per-fold gates: ${report.perFold.map((f) => `q ${f.gate.q} wLo ${f.gate.wLo} wHi ${f.gate.wHi} (global ${f.globalWeight})`).join('; ')}; final ${JSON.stringify(report.finalGate)}`);

    expect(report.patients).toBe(300);
    expect(report.withoutCnn).toEqual([]);
    expect(metrics.gate!.auroc!.estimate).toBeGreaterThan(metrics.fixed!.auroc!.estimate);
    expect(fixedVsGate.deLong!.difference).toBeLessThan(0);
    expect(fixedVsGate.deLong!.p).toBeLessThan(0.05);
    for (const f of report.perFold) expect(f.gate.wLo).toBeLessThan(f.gate.wHi);
    expect(report.finalGate.wLo).toBeLessThan(report.finalGate.wHi);
    expect(report.comparisons).toHaveLength(10);
  });

  it('patients without a CNN score are listed and left out; a fold-less patient of a study is refused', () => {
    const { cohort } = syntheticCohort({ patientsPerClass: 12, segmentsPerPatient: [3, 6], effect: 1, seed: 2 });
    const cnn = syntheticCnnScores(cohort, { seed: 1 });
    cnn.delete('SYN-001');
    cnn.delete('SYN-002');
    const protocol = protocolSchema.parse({ folds: 3, cGrid: [1], bootstrapReplicates: 200 });
    const report = evaluateFusion(cohort.patients, cnn, null, protocol);
    expect(report.withoutCnn).toEqual(['SYN-001', 'SYN-002']);
    expect(report.patients).toBe(22);
    expect(report.methods.every((m) => m.metrics.n === 22)).toBe(true);
    const folds = new Map(cohort.patients.slice(0, 20).map((p, i) => [p.code, i % 2]));
    expect(() => evaluateFusion(cohort.patients, cnn, folds, protocol)).toThrow(/have a CNN score but no fold in the study/);
  });
});
