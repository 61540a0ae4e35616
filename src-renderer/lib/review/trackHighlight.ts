/**
 * How the overlay draws each person's box, with the selected track highlighted (see
 * views/review/trackSelection.svelte.ts), and how the list of people scrolls to its row.
 */
import { trackColour, type BoxAt } from './overlayGeometry.js';

export interface BoxStyle {
  colour: string;
  lineWidth: number;
  /** Canvas line dash: solid for the patient and the selected track, dashed for the others. */
  dash: number[];
  /** A white outline around the line, for the selected track. */
  halo: boolean;
}

export function boxStyle(box: BoxAt, selected: number | null): BoxStyle {
  const isSelected = selected !== null && box.id === selected;
  return {
    colour: trackColour(box.id, box.patient),
    lineWidth: isSelected ? 4 : box.patient ? 3 : 2,
    dash: isSelected || box.patient ? [] : [6, 4],
    halo: isSelected,
  };
}

/**
 * The boxes to draw, in drawing order: the selected track last (on top of everyone); the
 * others only while boxes are shown (the selected one even when they are hidden).
 */
export function boxesToDraw(boxes: readonly BoxAt[], selected: number | null, showBoxes: boolean): BoxAt[] {
  const others = showBoxes ? boxes.filter((b) => b.id !== selected) : [];
  const chosen = boxes.filter((b) => selected !== null && b.id === selected);
  return [...others, ...chosen];
}

/**
 * The scroll position that shows a row inside a scrolled list, moving as little as possible:
 * unchanged when the row is already in view, else the row at the top (it was above) or at the
 * bottom (it was below; its top, when it is taller than the list). Positions in CSS pixels from the top of the list's content.
 */
export function scrollTopToShow(scrollTop: number, viewHeight: number, rowTop: number, rowHeight: number): number {
  if (rowTop < scrollTop) return rowTop;
  if (rowTop + rowHeight > scrollTop + viewHeight) return Math.max(0, Math.min(rowTop, rowTop + rowHeight - viewHeight));
  return scrollTop;
}
