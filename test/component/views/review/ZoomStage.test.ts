import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import ZoomStage from '../../../../src-renderer/views/review/ZoomStage.svelte';

afterEach(cleanup);

const children = createRawSnippet(() => ({ render: () => '<video data-role="original"></video>' }));
// jsdom has no PointerEvent: a mouse event with the pointer's id stands in for one
const pointer = (type: string, clientX: number, clientY: number) => Object.assign(new MouseEvent(type, { bubbles: true, button: 0, clientX, clientY }), { pointerId: 1 });
const key = (k: string) => fireEvent.keyDown(window, { key: k });

function setup(active = true) {
  const onclick = vi.fn();
  const view = render(ZoomStage, { active, children, onclick });
  const zoom = view.container.querySelector('[data-part="zoom"]') as HTMLElement;
  return { ...view, onclick, zoom };
}

describe('zoom and pan of the paused frame', () => {
  it('wraps the video in one transformed wrapper: + zooms, - zooms out, 0 and the button reset', async () => {
    const { zoom } = setup();
    expect(zoom.querySelector('video')).not.toBeNull();
    expect(zoom.style.transform).toBe('');
    await key('+');
    // jsdom lays nothing out: a 0 x 0 stage keeps the translation at 0
    expect(zoom.dataset.scale).toBe('1.25');
    expect(zoom.style.transform).toBe('translate(0px, 0px) scale(1.25)');
    expect(screen.getByTestId('zoom-level').textContent).toBe('125%');
    await key('+');
    await key('-');
    expect(zoom.dataset.scale).toBe('1.25');
    await key('0');
    expect(zoom.dataset.scale).toBe('1');
    expect(screen.queryByTestId('zoom-level')).toBeNull();
    await fireEvent.wheel(zoom, { deltaY: -100 });
    expect(zoom.dataset.scale).toBe('1.25');
    await fireEvent.click(screen.getByRole('button', { name: 'Reset zoom 0' }));
    expect(zoom.dataset.scale).toBe('1');
  });

  it('passes a click on the picture on, but not the one that ends a drag', async () => {
    const { zoom, onclick, container } = setup();
    await fireEvent.click(zoom);
    expect(onclick).toHaveBeenCalledTimes(1);
    await key('+');
    const viewport = container.querySelector('[data-part="zoom-viewport"]') as HTMLElement;
    await fireEvent(viewport, pointer('pointerdown', 100, 100));
    await fireEvent(viewport, pointer('pointermove', 140, 100));
    await fireEvent(viewport, pointer('pointerup', 140, 100));
    await fireEvent.click(zoom);
    expect(onclick).toHaveBeenCalledTimes(1);
    await fireEvent.click(zoom);
    expect(onclick).toHaveBeenCalledTimes(2);
  });

  it('does not zoom while playing, and playing resets the zoom', async () => {
    const { zoom, rerender } = setup(true);
    await key('+');
    expect(zoom.dataset.scale).toBe('1.25');
    await rerender({ active: false });
    expect(zoom.dataset.scale).toBe('1');
    await key('+');
    await fireEvent.wheel(zoom, { deltaY: -100 });
    expect(zoom.dataset.scale).toBe('1');
  });
});
