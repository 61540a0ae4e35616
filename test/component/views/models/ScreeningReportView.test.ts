import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import ScreeningReportView from '../../../../src-renderer/views/models/report/ScreeningReportView.svelte';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import type { ScreeningModel } from '../../../../src-main/contract/screening.js';
import { fakeFusion, fakeModel, fakeModelId } from '../../../helpers/screeningFixtures.js';
import { setLanguage } from '../../../../src-renderer/lib/i18n.svelte.js';

afterEach(() => {
  cleanup();
  setLanguage('en');
  vi.restoreAllMocks();
});

function fakeClient(model: ScreeningModel) {
  let current = model;
  const requests: { method: string; request: any }[] = [];
  const client = {
    call: vi.fn(async (method: string, request: any) => {
      requests.push({ method, request });
      switch (method) {
        case 'screening.get':
          return current;
        case 'screening.accept':
          current = { ...current, status: 'accepted', active: true, acceptedAt: '2026-12-01T11:00:00.000Z', acceptedBy: 'tester' };
          return current;
        case 'screening.report':
          return { fileName: `report.${request.format}`, mimeType: 'application/pdf', contentBase64: btoa('%PDF') };
        default:
          throw new Error(`unexpected ${method}`);
      }
    }),
    on: () => () => {},
  } as unknown as WalkScopeClient;
  return { client, requests };
}

const cells = (row: HTMLElement) => within(row).getAllByRole('cell').map((c) => c.textContent!.trim());

describe('the report of a screening model', () => {
  it('shows the header, what it was trained on and the patient-level headline metrics with their intervals', async () => {
    const { client, requests } = fakeClient(fakeModel());
    render(ScreeningReportView, { client, modelId: fakeModelId });
    const table = await screen.findByRole('table', { name: 'Patient-level metrics' });
    expect(requests[0]).toEqual({ method: 'screening.get', request: { id: fakeModelId } });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[0]!.textContent)).toEqual(['Balanced accuracy', 'Accuracy', 'Sensitivity', 'Specificity', 'F1', 'AUROC', 'Brier score']);
    expect(cells(rows[0]!).slice(1, 3)).toEqual(['0.725', '0.580–0.860']);
    expect(cells(rows[5]!).slice(1, 3)).toEqual(['0.781', '0.630–0.930']);
    const card = screen.getByRole('banner', { name: 'Model card' });
    const text = card.textContent!.replace(/\s+/g, ' ');
    expect(text).toContain('Made-up posture model');
    expect(text).toContain('trained');
    expect(text).toContain('WalkScope 0.1.0-test');
    expect(text).toContain(`c0ffee12${'0'.repeat(56)}`);
    expect(within(card).getByText(/RESEARCH ONLY/)).toBeTruthy();
    expect(within(card).queryByText('not shown to beat chance')).toBeNull();
    expect(within(card).queryByRole('note', { name: 'Not shown to beat chance' })).toBeNull();
    const trained = screen.getByRole('region', { name: 'What it was trained on' }).textContent!.replace(/\s+/g, ' ');
    expect(trained).toContain('40 patients: 20 ASD, 20 not ASD (ASD 20, DHS 8, LCS 7, HipOA 5)');
    expect(trained).toContain('5 folds × 2 repeats');
    expect(trained).toContain('seed 2023; inner folds 3');
    expect(trained).toContain('chosen on all patients: C = 1');
  });

  it('labels a model whose interval includes 0.5 "not shown to beat chance"', async () => {
    const { client } = fakeClient(fakeModel({ beatsChance: false }));
    render(ScreeningReportView, { client, modelId: fakeModelId });
    const card = await screen.findByRole('banner', { name: 'Model card' });
    expect(within(card).getByText('not shown to beat chance')).toBeTruthy();
    expect(within(card).getByRole('note', { name: 'Not shown to beat chance' }).textContent).toContain('the patient-level balanced accuracy’s 95% interval includes 0.5');
  });

  it('draws the ROC curve and the reliability diagram with the bins’ sizes', async () => {
    const { client } = fakeClient(fakeModel());
    render(ScreeningReportView, { client, modelId: fakeModelId });
    const roc = await screen.findByRole('img', { name: 'ROC curve, patient level (AUROC 0.781)' });
    expect(roc.querySelector('polyline.curve')!.getAttribute('points')!.split(' ')).toHaveLength(5);
    const calibration = screen.getByRole('img', { name: /^Calibration, patient level/ });
    expect(calibration.querySelectorAll('circle.bin')).toHaveLength(3);
    expect(calibration.querySelector('line.diagonal')).not.toBeNull();
    expect([...calibration.querySelectorAll('text.n')].map((t) => t.textContent)).toEqual(['6', '12', '9']);
  });

  it('gives the per-repeat and per-fold tables a mean ± SD row, and the segment level its warning', async () => {
    const { client } = fakeClient(fakeModel());
    render(ScreeningReportView, { client, modelId: fakeModelId });
    const repeats = await screen.findByRole('table', { name: 'Per repeat' });
    const foot = within(repeats).getAllByRole('row').at(-1)!;
    expect(foot.textContent).toContain('Mean ± SD');
    expect(cells(foot)[0]).toBe('0.720 ± 0.040');
    const folds = screen.getByRole('table', { name: 'Per fold' });
    expect(within(folds).getAllByRole('row')).toHaveLength(4);
    expect(within(folds).getAllByRole('row')[2]!.textContent).toContain('—');
    const segments = screen.getByRole('region', { name: 'Segment level — overstates confidence; the patient is the unit' });
    expect(within(segments).getByRole('table', { name: 'Segment-level metrics (secondary)' })).toBeTruthy();
  });

  it('shows the norms and coefficients, and the fusion section when the model was fused', async () => {
    const { client } = fakeClient(fakeModel({ fusion: fakeFusion() }));
    render(ScreeningReportView, { client, modelId: fakeModelId });
    const norms = await screen.findByRole('table', { name: 'Norms and coefficients' });
    expect(cells(within(norms).getAllByRole('row')[1]!)).toEqual(['Trunk lean', '6.0 deg ± 3.0 deg', '20', '8.000', '4.000', '0.900']);
    const methods = screen.getByRole('table', { name: 'Fusion methods' });
    expect(within(methods).getAllByRole('row').slice(1).map((r) => cells(r)[0])).toEqual(['Measurement model alone', '3D CNN alone', 'Fixed weight 0.5', 'Global weight (nested)', 'Evidence gate (nested)']);
    const comparison = within(screen.getByRole('table', { name: 'Fusion comparisons' })).getAllByRole('row')[1]!;
    expect(cells(comparison)).toEqual(['Evidence gate (nested) vs 3D CNN alone', '5', '2', '0.453', '0.040 (0.030)', '0.183']);
    expect(within(screen.getByRole('table', { name: 'Fusion weights per fold' })).getAllByRole('row')).toHaveLength(3);
  });

  it('leaves the fusion section out for a model that was not fused', async () => {
    const { client } = fakeClient(fakeModel());
    render(ScreeningReportView, { client, modelId: fakeModelId });
    await screen.findByRole('table', { name: 'Norms and coefficients' });
    expect(screen.queryByRole('region', { name: 'Fusion with a 3D CNN' })).toBeNull();
  });

  it('accepts the model after the confirm, and downloads the report', async () => {
    const { client, requests } = fakeClient(fakeModel());
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    (URL as any).createObjectURL = () => 'blob:report';
    (URL as any).revokeObjectURL = () => {};
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    render(ScreeningReportView, { client, modelId: fakeModelId });
    await fireEvent.click(await screen.findByRole('button', { name: 'Accept' }));
    await screen.findByText('accepted (active)');
    expect(screen.queryByRole('button', { name: 'Accept' })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Report PDF' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(requests.find((r) => r.method === 'screening.report')?.request).toEqual({ id: fakeModelId, format: 'pdf' });
  });
});

describe('the report of a screening model in Japanese', () => {
  it('draws its headings, tables and sentences from the Japanese catalogue, with the same numbers', async () => {
    setLanguage('ja');
    const { client } = fakeClient(fakeModel({ fusion: fakeFusion() }));
    render(ScreeningReportView, { client, modelId: fakeModelId });
    const table = await screen.findByRole('table', { name: '患者単位の指標' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[0]!.textContent)).toEqual(['バランス正解率', '正解率', '感度', '特異度', 'F1', 'AUROC', 'Brierスコア']);
    expect(cells(rows[0]!)).toEqual(['バランス正解率', '0.725', '0.580–0.860', '層化ブートストラップ']);
    const card = screen.getByRole('banner', { name: 'モデルカード' });
    expect(within(card).getByText('学習済み')).toBeTruthy();
    expect(within(card).getByRole('button', { name: '承認' })).toBeTruthy();
    expect(within(card).getByRole('button', { name: 'レポート（PDF）' })).toBeTruthy();
    const trained = screen.getByRole('region', { name: '学習データ' }).textContent!.replace(/\s+/g, ' ');
    expect(trained).toContain('40名：ASDあり 20名、ASDなし 20名（ASD 20、DHS 8、LCS 7、変形性股関節症 5）');
    expect(trained).toContain('5分割 × 2回反復（患者単位で層化）、シード 2023、内側分割 3、クラス重み 均衡化');
    expect(screen.getByRole('region', { name: '患者単位：主要結果' })).toBeTruthy();
    expect(screen.getByRole('img', { name: 'ROC曲線、患者単位（AUROC 0.781）' })).toBeTruthy();
    expect(within(screen.getByRole('table', { name: '反復ごと' })).getAllByRole('row').at(-1)!.textContent).toContain('平均 ± SD');
    expect(screen.getByRole('region', { name: '区間単位 — 信頼度を過大に示します。評価の単位は患者です' })).toBeTruthy();
    const norms = screen.getByRole('table', { name: '基準値と係数' });
    expect(cells(within(norms).getAllByRole('row')[1]!)).toEqual(['体幹前傾角', '6.0° ± 3.0°', '20', '8.000', '4.000', '0.900']);
    const methods = screen.getByRole('table', { name: '融合手法' });
    expect(within(methods).getAllByRole('row').slice(1).map((r) => cells(r)[0])).toEqual(['計測値モデルのみ', '3D CNNのみ', '固定重み 0.5', '全体重み（入れ子）', 'エビデンスゲート（入れ子）']);
    expect(cells(within(screen.getByRole('table', { name: '融合手法の比較' })).getAllByRole('row')[1]!)[0]).toBe('エビデンスゲート（入れ子） 対 3D CNNのみ');
    expect(screen.getByRole('region', { name: '3D CNNとの融合' })).toBeTruthy();
    expect(screen.queryByText('Patient level: the headline')).toBeNull();
  });

  it('says in Japanese why a model is labelled not shown to beat chance', async () => {
    setLanguage('ja');
    const { client } = fakeClient(fakeModel({ beatsChance: false }));
    render(ScreeningReportView, { client, modelId: fakeModelId });
    const card = await screen.findByRole('banner', { name: 'モデルカード' });
    expect(within(card).getByRole('note', { name: '偶然レベルを上回ることは未確認' }).textContent).toContain('患者単位のバランス正解率の95%信頼区間が0.5を含むため');
  });
});
