import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import ReviewView from '../../../../src-renderer/views/review/ReviewView.svelte';
import { JobsState } from '../../../../src-renderer/lib/state/jobs.svelte.js';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import type { Job } from '../../../../src-main/contract/entities.js';
import { measurementFramesSchema, videoMeasurementsSchema } from '../../../../src-main/contract/measurements.js';
import { formatMeasure, kinematicsSizes } from '../../../../src-renderer/lib/review/kinematicsChart.js';
import { clip, job, original, stage1, stage2, tracks, useFakeMediaClocks } from '../../../helpers/reviewFixtures.js';
import { fixtureValues, footContacts, frontalOnly, measurementFrames, measurements, unsureFrame } from '../../../helpers/measurementFixtures.js';

// jsdom has no media pipeline: each <video> gets a fake clock (time, paused, rate) the tests move by hand.
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
  await waitFor(() => expect(screen.getByTestId('clock').textContent).toBe('00:00.000'));
  return { leader, follower };
}

const seekTo = (sec: number) => fireEvent.input(screen.getByLabelText('Position in the original video'), { target: { value: String(sec) } });
const chart = () => screen.findByRole('listbox', { name: /^Kinematics over time/ });
const numbers = (el: Element, ...names: string[]) => names.map((n) => Number(el.getAttribute(n)));

// In jsdom nothing is laid out, so the chart is 960 px wide: the plot spans x 48..880 (832 px)
// for the 7.7 s original, and timeline frame f is at f / 30 s.
const plotLeft = kinematicsSizes.marginLeft;
const plotWidth = 960 - kinematicsSizes.marginLeft - kinematicsSizes.marginRight;
const xOfFrame = (f: number) => Math.round((plotLeft + (f / 30 / 7.7) * plotWidth) * 100) / 100;

describe('the synthetic measurement fixture', () => {
  it('is what the contract carries', () => {
    expect(() => videoMeasurementsSchema.parse(measurements)).not.toThrow();
    expect(() => videoMeasurementsSchema.parse(frontalOnly)).not.toThrow();
    expect(() => measurementFramesSchema.parse(measurementFrames)).not.toThrow();
  });
});

describe('the kinematics panel', () => {
  it('shows the gait and the video summary of the five sagittal measures with their labels and units', async () => {
    setup();
    await chart();
    expect(screen.getByTestId('cadence').textContent).toBe('108.0 steps/min');
    expect(screen.getByTestId('asymmetry').textContent).toBe('4.0 % (left steps longer)');
    const summary = screen.getByRole('table', { name: 'Video summary: the mean over its sagittal 1 s segments' });
    const rows = [...summary.querySelectorAll('tbody tr')];
    expect(rows.map((r) => r.querySelector('th')!.textContent)).toEqual(['Trunk lean', 'Head-forward posture', 'Shoulder-hip offset', 'Maximum hip flexion', 'Hip range of motion']);
    const trunk = measurements.summary.measures.trunkLean!;
    expect([...rows[0]!.querySelectorAll('td')].map((td) => td.textContent)).toEqual([formatMeasure(trunk.mean, 'deg'), formatMeasure(trunk.sd, 'deg'), '3']);
    const offset = measurements.summary.measures.shoulderHipOffset!;
    expect(rows[2]!.querySelector('td')!.textContent).toBe(`${offset.mean.toFixed(2)} trunk lengths`);
  });

  it('draws a line chart per per-frame measure, broken where a frame was not measured', async () => {
    const { container } = setup();
    const svg = await chart();
    expect(svg.getAttribute('aria-label')).toBe('Kinematics over time: 8 measures, 4 segments, 6 foot contacts. Arrow keys choose a segment, Enter seeks to its start.');
    const rows = [...container.querySelectorAll('g.row')];
    expect(rows.map((r) => r.getAttribute('data-measure'))).toEqual([
      'trunkLean', 'headForward', 'shoulderHipOffset', 'craniovertebralAngle', 'hipFlexionLeft', 'hipFlexionRight', 'kneeFlexionLeft', 'kneeFlexionRight',
    ]);
    expect(rows[0]!.querySelector('text.row-label')!.textContent).toBe('Trunk lean (°)');
    expect(rows[2]!.querySelector('text.row-label')!.textContent).toBe('Shoulder-hip offset (trunk lengths)');
    const d = rows[0]!.querySelector('path.series')!.getAttribute('d')!;
    // frames 30-44, 46-89 (frame 45 unsure) and 180-209 (150-179 seen from the front): three runs, a point per frame
    expect(d.match(/M/g)).toHaveLength(3);
    expect(d.split(/[ML]/).filter((s) => s.trim()).length).toBe(15 + 44 + 30);
    expect(d.startsWith(`M ${xOfFrame(30)} `)).toBe(true);
    expect(fixtureValues(unsureFrame).trunkLean).toBeNull();
  });

  it('marks the foot contacts, left and right apart, and the 1 s segments, the one seen from the front shaded and named', async () => {
    const { container } = setup();
    const svg = await chart();
    const left = [...container.querySelectorAll('line.contact.left')];
    const right = [...container.querySelectorAll('line.contact.right')];
    expect(left.map((l) => Number(l.getAttribute('data-frame')))).toEqual(footContacts.filter((c) => c.side === 'left').map((c) => c.frame));
    expect(right.map((l) => Number(l.getAttribute('data-frame')))).toEqual([49, 82, 201]);
    expect(numbers(left[0]!, 'x1', 'x2')).toEqual([xOfFrame(33), xOfFrame(33)]);
    // left contacts in the upper half of their row, right ones in the lower half
    expect(Number(left[0]!.getAttribute('y2'))).toBeLessThan(Number(right[0]!.getAttribute('y1')));
    const bands = within(svg).getAllByRole('option');
    expect(bands.map((b) => b.getAttribute('data-view'))).toEqual(['sagittal', 'sagittal', 'frontal', 'sagittal']);
    expect(numbers(bands[2]!, 'x', 'width')).toEqual([xOfFrame(150), Math.round((xOfFrame(180) - xOfFrame(150)) * 100) / 100]);
    expect(bands[2]!.getAttribute('class')).not.toContain('sagittal');
    expect([...container.querySelectorAll('text.view-name')].map((t) => t.textContent)).toEqual(['frontal']);
    expect(bands[2]!.getAttribute('aria-label')).toBe('Segment 3, 5.00 s to 6.00 s, frontal (seen from the front), 100 % of frames confident');
    expect([...container.querySelectorAll('g.boundaries line')].map((l) => Number(l.getAttribute('x1')))).toEqual([30, 60, 90, 150, 180, 210].map(xOfFrame));
  });

  it('keeps its cursor on the clock, and says which segment is playing with its values', async () => {
    const { container } = setup();
    await players(container);
    await chart();
    const cursor = () => Number(container.querySelector('.kinematics [data-part="cursor"] line')!.getAttribute('x1'));
    expect(cursor()).toBe(plotLeft);
    expect(screen.getByTestId('segment-readout').textContent).toContain('At 0.00 s: no measured segment covers this moment.');
    await seekTo(2);
    expect(cursor()).toBe(xOfFrame(60));
    const readout = screen.getByTestId('segment-readout');
    expect(readout.textContent).toContain('At 2.00 s: Segment 2, 2.00 s to 3.00 s, sagittal (seen from the side), walking to the right, 100 % of frames confident.');
    const trunk = measurements.segments[1]!.stats.trunkLean!;
    const row = [...readout.querySelectorAll('tbody tr')].find((r) => r.querySelector('th')!.textContent === 'Trunk lean')!;
    expect([...row.querySelectorAll('td')].map((td) => td.textContent)).toEqual([trunk.mean, trunk.sd, trunk.min, trunk.max].map((v) => formatMeasure(v, 'deg')).concat(String(trunk.n)));
    await seekTo(5.5);
    expect(cursor()).toBe(xOfFrame(165));
    expect(readout.textContent).toContain('Segment 3, 5.00 s to 6.00 s, frontal (seen from the front), 100 % of frames confident. Seen from the front: no sagittal measures.');
    expect(readout.querySelector('table')).toBeNull();
  });

  it('shows a segment’s mean, SD, min and max with units on hover', async () => {
    setup();
    const svg = await chart();
    svg.getBoundingClientRect = () => ({ left: 0, top: 0, right: 960, bottom: 400, width: 960, height: 400, x: 0, y: 0, toJSON: () => ({}) });
    await fireEvent.mouseMove(svg, { clientX: xOfFrame(40), clientY: 50 });
    const readout = screen.getByTestId('segment-readout');
    expect(readout.textContent).toMatch(/^Segment 1, 1\.00 s to 2\.00 s, sagittal \(seen from the side\), walking to the right, 97 % of frames confident\./);
    const offset = measurements.segments[0]!.stats.shoulderHipOffset!;
    const row = [...readout.querySelectorAll('tbody tr')].find((r) => r.querySelector('th')!.textContent === 'Shoulder-hip offset')!;
    expect(row.querySelectorAll('td')[2]!.textContent).toBe(`${offset.min.toFixed(2)} trunk lengths`);
    await fireEvent.mouseLeave(svg);
    expect(readout.textContent).toContain('At 0.00 s: no measured segment covers this moment.');
  });

  it('seeks both players with a click, and with the keyboard as the score timeline does', async () => {
    const { container } = setup();
    const { leader, follower } = await players(container);
    const svg = await chart();
    svg.getBoundingClientRect = () => ({ left: 0, top: 0, right: 960, bottom: 400, width: 960, height: 400, x: 0, y: 0, toJSON: () => ({}) });
    // 5.5 s of the original is frame 165, in the patient's second stretch: 2.5 s into the person-centred clip
    await fireEvent.click(svg, { clientX: xOfFrame(165) + 0.2, clientY: 50 });
    expect(leader.currentTime).toBeCloseTo(5.5, 9);
    expect(follower.currentTime).toBeCloseTo(2.5, 9);
    expect(within(svg).getAllByRole('option')[2]!.getAttribute('aria-selected')).toBe('true');

    svg.focus();
    await fireEvent.keyDown(svg, { key: 'ArrowRight' });
    // the arrow chose the next segment: it did not step the players
    expect(leader.currentTime).toBeCloseTo(5.5, 9);
    expect(svg.getAttribute('aria-activedescendant')).toBe(within(svg).getAllByRole('option')[3]!.id);
    expect(screen.getByTestId('segment-readout').textContent).toContain('Segment 4, 6.00 s to 7.00 s, sagittal (seen from the side), walking to the left, 100 % of frames confident. Press Enter to seek to its start.');
    await fireEvent.keyDown(svg, { key: 'Home' });
    await fireEvent.keyDown(svg, { key: 'Enter' });
    expect(leader.currentTime).toBeCloseTo(1, 9);
    expect(follower.currentTime).toBeCloseTo(0, 9);
  });

  it('says in words when the video is not measured yet', async () => {
    setup({ 'measurements.get': () => null, 'measurements.frames': () => null });
    expect((await screen.findByTestId('kinematics-empty')).textContent).toMatch(/^Not measured yet\./);
    expect(screen.queryByRole('listbox', { name: /^Kinematics/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'per frame' })).toBeNull();
    expect((screen.getByLabelText('Trunk line and its angle') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByText('No measurements yet: the angles appear once the video is measured.')).toBeTruthy();
  });

  it('says in words when the patient is seen from the front only', async () => {
    const series = { frames: measurementFrames.series.frames, values: { trunkLean: measurementFrames.series.frames.map(() => null) } };
    setup({ 'measurements.get': () => frontalOnly, 'measurements.frames': () => ({ ...measurementFrames, series }) });
    expect((await screen.findByTestId('kinematics-empty')).textContent).toBe('The patient is seen from the front in this video: no sagittal measures.');
    expect(screen.queryByRole('listbox', { name: /^Kinematics/ })).toBeNull();
    expect(screen.getByTestId('cadence').textContent).toBe('not measurable');
    const summary = screen.getByRole('table', { name: /^Video summary/ });
    expect([...summary.querySelectorAll('tbody td')].map((td) => td.textContent)).toEqual(Array(5).fill('not measured'));
  });

  it('exports the CSV per frame and per segment as a download', async () => {
    const created: Blob[] = [];
    vi.stubGlobal('URL', Object.assign(Object.create(URL), { createObjectURL: (b: Blob) => (created.push(b), 'blob:csv'), revokeObjectURL: () => {} }));
    const clicked: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    const { calls } = setup({ 'measurements.export': (r) => ({ fileName: `walkscope-measurements-walk-${r.level}s.csv`, mimeType: 'text/csv', contentBase64: btoa('frame,time_s\n') }) });
    await chart();
    await fireEvent.click(screen.getByRole('button', { name: 'per frame' }));
    await waitFor(() => expect(clicked).toEqual(['walkscope-measurements-walk-frames.csv']));
    await fireEvent.click(screen.getByRole('button', { name: 'per segment' }));
    await waitFor(() => expect(clicked).toHaveLength(2));
    expect(calls.filter((c) => c.method === 'measurements.export').map((c) => c.request)).toEqual([{ videoId: 3, level: 'frame' }, { videoId: 3, level: 'segment' }]);
    expect(created[0]!.type).toBe('text/csv');
    click.mockRestore();
  });

  it('downloads the de-identified clip of the video, and says why when it cannot be made', async () => {
    vi.stubGlobal('URL', Object.assign(Object.create(URL), { createObjectURL: () => 'blob:clip', revokeObjectURL: () => {} }));
    const clicked: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    let refuse = false;
    const { calls } = setup({
      'videos.exportDeidentified': (r) => {
        if (refuse) throw Object.assign(new Error('The de-identified copy of walk.mp4 (video 3) cannot be made yet: the faces to blur are found by the analysis (stage 1). Analyse the video first.'), { code: 'DEIDENTIFY_NEEDS_ANALYSIS' });
        return { fileName: `walkscope-video-${r.id}-deidentified.mp4`, mimeType: 'video/mp4', contentBase64: btoa('mp4'), frames: 10, blurredFrames: 9 };
      },
    });
    await chart();
    await fireEvent.click(screen.getByRole('button', { name: 'De-identified clip' }));
    await waitFor(() => expect(clicked).toEqual(['walkscope-video-3-deidentified.mp4']));
    expect(calls.filter((c) => c.method === 'videos.exportDeidentified').map((c) => c.request)).toEqual([{ id: 3 }]);
    refuse = true;
    await fireEvent.click(screen.getByRole('button', { name: 'De-identified clip' }));
    await waitFor(() => expect(screen.getByText(/The de-identified copy could not be made: .*Analyse the video first/)).toBeTruthy());
    click.mockRestore();
  });

  it('loads the measurements again when the measurement job of this video is done', async () => {
    const { calls, jobs } = setup();
    await chart();
    const loads = () => calls.filter((c) => c.method === 'measurements.get').length;
    const before = loads();
    // the contract's job kinds do not list 'measure' yet
    jobs.apply(job({ kind: 'measure', status: 'done', videoId: 4 }));
    jobs.apply(job({ kind: 'measure', status: 'running', videoId: 3 }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(loads()).toBe(before);
    jobs.apply(job({ kind: 'measure', status: 'done', videoId: 3 }));
    await waitFor(() => expect(loads()).toBe(before + 1));
  });
});

describe('the angle overlay on the original', () => {
  const figures = (container: HTMLElement) => [...container.querySelectorAll('svg.angles g.figure')].map((g) => `${g.getAttribute('data-measure')}=${g.querySelector('text')!.textContent}`);

  it('draws the trunk line with its value at the clock’s frame, and the other angles when switched on', async () => {
    const { container } = setup();
    await players(container);
    await waitFor(() => expect(container.querySelector('svg.angles')).not.toBeNull());
    const trunk = screen.getByLabelText('Trunk line and its angle') as HTMLInputElement;
    expect([trunk.checked, ...['Head line and its angle', 'Thigh angles', 'Knee angles'].map((l) => (screen.getByLabelText(l) as HTMLInputElement).checked)]).toEqual([true, false, false, false]);
    await seekTo(40 / 30);
    const v = fixtureValues(40);
    expect(container.querySelector('svg.angles')!.getAttribute('data-frame')).toBe('40');
    expect(figures(container)).toEqual([`trunkLean=${v.trunkLean!.toFixed(1)}°`]);
    await fireEvent.click(screen.getByLabelText('Thigh angles'));
    await fireEvent.click(screen.getByLabelText('Knee angles'));
    await fireEvent.click(screen.getByLabelText('Head line and its angle'));
    expect(figures(container)).toEqual([
      `trunkLean=${v.trunkLean!.toFixed(1)}°`,
      `headForward=${v.headForward!.toFixed(1)}°`,
      `hipFlexionLeft=${v.hipFlexionLeft!.toFixed(1)}°`,
      `kneeFlexionLeft=${v.kneeFlexionLeft!.toFixed(1)}°`,
      `hipFlexionRight=${v.hipFlexionRight!.toFixed(1)}°`,
      `kneeFlexionRight=${v.kneeFlexionRight!.toFixed(1)}°`,
    ]);
    await fireEvent.click(trunk);
    expect(figures(container)).not.toContain(`trunkLean=${v.trunkLean!.toFixed(1)}°`);
  });

  it('draws nothing without keypoints or measures, and says so on a frame seen from the front', async () => {
    const { container } = setup();
    await players(container);
    await waitFor(() => expect(container.querySelector('svg.angles')).not.toBeNull());
    await seekTo(100 / 30);
    expect(container.querySelector('svg.angles')!.children).toHaveLength(0);
    await seekTo(unsureFrame / 30);
    expect(container.querySelector('svg.angles')!.children).toHaveLength(0);
    await seekTo(160 / 30);
    expect(figures(container)).toEqual([]);
    expect(container.querySelector('svg.angles text.note')!.textContent).toBe('Seen from the front: no angles on this frame');
  });

  it('draws the vertical as the video’s vertical reference', async () => {
    const { container } = setup({ 'measurements.get': () => ({ ...measurements, verticalReferenceDeg: 5 }) });
    await players(container);
    await waitFor(() => expect(container.querySelector('svg.angles')).not.toBeNull());
    await seekTo(40 / 30);
    const ref = container.querySelector('svg.angles g.trunk line.reference')!;
    const [x1, y1, x2, y2] = numbers(ref, 'x1', 'y1', 'x2', 'y2');
    // the reference's upper end leans 5 degrees clockwise (to the right) of the image vertical
    expect((Math.atan2(x2! - x1!, y1! - y2!) * 180) / Math.PI).toBeCloseTo(5, 1);
    expect(screen.getByText(/angles against the drawn vertical reference \(5\.0° clockwise from the image vertical\)/)).toBeTruthy();
  });
});
