import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cleanup, render } from '@testing-library/svelte';
import MrmcSummary from '../../../../src-renderer/views/studies/MrmcSummary.svelte';
import { parseLongFormatCsv } from '../../../../src-main/domain/stats/longFormatCsv.js';
import { mrmcAnalysis } from '../../../../src-main/domain/stats/mrmc.js';

afterEach(() => cleanup());

// the Van Dyke reader study (published MRMC results in ../shared/reference/mrmc), its modalities renamed
const vanDyke = parseLongFormatCsv(readFileSync(resolve(import.meta.dirname, '../../../fixtures/stats/vandyke.csv'), 'utf8')).map((r) => ({ ...r, modality: r.modality === '0' ? 'unaided' : 'aided' }));

describe('the primary endpoint on the study screen', () => {
  it("states the OR-MRMC difference with its CI, F, df and p, and each modality's reader-averaged AUROC", () => {
    const result = mrmcAnalysis(vanDyke);
    const { getByRole } = render(MrmcSummary, { mrmc: { readerModalities: result, versusModel: null, model: null, units: 114, notes: [] } });
    const text = getByRole('region', { name: 'MRMC analysis' }).textContent!.replace(/\s+/g, ' ');
    expect(text).toContain('Primary endpoint · OR-MRMC on 114 patients');
    // published: difference -0.04380, CI (-0.08796, 0.00036), F = 4.46 on (1, 15.26), p = 0.0517
    expect(text).toContain('unaided − aided: −0.044 (95% CI −0.088 to 0.000), t on 15.3 df, p = 0.052; F = 4.46 on (1, 15.26) df');
    expect(text).toContain('unaided: reader-averaged AUROC 0.897 (95% CI 0.825 to 0.969)');
    expect(text).toContain('aided: reader-averaged AUROC 0.941 (95% CI 0.894 to 0.988)');
    expect(text).toContain('Fixed readers: unaided − aided: −0.044 (95% CI −0.080 to −0.007), normal, p = 0.019');
  });

  it('says why it is not computed', () => {
    const { getByRole } = render(MrmcSummary, { mrmc: { readerModalities: null, versusModel: null, model: null, units: 3, notes: ['The study has one reading modality.'] } });
    expect(getByRole('region', { name: 'MRMC analysis' }).textContent).toContain('Not computed yet: The study has one reading modality.');
  });
});
