import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/svelte';
import ExplanationCard from '../../../../src-renderer/views/patients/ExplanationCard.svelte';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import { fakeExplanation } from '../../../helpers/screeningFixtures.js';

afterEach(cleanup);

function fakeClient(reply: (request: any) => unknown) {
  const requests: any[] = [];
  const client = {
    call: vi.fn(async (method: string, request: any) => {
      if (method !== 'screening.explain') throw new Error(`unexpected ${method}`);
      requests.push(request);
      return reply(request);
    }),
    on: () => () => {},
  } as unknown as WalkScopeClient;
  return { client, requests };
}

const text = (el: Element) => el.textContent!.replace(/\s+/g, ' ');

describe('the explanation card of a patient', () => {
  it('shows the probability, the call, the labels, a bar and a sentence per measure', async () => {
    const { client, requests } = fakeClient(() => ({ explanation: fakeExplanation({ beatsChance: false }), reason: null, missing: null }));
    render(ExplanationCard, { client, code: 'FAKE-001' });
    const measures = await screen.findByRole('list', { name: 'Measures against the norms' });
    expect(requests).toEqual([{ code: 'FAKE-001' }]);
    const card = screen.getByRole('region', { name: 'Screening by posture measures' });
    expect(text(card)).toContain('P(ASD) 0.82');
    expect(within(card).getByText('ASD', { selector: '.call' })).toBeTruthy();
    const labels = within(card).getByRole('list', { name: 'Labels' });
    expect(within(labels).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['research only', 'not shown to beat chance']);

    const items = within(measures).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(within(items[0]!).getByText('Trunk lean 14.0 deg, norm 6.0 ± 3.0 deg: +2.7 SD')).toBeTruthy();
    expect(text(items[0]!)).toContain('z +2.67');
    // positive toward ASD, negative toward not ASD; the bar's length follows the contribution
    const up = within(items[0]!).getByRole('img', { name: 'Trunk lean: +1.50 to the logit, toward ASD' });
    const down = within(items[1]!).getByRole('img', { name: 'Hip range of motion: −0.30 to the logit, toward not ASD' });
    const barOf = (svg: Element) => svg.querySelectorAll('rect')[1]!;
    expect(Number(barOf(up).getAttribute('x'))).toBeGreaterThanOrEqual(71);
    expect(Number(barOf(down).getAttribute('x')) + Number(barOf(down).getAttribute('width'))).toBeCloseTo(71, 6);
    expect(Number(barOf(up).getAttribute('width'))).toBeCloseTo(70, 6);
    expect(Number(barOf(down).getAttribute('width'))).toBeCloseTo(14, 6);
  });

  it('says the fused probability and the gate state in words', async () => {
    const { client } = fakeClient(() => ({ explanation: fakeExplanation({ fused: true }), reason: null, missing: null }));
    render(ExplanationCard, { client, code: 'FAKE-001' });
    const fused = await screen.findByLabelText('Fused with the 3D CNN');
    expect(text(fused)).toContain('P(ASD) 0.78 → ASD');
    expect(text(fused)).toContain('3D CNN alone 0.64');
    expect(text(fused)).toContain('The evidence gate is open: the patient’s measures are far from the norms, so the measurement model weighs 0.75 and the 3D CNN 0.25.');
  });

  it('says in one sentence why there is no verdict, and where models are trained', async () => {
    const { client } = fakeClient(() => ({ explanation: null, reason: 'No screening model has been accepted yet.', missing: 'model' }));
    render(ExplanationCard, { client, code: 'FAKE-002' });
    // the screen's own sentence, in the reader's language
    await screen.findByText('No screening model has been accepted yet: train one from your patients on the Models screen, or import one.');
    expect(screen.getByRole('link', { name: 'Models › Train from patients' }).getAttribute('href')).toBe('#/models');
    expect(screen.queryByRole('list', { name: 'Measures against the norms' })).toBeNull();
  });

  it('points to training only when the missing piece is a model, not when the patient lacks measurements', async () => {
    const reason = 'FAKE-003 has no measured video yet: analyse the patient’s videos first.';
    const { client } = fakeClient(() => ({ explanation: null, reason, missing: 'measurements' }));
    render(ExplanationCard, { client, code: 'FAKE-003' });
    await screen.findByText(reason);
    expect(screen.queryByRole('link', { name: 'Models › Train from patients' })).toBeNull();
  });

  it('shows a failed call as an error', async () => {
    const { client } = fakeClient(() => {
      throw new Error('WalkScope is not reachable.');
    });
    render(ExplanationCard, { client, code: 'FAKE-002' });
    expect((await screen.findByRole('alert')).textContent).toContain('The screening verdict could not be loaded: WalkScope is not reachable.');
  });
});
