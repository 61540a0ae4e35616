import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import ScoreTimeline from '../../../../src-renderer/views/review/ScoreTimeline.svelte';
import { classifiedAxis } from '../../../../src-renderer/lib/review/classifiedAxis.js';
import { ClipTimeline } from '../../../../src-renderer/lib/review/clipTimeline.js';

// In jsdom nothing is laid out, so the chart uses its 960 px fallback width: the plot spans
// x 48..848 (800 px) and y 20..140 (120 px). With an 8 s video that is 100 px per second.
const clips = [
  { index: 0, startSec: 0, endSec: 2, probabilityAsd: 0.25 },
  { index: 1, startSec: 1, endSec: 3, probabilityAsd: 0.75 },
  { index: 2, startSec: 4, endSec: 6, probabilityAsd: 0.5 },
];

const attrs = (el: Element, ...names: string[]) => names.map((n) => Number(el.getAttribute(n)));

function renderTimeline(currentSec = 2.5) {
  const onSeek = vi.fn();
  const result = render(ScoreTimeline, { clips, threshold: 0.5, durationSec: 8, currentSec, onSeek });
  return { ...result, onSeek, chart: screen.getByRole('listbox', { name: /Clip scores: 3 clips, threshold 0.50/ }) };
}

afterEach(cleanup);

describe('the score timeline', () => {
  it('draws one bar per clip, overlapping clips sharing the time between them, coloured by the call', () => {
    renderTimeline();
    const bars = screen.getAllByRole('option');
    expect(bars).toHaveLength(3);
    expect(bars.map((b) => attrs(b, 'x', 'y', 'width', 'height'))).toEqual([
      [48, 110, 150, 30],
      [198, 50, 150, 90],
      [448, 80, 200, 60],
    ]);
    expect(bars.map((b) => b.getAttribute('class')?.split(' ').filter((c) => c === 'asd' || c === 'non'))).toEqual([['non'], ['asd'], ['asd']]);
    expect(bars[0]!.getAttribute('aria-label')).toBe('Clip 1, 0.00 s to 2.00 s, P(ASD) 0.25, below the threshold');
    expect(bars[2]!.getAttribute('aria-label')).toBe('Clip 3, 4.00 s to 6.00 s, P(ASD) 0.50, at or above the threshold');
  });

  it('draws the labelled threshold line and the y axis from 0 to 1', () => {
    const { container } = renderTimeline();
    const threshold = container.querySelector('[data-part="threshold"]')!;
    expect(attrs(threshold.querySelector('line')!, 'x1', 'x2', 'y1', 'y2')).toEqual([48, 848, 80, 80]);
    expect(threshold.textContent).toBe('threshold 0.50');
    const yLabels = [...container.querySelectorAll('text.ylabel')];
    expect(yLabels.map((t) => t.textContent)).toEqual(['0', '0.25', '0.5', '0.75', '1']);
    expect(yLabels.map((t) => Number(t.getAttribute('y')))).toEqual([144, 114, 84, 54, 24]);
    expect([...container.querySelectorAll('text.xlabel')].map((t) => t.textContent)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8']);
  });

  it('puts the cursor at the playback time and follows it', async () => {
    const { container, rerender } = renderTimeline(2.5);
    const cursorLine = () => container.querySelector('[data-part="cursor"] line')!;
    expect(attrs(cursorLine(), 'x1', 'x2')).toEqual([298, 298]);
    expect(container.querySelector('rect.playing')?.getAttribute('aria-label')).toMatch(/^Clip 2,/);
    expect(screen.getByText(/At 2.50 s: Clip 2/)).toBeTruthy();
    await rerender({ currentSec: 7 });
    expect(attrs(cursorLine(), 'x1', 'x2')).toEqual([748, 748]);
    expect(container.querySelector('rect.playing')).toBeNull();
    expect(screen.getByText('At 7.00 s: no clip covers this moment.')).toBeTruthy();
  });

  it('seeks to the clicked time', async () => {
    const { chart, onSeek } = renderTimeline();
    await fireEvent.click(chart, { clientX: 548 });
    expect(onSeek).toHaveBeenCalledWith(5);
    await fireEvent.click(chart, { clientX: 123 });
    expect(onSeek).toHaveBeenLastCalledWith(0.75);
    await fireEvent.click(chart, { clientX: 2000 }); // beyond the plot: the end
    expect(onSeek).toHaveBeenLastCalledWith(8);
  });

  it('moves between clips with the arrow keys and seeks to the chosen clip start with Enter', async () => {
    const { chart, onSeek } = renderTimeline(2.5);
    expect(chart.getAttribute('tabindex')).toBe('0');
    chart.focus();
    await fireEvent.keyDown(chart, { key: 'ArrowRight' }); // starts from the clip under the cursor
    const selected = () => screen.getAllByRole('option').findIndex((b) => b.getAttribute('aria-selected') === 'true');
    expect(selected()).toBe(1);
    await fireEvent.keyDown(chart, { key: 'ArrowRight' });
    expect(selected()).toBe(2);
    await fireEvent.keyDown(chart, { key: 'ArrowRight' }); // stays on the last
    expect(selected()).toBe(2);
    expect(chart.getAttribute('aria-activedescendant')).toBe(screen.getAllByRole('option')[2]!.id);
    await fireEvent.keyDown(chart, { key: 'Enter' });
    expect(onSeek).toHaveBeenLastCalledWith(4);
    await fireEvent.keyDown(chart, { key: 'ArrowLeft' });
    await fireEvent.keyDown(chart, { key: 'Enter' });
    expect(onSeek).toHaveBeenLastCalledWith(1);
    await fireEvent.keyDown(chart, { key: 'Home' });
    await fireEvent.keyDown(chart, { key: 'Enter' });
    expect(onSeek).toHaveBeenLastCalledWith(0);
    expect(screen.getByText('Clip 1, 0.00 s to 2.00 s, P(ASD) 0.25, below the threshold. Press Enter to seek to its start.')).toBeTruthy();
    expect(onSeek).toHaveBeenCalledTimes(3);
  });

  it('keeps the keys it handles from the review screen’s own shortcuts, and leaves Space to them', async () => {
    const { chart, onSeek } = renderTimeline(2.5);
    const seen: string[] = [];
    const listener = (e: KeyboardEvent) => seen.push(e.key);
    window.addEventListener('keydown', listener);
    try {
      for (const key of ['ArrowRight', 'ArrowLeft', 'Home', 'End', 'Enter', ' ', 'k']) await fireEvent.keyDown(chart, { key });
    } finally {
      window.removeEventListener('keydown', listener);
    }
    expect(seen).toEqual([' ', 'k']);
    expect(onSeek).toHaveBeenCalledTimes(1);
  });

  it('says what to do when there are no clips', () => {
    render(ScoreTimeline, { clips: [], threshold: 0.5, durationSec: 8, currentSec: 0, onSeek: vi.fn() });
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(screen.getByText(/No clip scores for this video yet/).textContent).toBe(
      'No clip scores for this video yet. Run stage 2 (Classify on the patient page) to see each clip’s P(ASD) here.',
    );
  });

  it('draws the person-centred clip’s scores on the original’s time: gaps left out, the cursor and clicks on the clock', async () => {
    // the patient in view at 1-3 s and 5-7 s of an 8 s original: the clip is those 4 s back to back
    const axis = classifiedAxis({ classifiedVideoId: 8, originalVideoId: 3, clipVideoId: 8 }, new ClipTimeline([{ startFrame: 30, endFrame: 89 }, { startFrame: 150, endFrame: 209 }]));
    const onSeek = vi.fn();
    const onClip = [
      { index: 0, startSec: 0, endSec: 2, probabilityAsd: 0.25 },
      { index: 1, startSec: 1, endSec: 3, probabilityAsd: 0.75 },
      { index: 2, startSec: 2, endSec: 4, probabilityAsd: 0.5 },
    ];
    const { container } = render(ScoreTimeline, { clips: onClip, threshold: 0.5, durationSec: 8, currentSec: 5.2, onSeek, axis });
    // own shares of the clip's time 0-1.5, 1.5-2.5 and 2.5-4 s are 1-2.5 s, 2.5-3 s + 5-5.5 s and 5.5-7 s of the original
    const bars = screen.getAllByRole('option');
    expect(bars.map((b) => attrs(b, 'x', 'width'))).toEqual([
      [148, 150],
      [298, 50],
      [598, 150],
    ]);
    expect([...container.querySelectorAll('rect.bar.more')].map((b) => attrs(b, 'x', 'y', 'width', 'height'))).toEqual([[548, 50, 50, 90]]);
    expect(bars[1]!.getAttribute('aria-label')).toBe('Clip 2, 2.00 s to 6.00 s, P(ASD) 0.75, at or above the threshold');
    expect(container.querySelector('[data-part="mapped"]')?.textContent).toBe('Scores of the person-centred clip, placed on the original video’s time; gaps are where the patient is out of view.');
    // 5.2 s of the original is 2.2 s of the clip: clip 2
    expect(attrs(container.querySelector('[data-part="cursor"] line')!, 'x1')).toEqual([568]);
    expect(container.querySelector('rect.playing[role="option"]')?.getAttribute('aria-label')).toMatch(/^Clip 2,/);
    expect(screen.getByText(/At 5.20 s: Clip 2/)).toBeTruthy();
    const chart = screen.getByRole('listbox');
    await fireEvent.click(chart, { clientX: 448 }); // 4 s: the patient out of view, still a place to seek to
    expect(onSeek).toHaveBeenLastCalledWith(4);
    chart.focus();
    await fireEvent.keyDown(chart, { key: 'End' });
    await fireEvent.keyDown(chart, { key: 'Enter' });
    expect(onSeek).toHaveBeenLastCalledWith(5); // clip 3 starts 2 s into the clip: 5 s of the original
  });
});
