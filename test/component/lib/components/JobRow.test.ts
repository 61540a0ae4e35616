import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/svelte';
import JobRow from '../../../../src-renderer/lib/components/JobRow.svelte';
import type { Job } from '../../../../src-main/contract/entities.js';
import { formatDuration, formatElapsed } from '../../../../src-renderer/lib/format.js';
import { setLanguage } from '../../../../src-renderer/lib/i18n.svelte.js';

/** A job row says what a clinician knows the job by, never "Done … Done", and a done bar is full. */
const base: Job = {
  id: 12,
  kind: 'stage1',
  status: 'done',
  videoId: 3,
  progress: 0.2,
  message: 'Done',
  messagePhrase: null,
  error: null,
  attempts: 1,
  runId: null,
  createdAt: '2026-12-02T09:00:00.000Z',
  startedAt: '2026-12-02T09:00:05.000Z',
  finishedAt: '2026-12-02T09:03:10.000Z',
  etaSec: null,
  subject: { fileName: 'corridor walk.mp4', patientCode: 'WS-0001' },
};

function row(job: Job, detailed = false) {
  const table = document.createElement('table');
  const body = document.createElement('tbody');
  table.append(body);
  document.body.append(table);
  return render(JobRow, { target: body, props: { job, onCancel: () => {}, detailed } });
}

afterEach(() => {
  cleanup();
  document.body.innerHTML = '';
  setLanguage('en');
});

describe('a job row', () => {
  it('is named by file and patient, with the video id in a tooltip', () => {
    row(base);
    const name = screen.getByTitle('Video 3');
    expect(name.textContent?.replace(/\s+/g, ' ').trim()).toBe('· corridor walk.mp4 · patient WS-0001');
    expect(screen.queryByText(/video 3/)).toBeNull();
  });

  it('names the machine of a job a Redis worker ran, with the whole worker id in a tooltip, in either language', () => {
    row({ ...base, worker: 'ward-pc-3/4121/a9f00c' });
    const worker = screen.getByTitle('Ran by worker ward-pc-3/4121/a9f00c (host/process/id) from the Redis queue');
    expect(worker.textContent?.replace(/\s+/g, ' ').trim()).toBe('· on ward-pc-3');
    cleanup();
    setLanguage('ja');
    row({ ...base, worker: 'ward-pc-3/4121/a9f00c' });
    expect(screen.getByText(/ward-pc-3 で実行/)).toBeTruthy();
    cleanup();
    setLanguage('en');
    row(base);
    expect(screen.queryByText(/^· on /)).toBeNull();
  });

  it('says "done" once and fills the bar of a finished job, whatever the last progress said', () => {
    row(base);
    expect(screen.getAllByText(/^done$/i)).toHaveLength(1);
    expect(screen.getByText('100%')).toBeTruthy();
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
  });

  it('keeps a message that says more, and an error', () => {
    row({ ...base, status: 'running', progress: 0.4, message: 'Detecting people: 120 of 300 frames', finishedAt: null });
    expect(screen.getByText('Detecting people: 120 of 300 frames')).toBeTruthy();
    cleanup();
    row({ ...base, status: 'failed', error: { code: 'NO_PERSON_FOUND', message: 'No person was found in the video.' } });
    expect(screen.getByText('No person was found in the video.')).toBeTruthy();
  });

  it('shows a progress phrase in English word for word as its message', () => {
    row({ ...base, status: 'running', progress: 0.5, finishedAt: null, message: 'Classified 3 of 8 clips', messagePhrase: { key: 'jobs.progress.classified', vars: { done: 3, total: 8 } } });
    expect(document.querySelector('td.message')?.textContent).toBe('Classified 3 of 8 clips');
  });

  it('falls back to the video id without a subject, and shows start and duration on the Jobs screen', () => {
    const { subject: _s, ...noSubject } = base;
    row(noSubject, true);
    expect(screen.getByText(/· video 3/)).toBeTruthy();
    expect(screen.getByText('3 min 05 s')).toBeTruthy();
  });
});

describe('formatElapsed', () => {
  it('reads as a person would say it', () => {
    expect([0.42, 9.96, 12.4, 185, 3725, -1].map(formatElapsed)).toEqual(['0.4 s', '10 s', '12 s', '3 min 05 s', '1 h 02 min', '—']);
  });
});

describe('a job row in Japanese', () => {
  it('names the job, its subject and its state in Japanese, with no raw key', () => {
    setLanguage('ja');
    row(base, true);
    const job = document.querySelector('tr.job')!;
    const what = job.querySelectorAll('td')[1]!;
    expect(what.textContent?.replace(/\s+/g, ' ').trim()).toBe('ステージ1：人物中心クリップ · corridor walk.mp4 · 患者 WS-0001');
    expect(screen.getByTitle('動画 3')).toBeTruthy();
    expect(job.querySelector('td.status')?.textContent).toBe('完了');
    // "Done" says nothing the status does not
    expect(job.querySelector('td.message')?.textContent).toBe('');
    expect(screen.getByRole('progressbar', { name: 'ジョブ 12 の進捗' }).getAttribute('aria-valuenow')).toBe('100');
    expect(screen.getByText('3 分 05 秒')).toBeTruthy();
    expect(job.textContent).not.toMatch(/jobs\.|common\./);
  });

  it('offers to cancel a running job, with its time left, and falls back to the video id', () => {
    setLanguage('ja');
    const { subject: _s, ...noSubject } = base;
    row({ ...noSubject, kind: 'measure', status: 'running', progress: 0.4, finishedAt: null, etaSec: 90 }, true);
    const job = document.querySelector('tr.job')!;
    expect(job.querySelectorAll('td')[1]!.textContent?.replace(/\s+/g, ' ').trim()).toBe('姿勢・歩行の計測 · 動画 3');
    expect(job.querySelector('td.status')?.textContent).toBe('実行中');
    expect(screen.getByText('残り 2 分')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'ジョブ 12 をキャンセル' }).textContent).toBe('キャンセル');
    expect([...job.querySelectorAll('td')].map((td) => td.textContent)).toContain('実行中');
    expect(job.textContent).not.toMatch(/jobs\.|common\./);
  });

  it('shows the progress phrase of a running job as a Japanese sentence', () => {
    setLanguage('ja');
    row({ ...base, status: 'running', progress: 0.4, finishedAt: null, message: 'Finding people: frame 120 of 300', messagePhrase: { key: 'jobs.progress.findingPeople', vars: { done: 120, total: 300 } } });
    expect(document.querySelector('td.message')?.textContent).toBe('人物を検出しています：300 フレーム中 120 フレーム目');
  });

  it('shows an old job that has only its English message as it is, and so a phrase this catalogue does not hold', () => {
    setLanguage('ja');
    row({ ...base, status: 'running', progress: 0.4, finishedAt: null, message: 'Keypoints: frame 7 of 90', messagePhrase: null });
    expect(document.querySelector('td.message')?.textContent).toBe('Keypoints: frame 7 of 90');
    cleanup();
    const { messagePhrase: _p, ...withoutPhrase } = base;
    row({ ...withoutPhrase, status: 'running', finishedAt: null, message: 'Measuring posture and gait' } as Job);
    expect(document.querySelector('td.message')?.textContent).toBe('Measuring posture and gait');
    cleanup();
    row({ ...base, status: 'running', finishedAt: null, message: 'Doing something new', messagePhrase: { key: 'jobs.progress.somethingNew' } });
    expect(document.querySelector('td.message')?.textContent).toBe('Doing something new');
  });

  it('still hides a phrase that only repeats the status', () => {
    setLanguage('ja');
    row({ ...base, status: 'cancelled', message: 'Cancelled', messagePhrase: { key: 'jobs.progress.cancelled' } });
    expect(document.querySelector('td.status')?.textContent).toBe('キャンセル済み');
    expect(document.querySelector('td.message')?.textContent).toBe('');
  });

  it('names every kind and state of job in Japanese', () => {
    setLanguage('ja');
    const kinds = ['media.analyse', 'stage1', 'measure', 'stage2', 'train', 'backup'] as const;
    const statuses = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
    kinds.forEach((kind, i) => row({ ...base, id: i + 1, kind, status: statuses[i % statuses.length]!, subject: undefined, videoId: null }));
    const rows = [...document.querySelectorAll('tr.job')];
    expect(rows.map((r) => r.querySelectorAll('td')[1]!.textContent?.trim())).toEqual(['動画の確認とサムネイル作成', 'ステージ1：人物中心クリップ', '姿勢・歩行の計測', 'ステージ2：分類', 'スクリーニングモデルの学習', '定期バックアップ']);
    expect(rows.map((r) => r.querySelector('td.status')?.textContent)).toEqual(['待機中', '実行中', '完了', '失敗', 'キャンセル済み', '待機中']);
  });
});

describe('formatElapsed and formatDuration in Japanese', () => {
  it('use Japanese units', () => {
    setLanguage('ja');
    expect([0.42, 9.96, 12.4, 185, 3725, -1].map(formatElapsed)).toEqual(['0.4 秒', '10 秒', '12 秒', '3 分 05 秒', '1 時間 02 分', '—']);
    expect([12.34, 125, null].map(formatDuration)).toEqual(['12.3 秒', '2 分 05 秒', '—']);
    setLanguage('en');
    expect([12.34, 125, null].map(formatDuration)).toEqual(['12.3 s', '2 min 05 s', '—']);
  });
});
