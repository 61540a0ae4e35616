import { z } from 'zod';

/**
 * The result of an Obuchowski-Rockette multi-reader multi-case (MRMC) analysis of reader x
 * modality AUCs, with Hillis' (2007) denominator degrees of freedom, as services send it.
 * Built by src-main/domain/stats/mrmc.ts. Every number is finite; what cannot be computed
 * (one reader, one modality, a zero variance) is null with a sentence in `notes`.
 *
 * Notation: t modalities, r readers, c cases; theta_ij the AUC of modality i and reader j.
 * Differences are always modalityA minus modalityB, with modalityA the one listed first in
 * `modalities` (the order of first appearance in the input).
 */

export const mrmcCovarianceMethods = ['jackknife', 'deLong'] as const;
/** jackknife: leave one case out, (c-1)/c times the sum of products of deviations (OR-DBM MRMC); deLong: structural components. */
export const mrmcCovarianceMethodSchema = z.enum(mrmcCovarianceMethods);
export type MrmcCovarianceMethod = z.infer<typeof mrmcCovarianceMethodSchema>;

/** One difference of AUCs with its standard error, test and confidence interval. */
export const mrmcDifferenceSchema = z.object({
  modalityA: z.string(),
  modalityB: z.string(),
  /** AUC(A) - AUC(B) (reader-averaged, or of one reader). */
  difference: z.number(),
  stdErr: z.number(),
  /** difference / stdErr: t on `df` degrees of freedom, or standard normal when `df` is null. Null when stdErr is 0 and the difference is not. */
  statistic: z.number().nullable(),
  /** Degrees of freedom of the t reference distribution; null: the standard normal. */
  df: z.number().nullable(),
  /** Two-sided p-value; null when the statistic is. */
  p: z.number().nullable(),
  lower: z.number(),
  upper: z.number(),
});
export type MrmcDifference = z.infer<typeof mrmcDifferenceSchema>;

/** The F test of equal reader-averaged AUCs, and every pairwise difference. */
export const mrmcFTestSchema = z.object({
  f: z.number(),
  ndf: z.number(),
  /** Denominator degrees of freedom; null when infinite (MS(T*R) = 0): the p-value is then chi-square(t-1) of (t-1) F and intervals are normal. */
  ddf: z.number().nullable(),
  p: z.number(),
  /** The denominator of F (for random readers random cases MS(T*R) + r max(Cov2 - Cov3, 0), for fixed cases MS(T*R)). */
  denominator: z.number(),
  differences: z.array(mrmcDifferenceSchema),
});
export type MrmcFTest = z.infer<typeof mrmcFTestSchema>;

/** Fixed readers: chi-square on t-1 df of MS(T) / (Var - Cov1 + (r-1) max(Cov2 - Cov3, 0)); normal intervals. */
export const mrmcChiSquareTestSchema = z.object({
  chiSquare: z.number(),
  df: z.number(),
  p: z.number(),
  denominator: z.number(),
  differences: z.array(mrmcDifferenceSchema),
});
export type MrmcChiSquareTest = z.infer<typeof mrmcChiSquareTestSchema>;

export const mrmcResultSchema = z.object({
  covariance: mrmcCovarianceMethodSchema,
  level: z.number(),
  modalities: z.array(z.string()),
  readers: z.array(z.string()),
  cases: z.number().int(),
  positives: z.number().int(),
  negatives: z.number().int(),
  /** theta_ij: aucs[i][j] is the AUC of modality i and reader j (Mann-Whitney, ties 1/2). */
  aucs: z.array(z.array(z.number())),
  /** The covariance matrix of the AUC estimates, rows and columns in `keys` order (modality-major). */
  covarianceMatrix: z.object({ keys: z.array(z.object({ modality: z.string(), reader: z.string() })), values: z.array(z.array(z.number())) }),
  /** Mean squares of the two-way ANOVA of the AUCs: treatment (modality), reader, and their interaction; null without a second modality or reader. */
  anova: z.object({ msT: z.number().nullable(), msR: z.number().nullable(), msTR: z.number().nullable() }),
  /**
   * The OR error covariances, averages of matching entries of the covariance matrix: Var
   * (diagonal), Cov1 (same reader, different modality), Cov2 (different reader, same modality),
   * Cov3 (different reader and modality); null when no pair of that kind exists.
   */
  covariances: z.object({ varError: z.number(), cov1: z.number().nullable(), cov2: z.number().nullable(), cov3: z.number().nullable() }),
  /** The primary analysis: readers and cases both random (Hillis 2007 ddf). */
  randomReadersRandomCases: mrmcFTestSchema.nullable(),
  fixedReadersRandomCases: mrmcChiSquareTestSchema.nullable(),
  /** Cases fixed: F = MS(T) / MS(T*R) on (t-1, (t-1)(r-1)) df. */
  randomReadersFixedCases: mrmcFTestSchema.nullable(),
  /** Each modality's reader-averaged AUC, with its interval for random readers and random cases (null with one reader). */
  singleModality: z.array(
    z.object({
      modality: z.string(),
      auc: z.number(),
      /** MS(R) within the modality and the mean covariance of two different readers in it. */
      msR: z.number().nullable(),
      cov2: z.number().nullable(),
      /** stdErr = sqrt((MS(R)_i + r max(Cov2_i, 0)) / r); df = (MS(R)_i + r max(Cov2_i, 0))^2 / (MS(R)_i^2 / (r-1)), null when infinite (t becomes normal). */
      randomReadersRandomCases: z.object({ stdErr: z.number(), df: z.number().nullable(), lower: z.number(), upper: z.number() }).nullable(),
    }),
  ),
  /** For each reader, every pair of modalities: SE sqrt(Var_A + Var_B - 2 Cov_AB), normal test and interval (cases random, that reader only). */
  singleReader: z.array(z.object({ reader: z.string(), differences: z.array(mrmcDifferenceSchema) })),
  notes: z.array(z.string()),
});
export type MrmcResult = z.infer<typeof mrmcResultSchema>;
