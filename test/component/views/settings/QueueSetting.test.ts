import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import QueueSetting from '../../../../src-renderer/views/settings/QueueSetting.svelte';
import { ApiError, type WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import type { QueueInUse } from '../../../../src-main/contract/entities.js';
import { errorMessage, type ErrorCode } from '../../../../src-main/contract/errors.js';
import { setLanguage } from '../../../../src-renderer/lib/i18n.svelte.js';

afterEach(() => {
  cleanup();
  setLanguage('en');
});

const fromSetting: QueueInUse = { source: 'setting', url: 'redis://walkscope@queue.hospital.local:6379', mediaFolder: '/mnt/nas/media', problem: null };
const sqlite: QueueInUse = { source: 'default', url: null, mediaFolder: null, problem: null };

function refusal(code: ErrorCode, detail: string) {
  return new ApiError({ code, message: errorMessage(code, detail), detail });
}

function fakeClient(inUse: QueueInUse, update: (changes: Record<string, unknown>) => unknown = (changes) => changes) {
  return {
    call: vi.fn(async (method: string, request: { changes?: Record<string, unknown> }) => {
      if (method === 'settings.queueInUse') return inUse;
      if (method === 'settings.update') return update(request.changes ?? {});
      throw new Error(`unexpected ${method}`);
    }),
  } as unknown as WalkScopeClient & { call: ReturnType<typeof vi.fn> };
}

describe('the queue section of Settings', () => {
  it('shows the stored queue in its fields and the queue in use with where it came from', async () => {
    render(QueueSetting, { client: fakeClient(fromSetting), storedUrl: fromSetting.url, storedMediaFolder: fromSetting.mediaFolder });
    expect(screen.getByRole('heading', { name: 'Analysis on several machines' })).toBeTruthy();
    const line = await screen.findByTestId('queue-in-use');
    expect(line.textContent).toBe('In use now: redis://walkscope@queue.hospital.local:6379 with the shared folder /mnt/nas/media, from these settings.');
    expect([...line.querySelectorAll('code')].map((c) => c.textContent)).toEqual(['redis://walkscope@queue.hospital.local:6379', '/mnt/nas/media']);
    expect((screen.getByLabelText('Queue address') as HTMLInputElement).value).toBe(fromSetting.url);
    expect((screen.getByLabelText('Shared media folder') as HTMLInputElement).value).toBe('/mnt/nas/media');
    expect(screen.getByText(/Applies when WalkScope next starts/)).toBeTruthy();
  });

  it('names a flag or the environment as the source, and the default SQLite queue', async () => {
    render(QueueSetting, { client: fakeClient({ ...fromSetting, source: 'environment' }), storedUrl: null, storedMediaFolder: null });
    expect((await screen.findByTestId('queue-in-use')).textContent).toContain('from the environment variable WALKSCOPE_QUEUE; it wins over these settings.');
    cleanup();
    render(QueueSetting, { client: fakeClient({ ...fromSetting, source: 'flag' }), storedUrl: null, storedMediaFolder: null });
    expect((await screen.findByTestId('queue-in-use')).textContent).toContain('given with --queue when WalkScope was started');
    cleanup();
    render(QueueSetting, { client: fakeClient(sqlite), storedUrl: null, storedMediaFolder: null });
    expect((await screen.findByTestId('queue-in-use')).textContent).toBe('In use now: the queue on this computer (SQLite), the default.');
  });

  it('says why a stored queue was not used at this start', async () => {
    render(QueueSetting, { client: fakeClient({ ...sqlite, problem: 'The queue in the settings (redis://walkscope@q:6379) could not be used at this start, so analysis runs on this machine: the server cannot be reached.' }), storedUrl: 'redis://walkscope@q:6379', storedMediaFolder: '/mnt/x' });
    expect((await screen.findByRole('alert')).textContent).toContain('The queue in these settings was not used at this start. The queue in the settings (redis://walkscope@q:6379) could not be used');
  });

  it('saves both fields trimmed, empty as none, and says it applies at the next start', async () => {
    const client = fakeClient(sqlite);
    render(QueueSetting, { client, storedUrl: null, storedMediaFolder: null });
    await fireEvent.input(screen.getByLabelText('Queue address'), { target: { value: '  redis://walkscope@queue.hospital.local:6379 ' } });
    await fireEvent.input(screen.getByLabelText('Shared media folder'), { target: { value: '/mnt/nas/media' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save queue' }));
    expect((await screen.findByRole('status')).textContent).toBe('Saved. It applies when WalkScope next starts.');
    expect(client.call).toHaveBeenCalledWith('settings.update', { changes: { queueUrl: 'redis://walkscope@queue.hospital.local:6379', queueMediaFolder: '/mnt/nas/media' } });
    await fireEvent.input(screen.getByLabelText('Queue address'), { target: { value: ' ' } });
    await fireEvent.input(screen.getByLabelText('Shared media folder'), { target: { value: '' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save queue' }));
    await vi.waitFor(() => expect(client.call).toHaveBeenLastCalledWith('settings.update', { changes: { queueUrl: null, queueMediaFolder: null } }));
  });

  it('shows a refused address beside the address field and keeps what was typed', async () => {
    const client = fakeClient(sqlite, () => {
      throw refusal('QUEUE_PASSWORD_IN_SETTINGS', 'redis://walkscope:***@queue.hospital.local:6379');
    });
    render(QueueSetting, { client, storedUrl: null, storedMediaFolder: null });
    const address = screen.getByLabelText('Queue address') as HTMLInputElement;
    await fireEvent.input(address, { target: { value: 'redis://walkscope:pw@queue.hospital.local:6379' } });
    await fireEvent.input(screen.getByLabelText('Shared media folder'), { target: { value: '/mnt/nas/media' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save queue' }));
    const note = await screen.findByRole('alert');
    expect(note.textContent).toContain('keep the password out of the settings: set WALKSCOPE_QUEUE_PASSWORD on this machine');
    expect(address.getAttribute('aria-invalid')).toBe('true');
    expect(address.getAttribute('aria-describedby')).toContain(note.id);
    expect(address.value).toBe('redis://walkscope:pw@queue.hospital.local:6379');
    expect((screen.getByLabelText('Shared media folder') as HTMLInputElement).value).toBe('/mnt/nas/media');
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('shows a refused folder beside the folder field', async () => {
    const client = fakeClient(sqlite, () => {
      throw refusal('MEDIA_FOLDER_INVALID', '/mnt/gone does not exist on this machine (mount the shared folder first)');
    });
    render(QueueSetting, { client, storedUrl: 'redis://walkscope@q:6379', storedMediaFolder: '/mnt/gone' });
    await fireEvent.click(screen.getByRole('button', { name: 'Save queue' }));
    const note = await screen.findByRole('alert');
    expect(note.textContent).toBe('The shared media folder cannot be used: /mnt/gone does not exist on this machine (mount the shared folder first).');
    expect(screen.getByLabelText('Shared media folder').getAttribute('aria-describedby')).toContain(note.id);
    expect(screen.getByLabelText('Queue address').getAttribute('aria-invalid')).toBe('false');
  });

  it('speaks Japanese', async () => {
    setLanguage('ja');
    render(QueueSetting, { client: fakeClient(fromSetting), storedUrl: fromSetting.url, storedMediaFolder: fromSetting.mediaFolder });
    expect(screen.getByRole('heading', { name: '複数のマシンでの解析' })).toBeTruthy();
    expect((await screen.findByTestId('queue-in-use')).textContent).toBe('現在使用中： redis://walkscope@queue.hospital.local:6379、共有フォルダ /mnt/nas/media（この設定による）。');
    expect(screen.getByLabelText('キューのアドレス')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'キューを保存' })).toBeTruthy();
  });
});
