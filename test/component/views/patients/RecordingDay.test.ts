import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import RecordingDay from '../../../../src-renderer/views/patients/RecordingDay.svelte';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import type { Video } from '../../../../src-main/contract/entities.js';
import { setLanguage } from '../../../../src-renderer/lib/i18n.svelte.js';
import { original } from '../../../helpers/reviewFixtures.js';

afterEach(() => {
  cleanup();
  setLanguage('en');
});

function client(reply: (request: { id: number; recordedOn: string | null }) => Video) {
  const call = vi.fn(async (_method: string, request: { id: number; recordedOn: string | null }) => reply(request));
  return { client: { call } as unknown as WalkScopeClient, call };
}

describe('the recording date on a video card', () => {
  it('shows the day and where it came from, and is set by hand', async () => {
    const { client: c, call } = client((r) => ({ ...original, recordedOn: r.recordedOn, recordedOnSource: 'user' }));
    const saved = vi.fn();
    render(RecordingDay, { client: c, video: { ...original, recordedOn: '2026-03-05', recordedOnSource: 'container' }, onSaved: saved });
    expect(screen.getByText('Recorded 5 Mar 2026')).toBeTruthy();
    expect(screen.getByText('(from the camera)')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Set date' }));
    const input = screen.getByLabelText('Recording date of walk.mp4') as HTMLInputElement;
    expect(input.value).toBe('2026-03-05');
    await fireEvent.input(input, { target: { value: '2026-03-04' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save date' }));
    expect(call).toHaveBeenCalledWith('videos.setRecordedOn', { id: 3, recordedOn: '2026-03-04' });
    expect(saved).toHaveBeenCalledWith(expect.objectContaining({ recordedOn: '2026-03-04', recordedOnSource: 'user' }));
  });

  it('says when the day is not known, and shows a refusal beside the field, keeping it open', async () => {
    const { client: c } = client(() => {
      throw new Error('The database is busy. Try again in a moment.');
    });
    render(RecordingDay, { client: c, video: { ...original, recordedOn: null, recordedOnSource: null }, onSaved: () => {} });
    expect(screen.getByText('Recording date not known')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Set date' }));
    await fireEvent.input(screen.getByLabelText('Recording date of walk.mp4'), { target: { value: '2026-11-30' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save date' }));
    await screen.findByText('The database is busy. Try again in a moment.');
    expect(screen.getByLabelText('Recording date of walk.mp4')).toBeTruthy();
  });

  it('speaks Japanese, and a clip has no date button (it follows its original)', () => {
    setLanguage('ja');
    render(RecordingDay, { client: client(() => original).client, video: { ...original, kind: 'person-centred', sourceVideoId: 1, recordedOn: '2026-03-05', recordedOnSource: 'container' }, onSaved: () => {} });
    expect(screen.getByText('撮影日 2026/03/05')).toBeTruthy();
    expect(screen.getByText('(カメラの記録)')).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });
});
