import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import JobsPanel from '../../../../src-renderer/lib/components/JobsPanel.svelte';
import { dockFoldedKey as collapsedKey } from '../../../../src-renderer/lib/state/dockMemory.js';
import { JobsState } from '../../../../src-renderer/lib/state/jobs.svelte.js';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import type { Job } from '../../../../src-main/contract/entities.js';
import JobsView from '../../../../src-renderer/views/jobs/JobsView.svelte';
import { setLanguage } from '../../../../src-renderer/lib/i18n.svelte.js';

/** The jobs dock under every screen folds to one line, and stays folded on the next visit. */
function jobsState(): JobsState {
  const client = { call: async () => [], on: () => () => {} } as unknown as WalkScopeClient;
  return new JobsState(client);
}

afterEach(() => {
  cleanup();
  localStorage.clear();
  setLanguage('en');
});

describe('the jobs dock', () => {
  it('folds to its header line and opens again, remembering the choice', async () => {
    const first = render(JobsPanel, { jobs: jobsState(), collapsible: true });
    const fold = screen.getByRole('button', { name: 'Hide jobs' });
    expect(fold.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByText(/No jobs yet/)).toBeTruthy();
    await fireEvent.click(fold);
    expect(screen.queryByText(/No jobs yet/)).toBeNull();
    expect(screen.getByText('0 running or queued')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Show jobs' }).getAttribute('aria-expanded')).toBe('false');
    expect(localStorage.getItem(collapsedKey)).toBe('true');
    first.unmount();

    render(JobsPanel, { jobs: jobsState(), collapsible: true });
    expect(screen.queryByText(/No jobs yet/)).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Show jobs' }));
    expect(screen.getByText(/No jobs yet/)).toBeTruthy();
    expect(localStorage.getItem(collapsedKey)).toBe('false');
  });

  it('never folds where it is not the dock (the Jobs screen), whatever was remembered', () => {
    localStorage.setItem(collapsedKey, 'true');
    render(JobsPanel, { jobs: jobsState() });
    expect(screen.queryByRole('button', { name: /jobs$/ })).toBeNull();
    expect(screen.getByText(/No jobs yet/)).toBeTruthy();
  });
});

const job: Job = {
  id: 7,
  kind: 'stage2',
  status: 'queued',
  videoId: 3,
  progress: 0,
  message: 'Queued',
  messagePhrase: null,
  error: null,
  attempts: 0,
  runId: null,
  createdAt: '2026-12-02T09:00:00.000Z',
  startedAt: null,
  finishedAt: null,
  etaSec: null,
  subject: { fileName: 'corridor walk.mp4', patientCode: 'WS-0001' },
};

describe('the jobs dock and the Jobs screen in Japanese', () => {
  it('folds and opens with Japanese words, and says there are no jobs yet', async () => {
    setLanguage('ja');
    render(JobsPanel, { jobs: jobsState(), collapsible: true });
    const panel = screen.getByRole('region', { name: 'ジョブ' });
    expect(panel.querySelector('h2')?.textContent).toBe('ジョブ');
    expect(screen.getByText('ジョブはまだありません。動画を取り込むと全フレームの確認とサムネイル作成が始まり、その進捗がここに表示されます。')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'すべてのジョブ' }).getAttribute('href')).toBe('#/jobs');
    await fireEvent.click(screen.getByRole('button', { name: 'ジョブを隠す' }));
    expect(screen.getByText('実行中・待機中 0 件')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'ジョブを表示' })).toBeTruthy();
    expect(panel.textContent).not.toMatch(/jobs\.|common\./);
  });

  it('shows all jobs with Japanese column headings on the Jobs screen', () => {
    setLanguage('ja');
    const jobs = jobsState();
    jobs.apply(job);
    render(JobsView, { jobs });
    const panel = screen.getByRole('region', { name: 'ジョブ' });
    expect(panel.querySelector('h1')?.textContent).toBe('すべてのジョブ');
    expect(screen.queryByRole('link')).toBeNull();
    expect([...panel.querySelectorAll('th')].map((th) => th.textContent)).toEqual(['ジョブ', '内容', '状態', '進捗', '', '開始', '所要時間', '', '結果', '']);
    expect(screen.getByText('実行中・待機中 1 件')).toBeTruthy();
    expect(panel.querySelector('td.status')?.textContent).toBe('待機中');
    // "Queued" says nothing the status does not
    expect(panel.querySelector('td.message')?.textContent).toBe('');
    expect(panel.textContent).not.toMatch(/jobs\.|common\./);
  });

  it('keeps the English headings on the Jobs screen in English', () => {
    const jobs = jobsState();
    jobs.apply(job);
    render(JobsView, { jobs });
    const panel = screen.getByRole('region', { name: 'Jobs' });
    expect(panel.querySelector('h1')?.textContent).toBe('All jobs');
    expect([...panel.querySelectorAll('th')].map((th) => th.textContent)).toEqual(['Job', 'What', 'Status', 'Progress', '', 'Started', 'Took', '', 'Result', '']);
    expect(screen.getByText('1 running or queued')).toBeTruthy();
  });
});
