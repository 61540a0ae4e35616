import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import SnapshotButton from '../../../../src-renderer/views/review/SnapshotButton.svelte';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';

afterEach(cleanup);

const fileName = 'walkscope-snapshot-2026-05-01-2.500s.png';

function setup(props: { playing?: boolean; fail?: string } = {}) {
  const requests: unknown[] = [];
  const client = {
    call: vi.fn(async (method: string, request: unknown) => {
      requests.push({ method, request });
      if (props.fail) throw new Error(props.fail);
      return { fileName, mimeType: 'image/png', contentBase64: btoa('frame'), width: 1280, height: 720, frame: 75, blurredHeads: 2 };
    }),
  } as unknown as WalkScopeClient;
  // the original's stage: the video, a canvas of boxes, the angles' SVG (with an SVG inside it) and the drawn lines' SVG
  const stage = document.createElement('div');
  stage.innerHTML = '<video></video><canvas data-layer="boxes"></canvas><svg data-layer="angles"><svg data-layer="inner"></svg></svg><svg data-layer="lines"></svg>';
  const composed = new Blob(['composed'], { type: 'image/png' });
  const compose = vi.fn(async (_png: Blob, _layers: readonly Element[]) => composed);
  const save = vi.fn();
  const view = render(SnapshotButton, { client, videoId: 3, timeSec: 2.5, playing: props.playing ?? false, stage: () => stage, compose, save });
  return { ...view, requests, compose, save, composed };
}

describe('the snapshot button', () => {
  it('saves the frame with its overlays, faces blurred by default, under the back end’s name', async () => {
    const { requests, compose, save, composed } = setup();
    const blur = screen.getByLabelText('Blur faces') as HTMLInputElement;
    expect(blur.checked).toBe(true);
    await fireEvent.click(screen.getByRole('button', { name: 'Snapshot' }));
    await waitFor(() => expect(save).toHaveBeenCalledTimes(1));
    expect(requests).toEqual([{ method: 'videos.snapshot', request: { id: 3, timeSec: 2.5, blurFaces: true } }]);
    // the back end's PNG, with the overlay layers of the stage (not the video, not an SVG inside an SVG)
    const [png, layers] = compose.mock.calls[0]!;
    expect(png.type).toBe('image/png');
    expect(png.size).toBe(5); // the bytes of 'frame'
    expect(layers.map((l) => l.getAttribute('data-layer'))).toEqual(['boxes', 'angles', 'lines']);
    expect(save).toHaveBeenCalledWith(composed, fileName);
    expect(screen.getByRole('status').textContent).toBe(`Saved ${fileName}, faces blurred.`);
  });

  it('says plainly when the faces were not blurred', async () => {
    const { requests, save } = setup();
    await fireEvent.click(screen.getByLabelText('Blur faces'));
    await fireEvent.click(screen.getByRole('button', { name: 'Snapshot' }));
    await waitFor(() => expect(save).toHaveBeenCalledTimes(1));
    expect(requests).toEqual([{ method: 'videos.snapshot', request: { id: 3, timeSec: 2.5, blurFaces: false } }]);
    const status = screen.getByRole('status');
    expect(status.textContent).toBe(`Saved ${fileName} with the faces NOT blurred: it can identify the patient.`);
    expect(status.classList.contains('warn')).toBe(true);
  });

  it('waits for a paused frame, and says why a snapshot failed', async () => {
    setup({ playing: true });
    expect((screen.getByRole('button', { name: 'Snapshot' }) as HTMLButtonElement).disabled).toBe(true);
    cleanup();
    const { save } = setup({ fail: 'Video 3 has not been analysed yet' });
    await fireEvent.click(screen.getByRole('button', { name: 'Snapshot' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The snapshot could not be made: Video 3 has not been analysed yet');
    expect(save).not.toHaveBeenCalled();
  });
});
