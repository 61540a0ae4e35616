import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import ReviewView from '../../../../src-renderer/views/review/ReviewView.svelte';
import { JobsState } from '../../../../src-renderer/lib/state/jobs.svelte.js';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import type { Annotation } from '../../../../src-main/contract/measurements.js';
import { annotationValue } from '../../../../src-main/domain/annotationGeometry.js';
import { clip, original, stage1, stage2, tracks, useFakeMediaClocks } from '../../../helpers/reviewFixtures.js';
import { annotation, measurementFrames, measurements } from '../../../helpers/measurementFixtures.js';

useFakeMediaClocks();
beforeAll(() => {
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
afterAll(() => {
  vi.restoreAllMocks();
});

function setup(overrides: Record<string, (request: any) => unknown> = {}) {
  const calls: { method: string; request: any }[] = [];
  let nextId = 80;
  const handlers: Record<string, (request: any) => unknown> = {
    'videos.get': (r) => (r.id === 3 ? original : clip),
    'analyses.stage1': () => stage1,
    'analyses.tracks': () => tracks,
    'analyses.stage2': () => stage2,
    'models.list': () => [],
    'assessments.list': () => [],
    'readers.list': () => [],
    'jobs.list': () => [],
    'screening.explain': () => ({ explanation: null, reason: 'No screening model has been accepted yet.', missing: 'model' }),
    'measurements.get': () => measurements,
    'measurements.frames': () => measurementFrames,
    'annotations.list': () => [],
    // the back end's value, made 1 less than the client's here so the test can tell the two apart
    'annotations.add': (r) => annotation({ id: nextId++, frame: r.frame, shape: r.shape, value: annotationValue(r.shape)! - 1, label: r.label ?? '' }),
    'annotations.remove': (r) => ({ removed: r.id }),
    ...overrides,
  };
  const client = {
    call: vi.fn(async (method: string, request: unknown) => {
      calls.push({ method, request });
      return handlers[method]!(request);
    }),
    videoUrl: (id: number) => `blob:video/${id}`,
    on: () => () => {},
  } as unknown as WalkScopeClient;
  const jobs = new JobsState(client);
  const view = render(ReviewView, { client, jobs, videoId: 3 });
  return { client, jobs, calls, ...view };
}

/** The players' clock is up and the annotation layer, shown at half size (640 x 360 for 1280 x 720), is ready for clicks. */
async function ready(container: HTMLElement) {
  await waitFor(() => expect(container.querySelector('video[data-role="clip"]')).not.toBeNull());
  await waitFor(() => expect(screen.getByTestId('clock').textContent).toBe('00:00.000'));
  const layer = container.querySelector('svg.annotations') as SVGSVGElement;
  layer.getBoundingClientRect = () => ({ left: 0, top: 0, right: 640, bottom: 360, width: 640, height: 360, x: 0, y: 0, toJSON: () => ({}) });
  const leader = container.querySelector('video[data-role="original"]') as HTMLVideoElement;
  return { layer, leader };
}

const seekTo = (sec: number) => fireEvent.input(screen.getByLabelText('Position in the original video'), { target: { value: String(sec) } });
const tool = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;
const at = (layer: Element, x: number, y: number) => fireEvent.click(layer, { clientX: x, clientY: y });
const addCalls = (calls: { method: string; request: any }[]) => calls.filter((c) => c.method === 'annotations.add');

describe('the measuring tools on a paused frame', () => {
  it('measures an angle from three clicks: the live value while drawing, the exact request, and the saved value', async () => {
    const { container, calls } = setup();
    const { layer } = await ready(container);
    await seekTo(2); // frame 60
    await fireEvent.click(tool('Angle'));
    expect(tool('Angle').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('tool-instruction').textContent).toBe('Angle: click one end.');
    await at(layer, 100, 50);
    await at(layer, 100, 100);
    expect(screen.getByTestId('tool-instruction').textContent).toBe('Angle: click the other end (Escape cancels).');
    // the pointer as the third point: a right angle at the vertex, computed on the client (its arc a third of the shorter ray)
    await fireEvent.mouseMove(layer, { clientX: 150, clientY: 100 });
    expect(screen.getByTestId('tool-value').textContent).toBe('Angle: 90.0°');
    expect(layer.querySelector('g.preview path.arc')!.getAttribute('d')).toBe('M 200 166.67 A 33.33 33.33 0 0 1 233.33 200');
    await at(layer, 150, 100);
    await waitFor(() => expect(addCalls(calls)).toHaveLength(1));
    expect(addCalls(calls)[0]!.request).toEqual({ videoId: 3, frame: 60, shape: { kind: 'angle', a: { x: 200, y: 100 }, vertex: { x: 200, y: 200 }, b: { x: 300, y: 200 } } });
    // the value shown is the back end's (89), not the preview's (90)
    await waitFor(() => expect(screen.getByTestId('tool-value').textContent).toBe('Saved: angle 89.0° on frame 61.'));
    const row = within(screen.getByRole('table', { name: 'Measurements drawn on this video' })).getAllByRole('row')[1]!;
    expect([...row.querySelectorAll('td')].slice(0, 6).map((td) => td.textContent)).toEqual(['Angle', '89.0°', '—', '61 (00:02.000)', 'dr.lee', '28 Nov 2026 07:00']);
    expect(layer.querySelector('g[data-annotation="80"] text')!.textContent).toBe('89.0°');
  });

  it('saves a vertical reference with its label and measures the video again against it', async () => {
    const { container, calls } = setup();
    const { layer } = await ready(container);
    await seekTo(1);
    await fireEvent.input(screen.getByLabelText('Label'), { target: { value: 'door frame' } });
    await fireEvent.click(tool('Vertical reference'));
    await at(layer, 100, 20);
    await fireEvent.mouseMove(layer, { clientX: 110, clientY: 340 });
    // 20 px right over 640 px down: the upper end is left of the lower one, so counter-clockwise
    expect(screen.getByTestId('tool-value').textContent).toBe('Vertical reference: 1.8° counter-clockwise from the image vertical');
    const loads = calls.filter((c) => c.method === 'measurements.get').length;
    await at(layer, 110, 340);
    await waitFor(() => expect(addCalls(calls)).toHaveLength(1));
    expect(addCalls(calls)[0]!.request).toEqual({ videoId: 3, frame: 30, shape: { kind: 'vertical', a: { x: 200, y: 40 }, b: { x: 220, y: 680 } }, label: 'door frame' });
    await waitFor(() => expect(calls.filter((c) => c.method === 'measurements.get').length).toBe(loads + 1));
    expect((screen.getByLabelText('Label') as HTMLInputElement).value).toBe('');
    expect(screen.getByRole('table', { name: 'Measurements drawn on this video' }).textContent).toContain('door frame');
  });

  it('measures a line in pixels', async () => {
    const { container, calls } = setup();
    const { layer } = await ready(container);
    await fireEvent.click(tool('Line'));
    await at(layer, 10, 10);
    await fireEvent.mouseMove(layer, { clientX: 40, clientY: 50 });
    expect(screen.getByTestId('tool-value').textContent).toBe('Line: 100.0 px');
    await at(layer, 40, 50);
    await waitFor(() => expect(addCalls(calls)[0]?.request).toEqual({ videoId: 3, frame: 0, shape: { kind: 'line', a: { x: 20, y: 20 }, b: { x: 80, y: 100 } } }));
  });

  it('cancels a drawing with Escape, and a click that measures does not choose a person', async () => {
    const { container, calls } = setup();
    const { layer } = await ready(container);
    await fireEvent.click(tool('Line'));
    // frame 0: track 1's box is under (30, 50) at half size
    await at(layer, 30, 50);
    expect(layer.querySelectorAll('circle.placed')).toHaveLength(1);
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(tool('Line').getAttribute('aria-pressed')).toBe('false');
    expect(layer.querySelectorAll('circle')).toHaveLength(0);
    expect(screen.getByTestId('tool-value').textContent).toBe('Cancelled.');
    expect(screen.getByTestId('tool-instruction').textContent).toBe('Choose a tool, then click on the original video.');
    await at(layer, 60, 60);
    expect(addCalls(calls)).toHaveLength(0);
    expect((screen.getByLabelText('Patient') as HTMLSelectElement).value).not.toBe('1');
  });

  it('drops the points placed when the frame changes', async () => {
    const { container } = setup();
    const { layer } = await ready(container);
    await fireEvent.click(tool('Angle'));
    await at(layer, 100, 50);
    await fireEvent.keyDown(window, { key: 'ArrowRight' });
    expect(layer.querySelectorAll('circle.placed')).toHaveLength(0);
    expect(tool('Angle').getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByTestId('tool-instruction').textContent).toBe('Angle: click one end.');
  });

  it('is disabled while playing, and says so', async () => {
    const { container, calls } = setup();
    const { layer } = await ready(container);
    await fireEvent.click(tool('Line'));
    await at(layer, 10, 10);
    await fireEvent.keyDown(window, { key: ' ' });
    expect(screen.getByRole('button', { name: 'Pause' })).toBeTruthy();
    expect(['Line', 'Angle', 'Vertical reference'].map((n) => tool(n).disabled)).toEqual([true, true, true]);
    expect(tool('Line').getAttribute('aria-pressed')).toBe('false');
    expect(screen.getByTestId('tool-instruction').textContent).toBe('The tools work on a paused frame: pause the video to measure.');
    await at(layer, 40, 50);
    expect(addCalls(calls)).toHaveLength(0);
    await fireEvent.keyDown(window, { key: 'k' });
    expect(tool('Line').disabled).toBe(false);
  });
});

describe('saved measurements', () => {
  const saved: Annotation[] = [
    annotation({ id: 71, frame: 30, shape: { kind: 'line', a: { x: 100, y: 100 }, b: { x: 400, y: 500 } }, value: 500, label: 'stride' }),
    annotation({ id: 72, frame: 60, shape: { kind: 'angle', a: { x: 200, y: 100 }, vertex: { x: 200, y: 200 }, b: { x: 300, y: 200 } }, value: 90, author: 'dr.kim' }),
    annotation({ id: 73, frame: 60, shape: { kind: 'vertical', a: { x: 900, y: 50 }, b: { x: 905, y: 650 } }, value: -0.48 }),
  ];

  it('are listed and drawn again on their frame only (on opening the screen)', async () => {
    const { container } = setup({ 'annotations.list': () => saved });
    const { layer } = await ready(container);
    const table = await screen.findByRole('table', { name: 'Measurements drawn on this video' });
    expect(within(table).getAllByRole('row').slice(1).map((r) => [...r.querySelectorAll('td')].slice(0, 5).map((td) => td.textContent))).toEqual([
      ['Line', '500.0 px', 'stride', '31 (00:01.000)', 'dr.lee'],
      ['Angle', '90.0°', '—', '61 (00:02.000)', 'dr.kim'],
      ['Vertical reference', '0.5° counter-clockwise from the image vertical', '—', '61 (00:02.000)', 'dr.lee'],
    ]);
    const drawn = () => [...layer.querySelectorAll('g[data-annotation]')].map((g) => Number(g.getAttribute('data-annotation')));
    expect(drawn()).toEqual([]);
    await seekTo(1);
    expect(drawn()).toEqual([71]);
    expect(layer.querySelector('g[data-annotation="71"] text')!.textContent).toBe('stride: 500.0 px');
    await fireEvent.keyDown(window, { key: 'ArrowRight' });
    expect(drawn()).toEqual([]);
    await fireEvent.click(screen.getAllByRole('button', { name: 'Go to frame 61' })[0]!);
    expect(drawn()).toEqual([72, 73]);
    expect(layer.querySelector('g[data-annotation="72"] polyline')!.getAttribute('points')).toBe('200,100 200,200 300,200');
  });

  it('are removed after a confirmation; removing the vertical reference measures the video again', async () => {
    const asked: string[] = [];
    let answer = false;
    vi.stubGlobal('confirm', (message: string) => (asked.push(message), answer));
    const { container, calls } = setup({ 'annotations.list': () => saved });
    await ready(container);
    await screen.findByRole('table', { name: 'Measurements drawn on this video' });
    await fireEvent.click(screen.getByRole('button', { name: 'Remove the line of frame 31' }));
    expect(asked).toEqual(['Remove the line (500.0 px) drawn on frame 31? The removal is kept in the audit log.']);
    expect(calls.some((c) => c.method === 'annotations.remove')).toBe(false);
    answer = true;
    const loads = calls.filter((c) => c.method === 'measurements.get').length;
    await fireEvent.click(screen.getByRole('button', { name: 'Remove the vertical reference of frame 61' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'annotations.remove').map((c) => c.request)).toEqual([{ id: 73 }]));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Remove the vertical reference of frame 61' })).toBeNull());
    expect(screen.getByTestId('tool-value').textContent).toBe('Removed the vertical reference (0.5° counter-clockwise from the image vertical) drawn on frame 61.');
    await waitFor(() => expect(calls.filter((c) => c.method === 'measurements.get').length).toBe(loads + 1));
  });

  it('say when there are none', async () => {
    setup();
    expect(await screen.findByText('No measurement drawn on this video yet.')).toBeTruthy();
  });

  it('a refused save is said in words', async () => {
    const { container } = setup({ 'annotations.add': () => Promise.reject(new Error('its points are on top of each other')) });
    const { layer } = await ready(container);
    await fireEvent.click(tool('Line'));
    await at(layer, 10, 10);
    await at(layer, 20, 10);
    expect((await screen.findByRole('alert', {}, { timeout: 2000 })).textContent).toContain('The line could not be saved: Its points are on top of each other.');
  });
});
