import { z } from 'zod';
import { AppError } from '../contract/errors.js';

/**
 * manifest.json of a model bundle. The bundle's model.onnx must hash to `modelSha256` and its
 * input/output shapes must agree with `input` and `output`.
 */
export const bundleManifestSchema = z
  .object({
    schemaVersion: z.literal(1),
    id: z.string().min(1).max(120).regex(/^[A-Za-z0-9._-]+$/, 'the id may hold only letters, digits, dot, dash and underscore'),
    name: z.string().min(1).max(200),
    version: z.string().min(1).max(40),
    architecture: z.object({ family: z.string().min(1) }).passthrough(),
    input: z.object({
      name: z.string().min(1),
      frames: z.number().int().min(1).max(256),
      clipSeconds: z.number().min(0.1).max(30),
      size: z.number().int().min(16).max(1024),
      layout: z.literal('NCTHW'),
      mean: z.tuple([z.number(), z.number(), z.number()]),
      std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]),
      colourOrder: z.literal('RGB'),
      fps: z.number().positive().optional(),
    }),
    /**
     * A classifier's output (one score per clip, "logit" or "probability", with its classes and
     * the threshold below), or a feature backbone's ("features": the pooled features of each
     * clip, [N, featureSize]; no classes, no threshold, never a verdict).
     */
    output: z.discriminatedUnion('kind', [
      z.object({
        name: z.string().min(1),
        kind: z.enum(['logit', 'probability']),
        /** The class the raw output measures ("ASD_not" for the reference models). */
        positiveClass: z.string().min(1),
        classNames: z.array(z.string()).min(2),
        note: z.string().optional(),
      }),
      z.object({
        name: z.string().min(1),
        kind: z.literal('features'),
        /** The length of each clip's feature vector (2048 for slow_r50). */
        featureSize: z.number().int().min(1).max(65536),
        note: z.string().optional(),
      }),
    ]),
    /** Applied to P(ASD): at or above it the verdict is ASD. A classifier's only; a features bundle has none. */
    threshold: z.number().min(0).max(1).optional(),
    provenance: z.object({
      /** What the model was trained on, as stated by whoever exported it (or that it is not stated). */
      trainingData: z.string(),
      crossValidatedMetrics: z.record(z.string(), z.unknown()).nullable().optional(),
      date: z.string(),
      authors: z.array(z.string()),
      /** The checkpoint the weights came from: its file name and SHA-256 (tools/models/export_reference.py). */
      checkpoint: z.object({
        file: z.string().min(1),
        sha256: z.string().regex(/^[a-f0-9]{64}$/, 'provenance.checkpoint.sha256 must be 64 lowercase hex characters'),
      }).optional(),
      /** Who validated the model for its intended use, how and on what, as stated when exported. */
      validation: z.string().min(1).optional(),
    }).passthrough(),
    intendedUse: z.string(),
    /** false: research only; the app never shows its output as a clinical verdict. */
    validated: z.boolean(),
    modelSha256: z.string().regex(/^[a-f0-9]{64}$/, 'modelSha256 must be 64 lowercase hex characters'),
  })
  .passthrough()
  .superRefine((m, ctx) => {
    if (m.output.kind === 'features') {
      if (m.threshold !== undefined) ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'a features bundle gives no verdict, so it has no threshold' });
      return;
    }
    if (!m.output.classNames.includes(m.output.positiveClass)) {
      ctx.addIssue({ code: 'custom', path: ['output', 'positiveClass'], message: `"${m.output.positiveClass}" is not one of classNames [${m.output.classNames.join(', ')}]` });
    }
    if (m.output.classNames.length !== 2 || !m.output.classNames.includes('ASD')) {
      ctx.addIssue({ code: 'custom', path: ['output', 'classNames'], message: 'a stage 2 model has exactly two classes, one of them "ASD"' });
    }
    if (m.threshold === undefined) ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'a stage 2 classifier needs a threshold on P(ASD)' });
  });

export type BundleManifest = z.infer<typeof bundleManifestSchema>;

/** A classifier's manifest: one score per clip, its classes and its threshold. */
export type ClassifierManifest = BundleManifest & { output: Extract<BundleManifest['output'], { kind: 'logit' | 'probability' }>; threshold: number };
/** A feature backbone's manifest: the pooled features of each clip, no verdict. */
export type FeaturesManifest = BundleManifest & { output: Extract<BundleManifest['output'], { kind: 'features' }> };

export const isFeaturesManifest = (m: BundleManifest): m is FeaturesManifest => m.output.kind === 'features';

/** The manifest as a classifier's, or AppError('MODEL_IS_FEATURE_BACKBONE') for a feature backbone (it gives no verdict). */
export function classifierManifest(m: BundleManifest): ClassifierManifest {
  if (isFeaturesManifest(m)) throw new AppError('MODEL_IS_FEATURE_BACKBONE', m.name);
  return m as ClassifierManifest;
}

/** The manifest as a feature backbone's, or AppError('MODEL_NOT_FEATURE_BACKBONE') for a classifier. */
export function featuresManifest(m: BundleManifest): FeaturesManifest {
  if (!isFeaturesManifest(m)) throw new AppError('MODEL_NOT_FEATURE_BACKBONE', m.name);
  return m;
}
