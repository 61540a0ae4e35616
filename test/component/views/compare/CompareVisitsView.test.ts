import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import CompareVisitsView from '../../../../src-renderer/views/compare/CompareVisitsView.svelte';
import { defaultPair } from '../../../../src-renderer/views/compare/compareVisits.svelte.js';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import type { Video } from '../../../../src-main/contract/entities.js';
import type { VideoMeasurements } from '../../../../src-main/contract/measurements.js';
import { setLanguage } from '../../../../src-renderer/lib/i18n.svelte.js';
import { original } from '../../../helpers/reviewFixtures.js';
import { measurements } from '../../../helpers/measurementFixtures.js';

afterEach(() => {
  cleanup();
  setLanguage('en');
});

/** Two visits of one made-up patient; the second video's measures are the fixture's, shifted (SYNTHETIC). */
const march: Video = { ...original, id: 3, originalName: 'march.mp4', recordedOn: '2026-03-05' };
const sept: Video = { ...original, id: 4, sha256: 'b'.repeat(64), originalName: 'september.mp4', recordedOn: '2026-09-01' };
const clip: Video = { ...original, id: 9, kind: 'person-centred', sourceVideoId: 4, originalName: 'september (person-centred).mp4', recordedOn: '2026-09-01' };
const shifted = (m: VideoMeasurements, by: number, cadence: number): VideoMeasurements => ({
  ...m,
  videoId: 4,
  summary: { ...m.summary, measures: Object.fromEntries(Object.entries(m.summary.measures).map(([k, v]) => [k, { ...v!, mean: v!.mean + by }])) },
  gait: { ...m.gait, cadence, footContacts: m.gait.footContacts.map((c) => ({ ...c, frame: c.frame + 30 })) },
});

function fakeClient(videos: Video[]) {
  const later = shifted(measurements, -4, 110);
  const client = {
    call: vi.fn(async (method: string) => {
      if (method === 'patients.get') return { patient: { code: 'WS-0001' }, videos };
      if (method === 'measurements.patient') return { summary: null, videos: videos.filter((v) => v.kind === 'original').map((v) => ({ videoId: v.id, name: v.originalName, measurements: v.id === 3 ? measurements : v.id === 4 ? later : null })) };
      if (method === 'measurements.get') return null;
      throw new Error(`unexpected ${method}`);
    }),
    videoUrl: (id: number) => `media/${id}.mp4`,
  };
  return client as unknown as WalkScopeClient & { call: typeof client.call };
}

describe('comparing two visits', () => {
  it('picks the two newest visits by default, older first', () => {
    expect(defaultPair([march, sept, clip])).toEqual([3, 4]);
    expect(defaultPair([march])).toBeNull();
    expect(defaultPair([{ ...march, recordedOn: null }, { ...sept, recordedOn: null }])).toEqual([3, 4]);
  });

  it('shows both players named by visit, the measures with their difference, and the trend', async () => {
    render(CompareVisitsView, { client: fakeClient([march, sept, clip]), code: 'WS-0001', a: null, b: null, onPair: () => {} });
    await screen.findByRole('heading', { name: 'Compare visits · patient WS-0001' });
    expect(await screen.findByLabelText('Earlier video: march.mp4, recorded 5 Mar 2026')).toBeTruthy();
    expect(screen.getByLabelText('Later video: september.mp4, recorded 1 Sep 2026')).toBeTruthy();
    const table = screen.getByRole('table');
    const trunk = within(table).getByRole('row', { name: /Trunk lean/ });
    const a = measurements.summary.measures.trunkLean!.mean;
    expect(trunk.textContent).toContain(`${a.toFixed(1)}°`);
    expect(trunk.textContent).toContain(`${(a - 4).toFixed(1)}°`);
    expect(trunk.textContent).toContain('−4.0°');
    expect(within(table).getByRole('row', { name: /Cadence/ }).textContent).toContain('110.0 steps/min');
    // lined up at the starts until a foot contact is chosen
    expect(screen.getByText(/The later video runs 0.00 s ahead/)).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Trunk lean over 2 visits, from 5 Mar 2026 to 1 Sep 2026' })).toBeTruthy();
  });

  it('lines up at the first left foot contact', async () => {
    // the later video's first contacts are 30 frames (1 s) later than the earlier one's
    render(CompareVisitsView, { client: fakeClient([march, sept]), code: 'WS-0001', a: 3, b: 4, onPair: () => {} });
    const select = await screen.findByLabelText('Line up at');
    await fireEvent.change(select, { target: { value: 'firstLeft' } });
    await screen.findByText(/The later video runs 1.00 s ahead/);
  });

  it('says what is needed when the patient has one video', async () => {
    render(CompareVisitsView, { client: fakeClient([march]), code: 'WS-0001', a: null, b: null, onPair: () => {} });
    await screen.findByText('Comparing needs two videos of this patient. Import a video of another visit first.');
  });

  it('speaks Japanese', async () => {
    setLanguage('ja');
    render(CompareVisitsView, { client: fakeClient([march, sept]), code: 'WS-0001', a: null, b: null, onPair: () => {} });
    await screen.findByRole('heading', { name: '受診の比較 · 患者 WS-0001' });
    await waitFor(() => expect(screen.getByRole('row', { name: /体幹前傾角/ })).toBeTruthy());
    expect(screen.getByText('2026/03/05 の受診', { exact: false })).toBeTruthy();
    expect(screen.getByRole('button', { name: '両方を再生' })).toBeTruthy();
  });
});
