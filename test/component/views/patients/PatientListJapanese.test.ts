import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import PatientList from '../../../../src-renderer/views/patients/PatientList.svelte';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import type { Router } from '../../../../src-renderer/lib/state/router.svelte.js';
import { diagnosisLabels, sexValues, viewValues } from '../../../../src-main/contract/entities.js';
import { setLanguage } from '../../../../src-renderer/lib/i18n.svelte.js';
import { diagnosisWord, sexWord, viewWord } from '../../../../src-renderer/views/patients/patientWords.js';

afterEach(() => {
  cleanup();
  setLanguage('en');
});

const patient = { id: 1, code: 'FAKE-7', name: null, sex: 'female', birthYear: 1950, diagnosis: 'control', notes: '', createdAt: '2026-12-01T00:00:00Z', updatedAt: '2026-12-01T00:00:00Z', videoCount: 2 };
const client = { call: vi.fn(async () => [patient]), on: () => () => {} } as unknown as WalkScopeClient;
const router = { go: vi.fn() } as unknown as Router;

describe('the patient list in Japanese', () => {
  it('names the columns, the coded fields and the new-patient form in Japanese', async () => {
    setLanguage('ja');
    const { container } = render(PatientList, { client, router });
    await screen.findByText('FAKE-7');
    expect([...container.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual(['コード', '氏名', '診断ラベル', '性別', '生年', '動画', '更新']);
    expect(screen.getByText('ASDなし（対照）')).toBeTruthy();
    expect(screen.getByText('女性')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: /新規患者/ }));
    expect(screen.getByRole('form', { name: '新規患者' })).toBeTruthy();
    expect(screen.getByText('患者コード')).toBeTruthy();
    expect([...container.querySelectorAll('select[name="diagnosis"] option')].map((o) => o.textContent)).toEqual(['ASD', 'DHS', 'LCS', '変形性股関節症', 'その他', 'ASDなし（対照）', '不明']);
    expect(container.textContent).not.toMatch(/patients\.|common\./);
  });

  it('has a word for every sex, diagnosis label and camera view in both languages', () => {
    for (const language of ['en', 'ja'] as const) {
      setLanguage(language);
      for (const word of [...sexValues.map(sexWord), ...diagnosisLabels.map(diagnosisWord), ...viewValues.map(viewWord)]) expect(word).not.toMatch(/^patients\./);
    }
    setLanguage('en');
    expect(diagnosisWord('control')).toBe('not ASD (control)');
  });
});
