import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bundleManifestSchema, classifierManifest, isFeaturesManifest } from '../../../src-main/classify/bundleManifest.js';

/** The committed fixtures' manifests (test/fixtures/models, tools/models/make_fixtures.sh). */
const manifestOf = (name: string) => JSON.parse(readFileSync(resolve(import.meta.dirname, `../../fixtures/models/${name}/manifest.json`), 'utf8')) as Record<string, any>;
const classifier = () => manifestOf('slow_r50-tiny');
const features = () => manifestOf('slow_r50-tiny-features');

/** The first issue zod finds, as openBundle reports it ("path: message"), or "ok". */
function verdict(manifest: unknown): string {
  const parsed = bundleManifestSchema.safeParse(manifest);
  if (parsed.success) return 'ok';
  const issue = parsed.error.issues[0]!;
  return `${issue.path.join('.')}: ${issue.message}`;
}

describe('the bundle manifest schema', () => {
  it('accepts a features manifest: output kind "features" with its feature size, no classes and no threshold', () => {
    const m = features();
    expect(m.output).toMatchObject({ kind: 'features', featureSize: 64 });
    expect(m).not.toHaveProperty('threshold');
    expect(verdict(m)).toBe('ok');
    const parsed = bundleManifestSchema.parse(m);
    expect(isFeaturesManifest(parsed)).toBe(true);
    expect(parsed.output).toEqual({ name: 'features', kind: 'features', featureSize: 64, note: m.output.note });
  });

  it('refuses a features manifest without a whole positive feature size, or with a threshold', () => {
    expect(verdict({ ...features(), output: { ...features().output, featureSize: undefined } })).toBe('output.featureSize: Invalid input: expected number, received undefined');
    expect(verdict({ ...features(), output: { ...features().output, featureSize: 0 } })).toBe('output.featureSize: Too small: expected number to be >=1');
    expect(verdict({ ...features(), output: { ...features().output, featureSize: 20.5 } })).toBe('output.featureSize: Invalid input: expected int, received number');
    expect(verdict({ ...features(), threshold: 0.5 })).toBe('threshold: a features bundle gives no verdict, so it has no threshold');
  });

  it('still demands of a classifier its two classes, its positive class and its threshold', () => {
    expect(verdict(classifier())).toBe('ok');
    const { classNames: _c, ...noClasses } = classifier().output;
    expect(verdict({ ...classifier(), output: noClasses })).toBe('output.classNames: Invalid input: expected array, received undefined');
    expect(verdict({ ...classifier(), output: { ...classifier().output, classNames: ['healthy', 'ASD_not'] } })).toBe('output.classNames: a stage 2 model has exactly two classes, one of them "ASD"');
    expect(verdict({ ...classifier(), output: { ...classifier().output, positiveClass: 'healthy' } })).toBe('output.positiveClass: "healthy" is not one of classNames [ASD, ASD_not]');
    const { threshold: _t, ...noThreshold } = classifier();
    expect(verdict(noThreshold)).toBe('threshold: a stage 2 classifier needs a threshold on P(ASD)');
    // a features kind does not excuse a classifier's fields being wrong the other way round
    expect(verdict({ ...classifier(), output: { ...classifier().output, kind: 'embedding' } })).toMatch(/^output\.kind: /);
  });

  it('gives a classifier manifest to stage 2 and refuses a feature backbone with the sentence saying why', () => {
    expect(classifierManifest(bundleManifestSchema.parse(classifier())).threshold).toBe(0.5);
    expect(() => classifierManifest(bundleManifestSchema.parse(features()))).toThrow(
      expect.objectContaining({
        code: 'MODEL_IS_FEATURE_BACKBONE',
        message: 'slow_r50 features 8x64 width x0.03125 (random weights) is a feature backbone: it gives no verdict on its own; train a head on its features first.',
      }),
    );
  });
});
