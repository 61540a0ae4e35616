import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/svelte';
import PatientOverview from '../../../../src-renderer/views/patients/PatientOverview.svelte';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import type { Assessment, Video } from '../../../../src-main/contract/entities.js';
import type { KeyFrameFigure, MeasureSummary } from '../../../../src-main/contract/measurements.js';
import { setLanguage } from '../../../../src-renderer/lib/i18n.svelte.js';
import { original } from '../../../helpers/reviewFixtures.js';

afterEach(() => {
  cleanup();
  setLanguage('en');
});

// Made-up numbers for the layout: not measurements of anyone.
const march: Video = { ...original, id: 3, originalName: 'march.mp4', recordedOn: '2026-03-05' };
const september: Video = { ...original, id: 4, originalName: 'september.mp4', recordedOn: '2026-09-01' };
const summary = (trunkLean: number, cadence?: number): MeasureSummary => ({
  measures: { trunkLean: { mean: trunkLean, sd: 1, segments: 4 }, shoulderHipOffset: { mean: 0.125, sd: 0.01, segments: 4 } },
  sagittalSegments: 4,
  segments: 5,
  notes: cadence === undefined ? [] : [],
});
const lead: KeyFrameFigure = {
  videoId: 4,
  videoName: 'september.mp4',
  recordedOn: '2026-09-01',
  figure: {
    frame: 89,
    seconds: 89 / 30,
    width: 1280,
    height: 720,
    stillDataUrl: 'data:image/jpeg;base64,AAAA',
    region: { x: 400, y: 100, width: 300, height: 400 },
    vertical: { a: { x: 550, y: 400 }, b: { x: 550, y: 140 } },
    segments: [{ part: 'trunk', a: { x: 550, y: 400 }, b: { x: 570, y: 200 } }, { part: 'left', a: { x: 545, y: 400 }, b: { x: 548, y: 470 } }],
    values: { trunkLean: 8.25, headForward: 21.5 },
  },
};
const assessment = (id: number, videoId: number, readerName: string, call: Assessment['call'], createdAt: string, supersededById: number | null = null): Assessment => ({ id, videoId, readerCode: readerName.toUpperCase(), readerName, call, confidence: 80, comment: id === 2 ? 'stoops from the hips' : '', supersedesId: null, supersededById, createdAt });

function client(overrides: Partial<Record<string, unknown>> = {}): WalkScopeClient {
  const replies: Record<string, (request: any) => unknown> = {
    'measurements.keyFrame': () => ('keyFrame' in overrides ? overrides.keyFrame : lead),
    'measurements.patient': () => ({ summary: null, videos: [{ videoId: 3, name: 'march.mp4', measurements: { summary: summary(12.5) } }, { videoId: 4, name: 'september.mp4', measurements: { summary: summary(8) } }] }),
    'assessments.list': (request: { videoId: number }) =>
      request.videoId === 3 ? [assessment(1, 3, 'Dr Sato', 'ASD', '2026-03-06T09:00:00Z', 2), assessment(2, 3, 'Dr Sato', 'non-ASD', '2026-03-07T09:00:00Z')] : [assessment(3, 4, 'Dr Ito', 'ASD', '2026-09-02T09:00:00Z')],
  };
  return { call: vi.fn(async (method: string, request: unknown) => replies[method]!(request)), on: () => () => {} } as unknown as WalkScopeClient;
}

describe('the patient page’s summary', () => {
  it('leads with the latest visit’s key frame and its lines, the measures per visit and the doctors’ current assessments', async () => {
    const { container } = render(PatientOverview, { client: client(), code: 'FAKE-1', videos: [march, september] });
    const figure = await screen.findByRole('img', { name: 'Key frame of september.mp4, faces blurred, with the lines the angles are measured on' });
    expect(figure.getAttribute('viewBox')).toBe('400 100 300 400');
    expect(figure.querySelectorAll('line')).toHaveLength(3);
    expect(figure.querySelector('image')?.getAttribute('href')).toBe('data:image/jpeg;base64,AAAA');
    expect(screen.getByText('Latest visit: 1 Sep 2026')).toBeTruthy();
    expect(screen.getByText('september.mp4 · frame 90 (2.97 s) · faces blurred')).toBeTruthy();
    const atFrame = screen.getByLabelText('On this frame');
    expect(atFrame.textContent).toBe('Trunk lean8.3°Head-forward posture21.5°');
    const table = container.querySelector('.per-visit table')!;
    expect([...table.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual(['Measure', '5 Mar 2026', '1 Sep 2026']);
    const row = within(table as HTMLElement).getByRole('row', { name: /Trunk lean/ });
    expect([...row.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['12.5°', '8.0°']);
    const offset = within(table as HTMLElement).getByRole('row', { name: /Shoulder-hip offset/ });
    expect([...offset.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['0.13 trunk lengths', '0.13 trunk lengths']);
    // the amended assessment stays in the history: only the current ones, newest first
    const items = [...container.querySelectorAll('.assessments li')].map((li) => li.querySelector('span')!.textContent);
    expect(items).toEqual(['Dr Ito: ASD, 80% sure', 'Dr Sato: not ASD, 80% sure']);
    expect(container.textContent).toContain('stoops from the hips');
  });

  it('says how many measured videos have no recording date (they have no column)', async () => {
    const undated: Video = { ...original, id: 5, originalName: 'undated.mp4', recordedOn: null };
    const measured = client();
    const call = measured.call as ReturnType<typeof vi.fn>;
    const base = call.getMockImplementation()!;
    call.mockImplementation(async (method: string, request: unknown) =>
      method === 'measurements.patient' ? { summary: null, videos: [{ videoId: 4, name: 'september.mp4', measurements: { summary: summary(8) } }, { videoId: 5, name: 'undated.mp4', measurements: { summary: summary(9) } }] } : method === 'assessments.list' ? [] : base(method, request),
    );
    render(PatientOverview, { client: measured, code: 'FAKE-1', videos: [september, undated] });
    await screen.findByText('1 measured video has no recording date and is not in this table.');
  });

  it('says what is missing when nothing is measured or assessed yet', async () => {
    render(PatientOverview, { client: { call: vi.fn(async (method: string) => (method === 'measurements.patient' ? { summary: null, videos: [] } : method === 'assessments.list' ? [] : null)), on: () => () => {} } as unknown as WalkScopeClient, code: 'FAKE-1', videos: [march] });
    await screen.findByText('No measured frame seen from the side yet: analyse a video filmed from the side.');
    expect(screen.getByText('No video of this patient has been measured yet.')).toBeTruthy();
    expect(screen.getByText(/No doctor has assessed this patient’s videos yet/)).toBeTruthy();
  });

  it('in Japanese: dates, headings and measure names from the Japanese catalogue, no raw keys', async () => {
    setLanguage('ja');
    const { container } = render(PatientOverview, { client: client(), code: 'FAKE-1', videos: [march, september] });
    await screen.findByText('最新の受診：2026/09/01');
    expect(screen.getByText('受診ごとの計測値')).toBeTruthy();
    expect(screen.getByText('医師の評価')).toBeTruthy();
    expect(container.textContent).toContain('Dr Ito：ASD（確信度 80%）');
    expect(container.textContent).toContain('体幹前傾角');
    expect(container.textContent).not.toMatch(/patients\.|measures\./);
  });
});
