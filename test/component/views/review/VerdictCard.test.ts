import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/svelte';
import VerdictCard from '../../../../src-renderer/views/review/VerdictCard.svelte';
import type { ModelBundle, Stage2Result } from '../../../../src-main/contract/entities.js';

afterEach(cleanup);

const sha = 'ab12cd34ef56' + '0'.repeat(52);

function bundle(validated: boolean, overrides: Partial<ModelBundle> = {}): ModelBundle {
  return {
    id: 'slow-r50-asd',
    name: 'Slow R50 ASD',
    version: '1.2.0',
    architecture: 'slow_r50',
    sha256: sha,
    validated,
    importedAt: '2026-11-01T09:00:00.000Z',
    kind: 'classifier',
    featureSize: null,
    threshold: 0.5,
    intendedUse: 'research',
    input: null,
    provenance: null,
    importedFrom: null,
    manifest: {},
    ...overrides,
  };
}

function result(validated: boolean): Stage2Result {
  return {
    analysisId: 9,
    videoId: 3,
    classifiedVideoId: 4,
    createdAt: new Date(2026, 10, 27, 14, 5, 9).toISOString(),
    model: { id: 'slow-r50-asd', name: 'Slow R50 ASD', version: '1.2.0', sha256: sha, validated },
    researchOnly: !validated,
    provider: 'cpu',
    aggregation: 'mean',
    threshold: 0.5,
    videoScore: 0.7349,
    verdict: 'ASD',
    clips: [
      { index: 0, startSec: 0, endSec: 1, probabilityAsd: 0.7 },
      { index: 1, startSec: 1, endSec: 2, probabilityAsd: 0.7698 },
    ],
    appVersion: '0.1.0',
    preprocessing: {},
    seconds: 3.25,
  };
}

const researchLabel = 'Research only — not validated, not for clinical decisions';

describe('the verdict card', () => {
  it('shows score, call, aggregation, clips, bundle, provider, time and validation', () => {
    const { container } = render(VerdictCard, { result: result(true), installedModels: [bundle(true)] });
    const text = container.textContent!.replace(/\s+/g, ' ');
    expect(text).toContain('P(ASD) 0.73');
    expect(screen.getByText('ASD', { selector: '.call' })).toBeTruthy();
    expect(text).toContain('Called ASD when P(ASD) ≥ 0.50');
    expect(text).toContain('mean of 2 clips of the person-centred clip');
    expect(text).toContain('Slow R50 ASD 1.2.0 ab12cd34ef56');
    expect(text).toContain('Provider cpu');
    expect(text).toContain('27 Nov 2026 14:05');
    expect(text).toContain('Validated');
    expect(text).not.toContain(researchLabel);
    expect(screen.queryByText(/RESEARCH ONLY/)).toBeNull();
  });

  it('labels an unvalidated model research only, with the banner', () => {
    const { container } = render(VerdictCard, { result: result(false), installedModels: [bundle(false)] });
    expect(screen.getByText(researchLabel)).toBeTruthy();
    expect(screen.getByRole('note').textContent).toContain('RESEARCH ONLY — NOT VALIDATED');
    expect(container.querySelector('section')!.classList.contains('research')).toBe(true);
  });

  it('says when the result’s model has been removed or replaced since', () => {
    render(VerdictCard, { result: result(true), installedModels: [] });
    expect(screen.getByText('This model is no longer installed; the result keeps its id and hash.')).toBeTruthy();
    cleanup();
    render(VerdictCard, { result: result(true), installedModels: [bundle(true, { sha256: 'ff'.repeat(32) })] });
    expect(screen.getByText(/is a different file \(hash ffffffffffff\)/)).toBeTruthy();
  });

  it('with no model installed, says so and how to add one', () => {
    const { container } = render(VerdictCard, { result: null, installedModels: [] });
    expect(screen.getByText('No classification model installed.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Models page' }).getAttribute('href')).toBe('#/models');
    expect(container.textContent).toContain('walkscope models import <bundle>');
    expect(container.textContent).not.toContain('Stage 2 has not run');
  });

  it('with a model installed but no result, says stage 2 has not run', () => {
    const { container } = render(VerdictCard, { result: null, installedModels: [bundle(false)] });
    expect(screen.getByText('Stage 2 has not run on this video.')).toBeTruthy();
    expect(container.textContent).toContain('to score it with Slow R50 ASD');
    expect(container.textContent).not.toContain('No classification model installed');
    expect(screen.queryByText(researchLabel)).toBeNull();
  });
});
