import { describe, expect, it } from 'vitest';
import { keyBelongsToControl, shortcutFor, shortcutList } from '../../../../../src-renderer/lib/review/shortcuts.js';

const key = (k: string, mods: Partial<{ shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({ key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe('review shortcuts', () => {
  it('maps the keys', () => {
    expect(shortcutFor(key('ArrowLeft'))).toEqual({ kind: 'step', frames: -1 });
    expect(shortcutFor(key('ArrowRight'))).toEqual({ kind: 'step', frames: 1 });
    expect(shortcutFor(key('ArrowLeft', { shiftKey: true }))).toEqual({ kind: 'second', seconds: -1 });
    expect(shortcutFor(key('ArrowRight', { shiftKey: true }))).toEqual({ kind: 'second', seconds: 1 });
    expect(shortcutFor(key(' '))).toEqual({ kind: 'toggle' });
    expect(shortcutFor(key('j'))).toEqual({ kind: 'jkl', key: 'j' });
    expect(shortcutFor(key('K', { shiftKey: true }))).toEqual({ kind: 'jkl', key: 'k' });
    expect(shortcutFor(key('l'))).toEqual({ kind: 'jkl', key: 'l' });
    expect(shortcutFor(key('['))).toEqual({ kind: 'loopIn' });
    expect(shortcutFor(key(']'))).toEqual({ kind: 'loopOut' });
    expect(shortcutFor(key('\\'))).toEqual({ kind: 'loopClear' });
    expect(shortcutFor(key('?', { shiftKey: true }))).toEqual({ kind: 'help' });
    expect(shortcutFor(key('Home'))).toEqual({ kind: 'start' });
    expect(shortcutFor(key('End'))).toEqual({ kind: 'end' });
  });

  it('leaves other keys and browser shortcuts alone', () => {
    expect(shortcutFor(key('x'))).toBeNull();
    expect(shortcutFor(key('Enter'))).toBeNull();
    expect(shortcutFor(key('l', { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key('ArrowLeft', { altKey: true }))).toBeNull();
    expect(shortcutFor(key('[', { metaKey: true }))).toBeNull();
  });

  it('lists every key it handles', () => {
    expect(shortcutList.flatMap((s) => s.keys)).toEqual(['Space', '←', '→', 'Shift+←', 'Shift+→', 'J', 'K', 'L', '[', ']', '\\', 'Home', 'End', '?']);
  });

  it('does not fire while typing, and lets buttons and checkboxes keep Space', () => {
    expect(keyBelongsToControl({ tagName: 'INPUT', type: 'text' }, 'j')).toBe(true);
    expect(keyBelongsToControl({ tagName: 'INPUT', type: 'number' }, 'ArrowLeft')).toBe(true);
    expect(keyBelongsToControl({ tagName: 'INPUT' }, ' ')).toBe(true);
    expect(keyBelongsToControl({ tagName: 'TEXTAREA' }, 'l')).toBe(true);
    expect(keyBelongsToControl({ tagName: 'SELECT' }, 'ArrowRight')).toBe(true);
    expect(keyBelongsToControl({ tagName: 'DIV', isContentEditable: true }, 'k')).toBe(true);
    expect(keyBelongsToControl({ tagName: 'INPUT', type: 'range' }, 'ArrowRight')).toBe(false);
    expect(keyBelongsToControl({ tagName: 'INPUT', type: 'checkbox' }, ' ')).toBe(true);
    expect(keyBelongsToControl({ tagName: 'INPUT', type: 'checkbox' }, 'ArrowRight')).toBe(false);
    expect(keyBelongsToControl({ tagName: 'BUTTON' }, ' ')).toBe(true);
    expect(keyBelongsToControl({ tagName: 'BUTTON' }, 'l')).toBe(false);
    expect(keyBelongsToControl({ tagName: 'BODY' }, ' ')).toBe(false);
    expect(keyBelongsToControl(null, ' ')).toBe(false);
  });
});
