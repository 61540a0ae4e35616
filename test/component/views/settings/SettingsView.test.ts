import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import SettingsView from '../../../../src-renderer/views/settings/SettingsView.svelte';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import type { AppInfo, Settings } from '../../../../src-main/contract/entities.js';
import { setLanguage } from '../../../../src-renderer/lib/i18n.svelte.js';

afterEach(() => {
  cleanup();
  setLanguage('en');
});

const settings: Settings = { ffmpegPath: null, ffprobePath: null, jobConcurrency: 2, inferenceThreads: 4, executionProviders: ['cpu'], detectionWorkers: 2, backupFolder: null, backupEveryHours: 24, backupKeep: 7, language: 'en', queueUrl: null, queueMediaFolder: null };
const oldFfmpeg = 'The ffmpeg in use, /opt/bundled/ffmpeg (@ffmpeg-installer/ffmpeg), is git build N-47683-g0e8eb07980 from 2018 (counted as 3.4), older than 5.1, the minimum WalkScope asks for.';
const info: AppInfo = {
  name: 'WalkScope',
  version: '0.1.0',
  dataDir: '/home/clinic/.config/WalkScope',
  transport: 'electron',
  ffmpeg: {
    path: '/opt/bundled/ffmpeg',
    source: '@ffmpeg-installer/ffmpeg',
    version: 'git build N-47683-g0e8eb07980 from 2018 (counted as 3.4)',
    reason: 'the only ffmpeg found',
    ffprobe: { path: '/opt/bundled/ffprobe', source: '@ffprobe-installer/ffprobe', version: '6.1.1' },
  },
  schemaVersion: 9,
  databaseEncryption: { encrypted: false, keySource: null },
  actor: 'clinic',
  auditChain: { intact: true, rows: 12, problemCount: 0, firstProblem: null, checkedAt: '2026-12-02T09:00:00.000Z' },
  dataFolder: { changeable: true, next: null },
  warnings: [oldFfmpeg],
  // a back end from before phrases, or a warning with no phrase: shown in English as it is
  warningPhrases: [null],
};

// as the back end sends them now: the English text and its phrase
const tooOld = {
  key: 'settings.warnings.ffmpegTooOld',
  vars: { name: 'ffmpeg', path: '/opt/bundled/ffmpeg', source: '@ffmpeg-installer/ffmpeg', version: '4.4.2', minimum: '5.1' },
};
const tooOldEnglish =
  'The ffmpeg in use, /opt/bundled/ffmpeg (@ffmpeg-installer/ffmpeg), is 4.4.2, older than 5.1, the minimum WalkScope asks for: it reads every imported clip, so install a current ffmpeg (the system package, e.g. apt install ffmpeg) or set a newer one in Settings.';
const readable = { key: 'settings.warnings.dataFolderReadable', vars: { folder: '/home/clinic/.config/WalkScope', count: 2, examples: '. 0755, walkscope.db 0644', command: 'walkscope doctor --fix-permissions' } };
const readableEnglish = 'The data folder /home/clinic/.config/WalkScope can be read by other accounts on this computer (2 entries, e.g. . 0755, walkscope.db 0644); run walkscope doctor --fix-permissions to make it private (folders 0700, files 0600).';
const phrased: AppInfo = { ...info, warnings: [tooOldEnglish, readableEnglish, 'The last scheduled backup failed.'], warningPhrases: [tooOld, readable, null] };

function fakeClient(reply: AppInfo) {
  return {
    call: vi.fn(async (method: string, request?: { changes?: Partial<Settings> }) => {
      if (method === 'app.info') return reply;
      if (method === 'settings.get') return settings;
      if (method === 'settings.update') return { ...settings, ...request?.changes };
      if (method === 'settings.queueInUse') return { source: 'default', url: null, mediaFolder: null, problem: null };
      throw new Error(`unexpected ${method}`);
    }),
    on: () => () => {},
  } as unknown as WalkScopeClient;
}

describe('the settings page', () => {
  it('shows the ffmpeg in use with its version and why, and the installation warnings', async () => {
    render(SettingsView, { client: fakeClient(info) });
    const about = await screen.findByRole('region', { name: 'About WalkScope' });
    expect(about.textContent).toContain('/opt/bundled/ffmpeg');
    expect(about.textContent).toContain('git build N-47683-g0e8eb07980 from 2018 (counted as 3.4)');
    expect(about.textContent).toContain('the only ffmpeg found');
    expect(about.textContent).toContain('/opt/bundled/ffprobe');
    expect(screen.getByRole('region', { name: 'Installation warnings' })).toBeTruthy();
    expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual([oldFfmpeg]);
  });

  it('shows warnings that came as phrases in English word for word', async () => {
    render(SettingsView, { client: fakeClient(phrased) });
    await screen.findByRole('region', { name: 'Installation warnings' });
    expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual([tooOldEnglish, readableEnglish, 'The last scheduled backup failed.']);
  });

  it('shows no warnings section when there is nothing to fix', async () => {
    render(SettingsView, { client: fakeClient({ ...info, warnings: [] }) });
    await screen.findByRole('region', { name: 'About WalkScope' });
    expect(screen.queryByRole('region', { name: 'Installation warnings' })).toBeNull();
  });

  it("shows whether the audit log's hash chain holds, and where it broke", async () => {
    render(SettingsView, { client: fakeClient(info) });
    const about = await screen.findByRole('region', { name: 'About WalkScope' });
    expect(about.textContent).toMatch(/12 entries, hash chain intact \(checked \d{1,2} Dec 2026 \d{2}:\d{2}\)/);
    cleanup();
    const broken = { ...info, auditChain: { intact: false, rows: 12, problemCount: 2, firstProblem: { id: 4, at: '2026-12-02T08:00:00.000Z', action: 'patient.update', kind: 'changed', detail: 'content changed' } as never, checkedAt: info.auditChain.checkedAt } };
    render(SettingsView, { client: fakeClient(broken) });
    const text = (await screen.findByRole('region', { name: 'About WalkScope' })).textContent!;
    expect(text).toContain('Hash chain broken: 2 problems, the first at row 4. Run walkscope audit verify');
  });

  it('sets scheduled backups: the folder, how often and how many to keep', async () => {
    const client = fakeClient({ ...info, warnings: [] });
    render(SettingsView, { client });
    const folder = await screen.findByLabelText(/Backup folder/);
    await fireEvent.input(folder, { target: { value: ' /mnt/backup/walkscope ' } });
    await fireEvent.input(screen.getByLabelText('Every (hours)'), { target: { value: '12' } });
    await fireEvent.input(screen.getByLabelText('Backups to keep'), { target: { value: '14' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Saved.');
    const update = vi.mocked(client.call).mock.calls.find(([method]) => method === 'settings.update')!;
    expect(update[1]).toMatchObject({ changes: { backupFolder: '/mnt/backup/walkscope', backupEveryHours: 12, backupKeep: 14 } });
  });

  it('sends no backup folder when the field is left empty (scheduled backups off)', async () => {
    const client = fakeClient({ ...info, warnings: [] });
    render(SettingsView, { client });
    await screen.findByLabelText(/Backup folder/);
    await fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Saved.');
    const update = vi.mocked(client.call).mock.calls.find(([method]) => method === 'settings.update')!;
    expect(update[1]).toMatchObject({ changes: { backupFolder: null } });
  });
});

describe('the settings page in Japanese', () => {
  it('names every part in Japanese, keeps commands and paths as code, and shows no raw key', async () => {
    setLanguage('ja');
    render(SettingsView, { client: fakeClient({ ...info, dataFolder: { changeable: false, next: '/srv/walkscope' } }) });
    const about = await screen.findByRole('region', { name: 'WalkScope について' });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('設定');
    expect(screen.getByLabelText('同時実行ジョブ数')).toBeTruthy();
    expect(screen.getByLabelText('間隔（時間）')).toBeTruthy();
    expect(screen.getByLabelText('保持する世代数')).toBeTruthy();
    expect(screen.getByRole('button', { name: '設定を保存' })).toBeTruthy();
    expect(screen.getByRole('region', { name: 'インストールに関する警告' }).querySelector('h2')?.textContent).toBe('要対応');
    expect(about.textContent).toMatch(/12 件、ハッシュチェーン正常（\d{4}\/12\/\d{2} \d{2}:\d{2} に確認）/);
    expect(about.querySelector('[data-testid="database-encryption"]')?.textContent).toBe('暗号化なし（README の「Encryption at rest」を参照）');
    expect(about.textContent).toContain('デスクトップアプリ');
    const folder = screen.getByRole('region', { name: 'データフォルダ' });
    expect(folder.querySelector('.next')?.textContent).toBe('次回起動時から：/srv/walkscope');
    expect(folder.querySelector('.next code')?.textContent).toBe('/srv/walkscope');
    expect([...folder.querySelectorAll('p.muted code')].map((c) => c.textContent)).toEqual(['--data-dir', 'WALKSCOPE_HOME']);
    const backupHint = screen.getByText(/復元するには/);
    expect(backupHint.querySelector('code')?.textContent).toBe('walkscope restore --from BACKUP --data-dir NEW_FOLDER');
    expect(document.body.textContent).not.toMatch(/settings\.|components\./);
  });

  it('shows the installation warnings in Japanese where they came as phrases, and an English-only one as it is', async () => {
    setLanguage('ja');
    render(SettingsView, { client: fakeClient(phrased) });
    await screen.findByRole('region', { name: 'インストールに関する警告' });
    expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual([
      '使用中の ffmpeg（/opt/bundled/ffmpeg、@ffmpeg-installer/ffmpeg）はバージョン 4.4.2 で、WalkScope が求める最低バージョン 5.1 より古いです。取り込むすべての動画の読み込みに使うため、新しい ffmpeg をインストールする（システムのパッケージ、例：apt install ffmpeg）か、設定で新しいものを指定してください。',
      'データフォルダ /home/clinic/.config/WalkScope は、このコンピューターの他のアカウントから読み取れます（2 件、例：. 0755, walkscope.db 0644）。walkscope doctor --fix-permissions を実行して非公開にしてください（フォルダ 0700、ファイル 0600）。',
      'The last scheduled backup failed.',
    ]);
  });

  it('says where the hash chain broke, and refuses an unknown execution provider, in Japanese', async () => {
    setLanguage('ja');
    const broken = { ...info, warnings: [], auditChain: { intact: false, rows: 12, problemCount: 2, firstProblem: { id: 4 } as never, checkedAt: info.auditChain.checkedAt } };
    render(SettingsView, { client: fakeClient(broken) });
    const about = await screen.findByRole('region', { name: 'WalkScope について' });
    expect(about.querySelector('dd.broken')?.textContent?.trim()).toBe(
      'ハッシュチェーン破損：問題 2 件、最初は 4 行目です。詳細は walkscope audit verify で確認してください。WalkScope は引き続き使用でき、記録は調査のため保持されます。',
    );
    await fireEvent.input(screen.getByLabelText(/^実行プロバイダー（優先順）/), { target: { value: 'cpu, tpu' } });
    await fireEvent.click(screen.getByRole('button', { name: '設定を保存' }));
    expect((await screen.findByRole('alert')).textContent).toContain('不明な実行プロバイダーです：tpu。cuda, webgpu, dml, coreml, cpu のいずれかを指定してください。');
    expect(screen.getByRole('button', { name: 'メッセージを閉じる' }).textContent).toBe('閉じる');
    expect(document.body.textContent).not.toMatch(/settings\.|components\./);
  });

  it('has the section for analysis on several machines, with the queue in use, below the other settings', async () => {
    render(SettingsView, { client: fakeClient({ ...info, warnings: [] }) });
    expect(await screen.findByRole('heading', { name: 'Analysis on several machines' })).toBeTruthy();
    expect((await screen.findByTestId('queue-in-use')).textContent).toBe('In use now: the queue on this computer (SQLite), the default.');
    expect(screen.getByRole('button', { name: 'Save queue' })).toBeTruthy();
  });
});
