/**
 * The keys of a chart of items on the review clock (the clip scores, the kinematics segments):
 * arrows choose the next or previous item (from the one playing when none is chosen), Home and
 * End the first and last, Enter seeks to the chosen one. Pure, for both charts.
 */
export type ChartKeyAction = { kind: 'choose'; index: number } | { kind: 'seek'; index: number };

/** What a key does given the chosen item (-1: none), the item under the clock (-1: none) and how many there are; null: not the chart's key. */
export function chartKeyAction(key: string, selected: number, playing: number, count: number): ChartKeyAction | null {
  if (count === 0) return null;
  const last = count - 1;
  switch (key) {
    case 'ArrowRight':
      return { kind: 'choose', index: selected < 0 ? Math.max(0, playing) : Math.min(last, selected + 1) };
    case 'ArrowLeft':
      return { kind: 'choose', index: selected < 0 ? (playing >= 0 ? playing : last) : Math.max(0, selected - 1) };
    case 'Home':
      return { kind: 'choose', index: 0 };
    case 'End':
      return { kind: 'choose', index: last };
    case 'Enter':
      return { kind: 'seek', index: selected < 0 ? Math.max(0, playing) : selected };
    default:
      return null;
  }
}
