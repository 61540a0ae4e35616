/** The review screen's keyboard: one table for the handler and the visible shortcut list. */

export type ShortcutAction =
  /** Frames of the original (its own rate; the 30 fps timeline's for a 30 fps original). */
  | { kind: 'step'; frames: number }
  | { kind: 'second'; seconds: number }
  | { kind: 'toggle' }
  | { kind: 'jkl'; key: 'j' | 'k' | 'l' }
  | { kind: 'loopIn' }
  | { kind: 'loopOut' }
  | { kind: 'loopClear' }
  | { kind: 'help' }
  | { kind: 'start' }
  | { kind: 'end' };

export interface KeyLike {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** The action of a key press, or null when the review screen leaves the key alone. */
export function shortcutFor(e: KeyLike): ShortcutAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null; // browser and system shortcuts stay theirs
  switch (e.key) {
    case 'ArrowLeft':
      return e.shiftKey ? { kind: 'second', seconds: -1 } : { kind: 'step', frames: -1 };
    case 'ArrowRight':
      return e.shiftKey ? { kind: 'second', seconds: 1 } : { kind: 'step', frames: 1 };
    case ' ':
    case 'Spacebar':
      return { kind: 'toggle' };
    case 'j':
    case 'J':
      return { kind: 'jkl', key: 'j' };
    case 'k':
    case 'K':
      return { kind: 'jkl', key: 'k' };
    case 'l':
    case 'L':
      return { kind: 'jkl', key: 'l' };
    case '[':
      return { kind: 'loopIn' };
    case ']':
      return { kind: 'loopOut' };
    case '\\':
      return { kind: 'loopClear' };
    case '?':
      return { kind: 'help' };
    case 'Home':
      return { kind: 'start' };
    case 'End':
      return { kind: 'end' };
    default:
      return null;
  }
}

/** Shown by `?`, in this order (`what`: the catalogue key of what the keys do). */
export const shortcutList = [
  { keys: ['Space'], what: 'review.shortcuts.space' },
  { keys: ['←', '→'], what: 'review.shortcuts.frame' },
  { keys: ['Shift+←', 'Shift+→'], what: 'review.shortcuts.second' },
  { keys: ['J'], what: 'review.shortcuts.j' },
  { keys: ['K'], what: 'review.shortcuts.k' },
  { keys: ['L'], what: 'review.shortcuts.l' },
  { keys: ['['], what: 'review.shortcuts.loopIn' },
  { keys: [']'], what: 'review.shortcuts.loopOut' },
  { keys: ['\\'], what: 'review.shortcuts.loopClear' },
  { keys: ['Home', 'End'], what: 'review.shortcuts.ends' },
  { keys: ['?'], what: 'review.shortcuts.help' },
] as const satisfies readonly { keys: readonly string[]; what: string }[];

interface TargetLike {
  tagName?: string;
  type?: string;
  isContentEditable?: boolean;
}

const ownSpace = new Set(['BUTTON', 'A', 'SUMMARY']);
const clickableInputs = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'color']);

/**
 * True when a key press belongs to the focused control, not to the players: typing in a text
 * field, a select, an editable area; Space on a button, link or checkbox (it activates them).
 * The scrubber (a range input) hands its keys to the players.
 */
export function keyBelongsToControl(target: unknown, key: string): boolean {
  if (!target || typeof target !== 'object') return false;
  const t = target as TargetLike;
  if (t.isContentEditable) return true;
  const tag = (t.tagName ?? '').toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  const isSpace = key === ' ' || key === 'Spacebar';
  if (tag === 'INPUT') {
    const type = (t.type ?? 'text').toLowerCase();
    if (type === 'range') return false;
    if (clickableInputs.has(type)) return isSpace;
    return true;
  }
  if (ownSpace.has(tag)) return isSpace;
  return false;
}
