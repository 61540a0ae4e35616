import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import ReviewView from '../../../../src-renderer/views/review/ReviewView.svelte';
import { JobsState } from '../../../../src-renderer/lib/state/jobs.svelte.js';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import { clip, job, original, stage1, stage2, tracks, useFakeMediaClocks } from '../../../helpers/reviewFixtures.js';
import { fakeExplanation } from '../../../helpers/screeningFixtures.js';

// jsdom has no media pipeline: each <video> gets a fake clock (time, paused, rate) the tests move by hand.
useFakeMediaClocks();
beforeAll(() => {
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
});
afterEach(() => cleanup());
afterAll(() => {
  vi.restoreAllMocks();
});

function setup(overrides: Record<string, (request: any) => unknown> = {}) {
  const calls: { method: string; request: any }[] = [];
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
    'analyses.run': (r) => [{ videoId: r.videoIds[0], needs: ['stage1'], run: { id: 1, videoId: r.videoIds[0], createdAt: 't', steps: [{ kind: 'stage1', status: 'queued', jobId: 40, progress: 0, message: 'Waiting' }], finished: false } }],
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

async function players(container: HTMLElement) {
  await waitFor(() => expect(container.querySelector('video[data-role="clip"]')).not.toBeNull());
  const leader = container.querySelector('video[data-role="original"]') as HTMLVideoElement;
  const follower = container.querySelector('video[data-role="clip"]') as HTMLVideoElement;
  // the clock is created once both elements exist
  await waitFor(() => expect(screen.getByTestId('clock').textContent).toBe('00:00.000'));
  return { leader, follower };
}

const key = (k: string, init: KeyboardEventInit = {}) => fireEvent.keyDown(window, { key: k, ...init });

describe('the review players on one clock', () => {
  it('streams both videos through the contract', async () => {
    const { container } = setup();
    const { leader, follower } = await players(container);
    expect(leader.getAttribute('src')).toBe('blob:video/3');
    expect(follower.getAttribute('src')).toBe('blob:video/8');
    expect(leader.muted).toBe(true);
  });

  it('seeks both players from the scrubber and steps both from the arrow keys', async () => {
    const { container } = setup();
    const { leader, follower } = await players(container);
    await fireEvent.input(screen.getByLabelText('Position in the original video'), { target: { value: '2' } });
    expect(leader.currentTime).toBe(2);
    expect(follower.currentTime).toBeCloseTo(1, 9);
    await key('ArrowRight');
    expect(leader.currentTime).toBeCloseTo(61 / 30, 9);
    expect(follower.currentTime).toBeCloseTo(31 / 30, 9);
    expect(screen.getByTestId('clock').textContent).toBe('00:02.033');
    expect(screen.getByTestId('clip-readout').textContent).toBe('00:01.033 · frame 32/120');
    expect(screen.getByTestId('original-readout').textContent).toBe('00:02.033 · frame 62/231');
    expect(screen.getByTestId('frame-step').textContent).toBe('frame 62 / 231');
    await key('ArrowLeft', { shiftKey: true });
    expect(leader.currentTime).toBeCloseTo(31 / 30, 9);
    expect(follower.currentTime).toBeCloseTo(1 / 30, 9);
    await key('ArrowLeft');
    await key('ArrowLeft');
    expect(leader.currentTime).toBeCloseTo(29 / 30, 9);
    expect(screen.getByText('Patient not in view')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Go to the next appearance (00:01.000)' }));
    expect(leader.currentTime).toBeCloseTo(1, 9);
    expect(follower.currentTime).toBeCloseTo(0, 9);
    expect(screen.queryByText('Patient not in view')).toBeNull();
  });

  it('steps a 10 fps original by its own frames and says so', async () => {
    const at10 = { ...original, probe: { ...original.probe, avgFps: 10, realFps: 10, frameCount: 77 } };
    const { container } = setup({ 'videos.get': (r) => (r.id === 3 ? at10 : clip) });
    const { leader } = await players(container);
    expect(screen.getByTestId('frame-step').textContent).toBe('frame 1 of 77 (source, 10 fps)');
    expect(screen.getByTestId('frame-step').getAttribute('title')).toBe('A frame step moves one frame of the original video (0.1 s), not one of the 30 fps timeline');
    await key('ArrowRight');
    expect(leader.currentTime).toBe(0.1);
    expect(screen.getByTestId('frame-step').textContent).toBe('frame 2 of 77 (source, 10 fps)');
    await fireEvent.click(screen.getByRole('button', { name: 'Forward one frame' }));
    expect(leader.currentTime).toBe(0.2);
    await fireEvent.click(screen.getByRole('button', { name: 'Forward one second' }));
    expect(leader.currentTime).toBe(1.2);
    expect(screen.getByTestId('frame-step').textContent).toBe('frame 13 of 77 (source, 10 fps)');
    expect(screen.getByTestId('original-readout').textContent).toBe('00:01.200 · frame 37/231 · source frame 13 at 10 fps');
    await fireEvent.click(screen.getByRole('button', { name: 'Back one frame' }));
    expect(leader.currentTime).toBe(1.1);
  });

  it('plays and pauses both, and the follower keeps to the leader during playback', async () => {
    const { container } = setup();
    const { leader, follower } = await players(container);
    await fireEvent.input(screen.getByLabelText('Position in the original video'), { target: { value: '1.5' } });
    await key(' ');
    expect(leader.paused).toBe(false);
    expect(follower.paused).toBe(false);
    expect(screen.getByRole('button', { name: 'Pause' })).toBeTruthy();
    // the leader moved on and the follower fell behind: it is re-seeked at the next tick
    leader.currentTime = 2.4;
    follower.currentTime = 0.9;
    await fireEvent(leader, new Event('timeupdate'));
    expect(follower.currentTime).toBeCloseTo(1.4, 9);
    // a small lag is closed by a faster rate
    leader.currentTime = 2.5;
    follower.currentTime = 1.45;
    await fireEvent(leader, new Event('timeupdate'));
    expect(follower.playbackRate).toBeCloseTo(1.05, 9);
    leader.currentTime = 2.6;
    await key('k');
    expect(leader.paused).toBe(true);
    expect(follower.paused).toBe(true);
    expect(follower.currentTime).toBeCloseTo(1.6, 9);
    expect(follower.playbackRate).toBe(1);
    expect(screen.getByRole('button', { name: 'Play' })).toBeTruthy();
  });

  it('J/K/L change the speed of both players; J steps back when paused', async () => {
    const { container } = setup();
    const { leader, follower } = await players(container);
    await fireEvent.input(screen.getByLabelText('Position in the original video'), { target: { value: '2' } });
    await key('l');
    expect(leader.paused).toBe(false);
    expect(leader.playbackRate).toBe(1);
    await key('l');
    expect(leader.playbackRate).toBe(2);
    expect(follower.playbackRate).toBe(2);
    await key('l');
    expect(leader.playbackRate).toBe(4);
    await key('j');
    expect(leader.playbackRate).toBe(2);
    await key('K');
    expect(leader.paused).toBe(true);
    expect(follower.paused).toBe(true);
    const before = leader.currentTime;
    await key('j');
    expect(leader.currentTime).toBeCloseTo(before - 1 / 30, 9);
    expect((screen.getByRole('combobox', { name: 'Speed' }) as HTMLSelectElement).value).toBe('2');
  });

  it('sets and clears a loop, toggles the shortcut list, and ignores keys typed into a field', async () => {
    const { container } = setup();
    const { leader } = await players(container);
    await key('ArrowRight', { shiftKey: true });
    await key('[');
    await key('ArrowRight', { shiftKey: true });
    await key(']');
    expect(screen.getByTestId('loop').textContent).toBe('Loop 00:01.000–00:02.000');
    await key('\\');
    expect(screen.getByTestId('loop').textContent).toBe('No loop');
    await key('?');
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeTruthy();
    expect(screen.getByText('Paused: one frame back (hold to keep stepping). Playing: slower (4x, 2x, 1x, 0.5x, 0.25x)')).toBeTruthy();
    await key('?');
    expect(screen.queryByRole('dialog')).toBeNull();
    const select = screen.getByLabelText('Patient') as HTMLSelectElement;
    await fireEvent.keyDown(select, { key: 'ArrowRight' });
    await fireEvent.keyDown(select, { key: ' ' });
    expect(leader.currentTime).toBeCloseTo(2, 9);
    expect(leader.paused).toBe(true);
  });

  it('draws overlays on the clock frame, toggleable', async () => {
    const { container } = setup();
    await players(container);
    await key('ArrowRight');
    expect(container.querySelector('canvas.overlay')!.getAttribute('data-frame')).toBe('1');
    const boxes = screen.getByLabelText('Boxes and ids of every person') as HTMLInputElement;
    expect(boxes.checked).toBe(true);
    await fireEvent.click(boxes);
    expect(boxes.checked).toBe(false);
    expect(screen.getByText('id 2').closest('li')!.textContent).toContain('patient');
  });

  it('exposes the clock in the classified clip time for the panels below', async () => {
    const { container } = setup();
    await players(container);
    const below = container.querySelector('section.review-below')!;
    await fireEvent.input(screen.getByLabelText('Position in the original video'), { target: { value: '5.5' } });
    expect(Number(below.getAttribute('data-classified-time'))).toBeCloseTo(2.5, 9);
    await fireEvent.input(screen.getByLabelText('Position in the original video'), { target: { value: '4' } });
    expect(below.getAttribute('data-classified-time')).toBe('');
  });

  it('places the score timeline, verdict and assessments below, and a clip chosen on the timeline seeks both players', async () => {
    const { container } = setup();
    const { leader, follower } = await players(container);
    const below = container.querySelector('section.review-below')!;
    await waitFor(() => expect(below.textContent).toContain('tiny test model'));
    expect(below.textContent).toMatch(/Research only/i);
    const chart = screen.getByRole('listbox', { name: /Clip scores: 2 clips/ });
    chart.focus();
    await fireEvent.keyDown(chart, { key: 'End' });
    await fireEvent.keyDown(chart, { key: 'Enter' });
    // clip 2 starts 2 s into the person-centred clip: the second segment starts at 5 s of the original
    await waitFor(() => expect(leader.currentTime).toBeCloseTo(5, 9));
    expect(follower.currentTime).toBeCloseTo(2, 9);
  });

  it('explains the screening verdict of the video’s patient beside the model verdict', async () => {
    const { calls } = setup({ 'screening.explain': () => ({ explanation: fakeExplanation(), reason: null, missing: null }) });
    const card = await screen.findByRole('region', { name: 'Screening by posture measures' });
    await within(card).findByText('Trunk lean 14.0 deg, norm 6.0 ± 3.0 deg: +2.7 SD');
    expect(calls.filter((c) => c.method === 'screening.explain').map((c) => c.request)).toEqual([{ code: 'WS-0001' }]);
    expect(card.closest('.verdicts')?.querySelector('h3')?.textContent).toBe('Model verdict');
  });

  it('re-runs stage 1 with another person, shows its progress and reloads when done', async () => {
    const { container, calls, jobs } = setup();
    await players(container);
    await fireEvent.change(screen.getByLabelText('Patient'), { target: { value: '1' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Re-run stage 1 with this person' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'analyses.run')).toBe(true));
    expect(calls.find((c) => c.method === 'analyses.run')!.request).toEqual({ videoIds: [3], scope: 'all', stage1: { patient: 1, mode: 'pad', size: 512 } });
    jobs.apply(job({ status: 'running', progress: 0.5, message: 'Finding people: frame 100 of 231', messagePhrase: { key: 'jobs.progress.findingPeople', vars: { done: 100, total: 231 } }, etaSec: 20 }));
    const bar = await screen.findByRole('progressbar', { name: 'Progress of stage 1 for this video' });
    expect(bar.getAttribute('aria-valuenow')).toBe('50');
    expect(screen.getByText('Stage 1 is running: Finding people: frame 100 of 231')).toBeTruthy();
    const loads = calls.filter((c) => c.method === 'analyses.stage1').length;
    jobs.apply(job({ status: 'done', progress: 1, message: 'Done' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'analyses.stage1').length).toBe(loads + 1));
  });

  it('works with the original alone before stage 1, and starts stage 1 from the screen', async () => {
    const { container, calls } = setup({ 'analyses.stage1': () => null, 'analyses.tracks': () => null, 'analyses.stage2': () => null });
    await screen.findByText('No person-centred clip yet');
    expect(container.querySelector('video[data-role="clip"]')).toBeNull();
    const leader = container.querySelector('video[data-role="original"]') as HTMLVideoElement;
    await waitFor(() => expect(screen.getByTestId('clock').textContent).toBe('00:00.000'));
    await key('ArrowRight');
    await key('ArrowRight');
    expect(leader.currentTime).toBeCloseTo(2 / 30, 9);
    expect((screen.getByLabelText('Boxes and ids of every person') as HTMLInputElement).disabled).toBe(true);
    await fireEvent.click(screen.getByRole('button', { name: 'Make the person-centred clip' }));
    await waitFor(() => expect(calls.find((c) => c.method === 'analyses.run')?.request).toEqual({ videoIds: [3], scope: 'all', stage1: { patient: 'walker', mode: 'pad', size: 512 } }));
  });

  it('sends a person-centred clip back to the review of its original', async () => {
    render(ReviewView, {
      // a clip with no analyses of its own: every list is empty, every other lookup returns the clip
      client: { call: async (method: string) => (method.endsWith('.list') ? [] : clip), videoUrl: () => '', on: () => () => {} } as unknown as WalkScopeClient,
      jobs: { jobs: [], apply: () => {}, onUpdate: () => () => {} } as unknown as JobsState,
      videoId: 8,
    });
    const link = await screen.findByRole('link', { name: 'open the review of video 3' });
    expect(link.getAttribute('href')).toBe('#/videos/3/review');
  });

  it('chooses a person by clicking their box on the original', async () => {
    const { container } = setup();
    await players(container);
    // the click lands on the zoom's wrapper of the video and its overlays
    const stage = container.querySelector('figure.original .stage [data-part="zoom"]') as HTMLElement;
    stage.getBoundingClientRect = () => ({ left: 0, top: 0, right: 640, bottom: 360, width: 640, height: 360, x: 0, y: 0, toJSON: () => ({}) });
    // frame 0: track 1's box is x 10-100, y 10-300 in 1280x720 pixels, shown at half size
    await fireEvent.click(stage, { clientX: 30, clientY: 50 });
    await waitFor(() => expect((screen.getByLabelText('Patient') as HTMLSelectElement).value).toBe('1'));
    expect((screen.getByRole('button', { name: 'Re-run stage 1 with this person' }) as HTMLButtonElement).disabled).toBe(false);
  });
});

describe('the selected person, on the video and in the list at once', () => {
  const row = (id: number) => document.querySelector(`li[data-track="${id}"]`) as HTMLLIElement;
  const canvas = () => document.querySelector('canvas.overlay') as HTMLCanvasElement;

  it('a click on a box highlights its row, a click on a row highlights its box, a click on nobody clears both', async () => {
    const { container } = setup();
    const { leader } = await players(container);
    expect(canvas().getAttribute('data-selected')).toBe('');
    expect(container.querySelectorAll('li.selected')).toHaveLength(0);
    // the click lands on the zoom's wrapper of the video and its overlays
    const stage = container.querySelector('figure.original .stage [data-part="zoom"]') as HTMLElement;
    stage.getBoundingClientRect = () => ({ left: 0, top: 0, right: 640, bottom: 360, width: 640, height: 360, x: 0, y: 0, toJSON: () => ({}) });
    // frame 0: track 1's box is x 10-100, y 10-300 in 1280x720 pixels, shown at half size
    await fireEvent.click(stage, { clientX: 30, clientY: 50 });
    expect(canvas().getAttribute('data-selected')).toBe('1');
    expect(row(1).classList.contains('selected')).toBe(true);
    expect(row(1).getAttribute('aria-current')).toBe('true');
    expect(row(2).classList.contains('selected')).toBe(false);
    expect(row(2).getAttribute('aria-current')).toBeNull();
    // track 2 (the patient) has no box on frame 0: its row goes to where it first appears (1 s)
    await fireEvent.click(within(row(2)).getByRole('button', { name: 'id 2' }));
    expect(canvas().getAttribute('data-selected')).toBe('2');
    expect(leader.currentTime).toBe(1);
    expect(canvas().getAttribute('data-frame')).toBe('30');
    expect(row(2).classList.contains('selected')).toBe(true);
    expect(row(1).classList.contains('selected')).toBe(false);
    expect(within(row(2)).getByRole('button', { name: 'id 2' }).getAttribute('title')).toBe('Highlight track 2 on the video (goes to where it first appears when it is not on this frame)');
    // a click on the rest of the row selects too; on a frame where the track has a box it stays there
    await fireEvent.click(screen.getByRole('button', { name: 'Forward one frame' }));
    await fireEvent.click(row(2).querySelector('.muted')!);
    expect(leader.currentTime).toBeCloseTo(31 / 30, 9);
    // the patient is selected, not chosen to become the patient
    expect((screen.getByLabelText('Patient') as HTMLSelectElement).value).toBe('1');
    await fireEvent.click(stage, { clientX: 600, clientY: 350 });
    expect(canvas().getAttribute('data-selected')).toBe('');
    expect(container.querySelectorAll('li.selected')).toHaveLength(0);
  });

  it('scrolls the list (not the page) to the row of a person clicked on the video', async () => {
    const { container } = setup();
    await players(container);
    const list = row(1).parentElement as HTMLUListElement;
    // a list 30 px high scrolled to its top, track 1's row 20 px high at 40 px: below the view
    Object.defineProperty(list, 'clientHeight', { configurable: true, value: 30 });
    Object.defineProperty(row(1), 'offsetTop', { configurable: true, value: 40 });
    Object.defineProperty(row(1), 'offsetHeight', { configurable: true, value: 20 });
    list.scrollTop = 0;
    // the click lands on the zoom's wrapper of the video and its overlays
    const stage = container.querySelector('figure.original .stage [data-part="zoom"]') as HTMLElement;
    stage.getBoundingClientRect = () => ({ left: 0, top: 0, right: 640, bottom: 360, width: 640, height: 360, x: 0, y: 0, toJSON: () => ({}) });
    await fireEvent.click(stage, { clientX: 30, clientY: 50 });
    await waitFor(() => expect(list.scrollTop).toBe(30));
  });
});

describe('the review screen in Japanese', () => {
  it('draws its words from the Japanese catalogue', async () => {
    const { setLanguage } = await import('../../../../src-renderer/lib/i18n.svelte.js');
    setLanguage('ja');
    try {
      const { container } = setup();
      await players(container);
      expect(screen.getByLabelText('元動画内の位置')).toBeTruthy();
      expect(screen.getByText('元動画への表示')).toBeTruthy();
      expect(screen.getByText('フレーム上で計測')).toBeTruthy();
      expect(screen.getByText('モデルの判定')).toBeTruthy();
      expect(screen.getByText('医師の評価')).toBeTruthy();
      expect(screen.getByText('クリップスコア')).toBeTruthy();
      expect(screen.getByRole('button', { name: '再生' })).toBeTruthy();
      expect(screen.queryByText('Clip scores')).toBeNull();
    } finally {
      setLanguage('en');
    }
  });
});
