import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import ErrorNote from '../../../../src-renderer/lib/components/ErrorNote.svelte';
import ResearchOnlyBanner from '../../../../src-renderer/lib/components/ResearchOnlyBanner.svelte';
import ScreeningLabels from '../../../../src-renderer/lib/components/ScreeningLabels.svelte';
import { setLanguage } from '../../../../src-renderer/lib/i18n.svelte.js';

/** The small pieces several screens share say their own words in the current language. */
afterEach(() => {
  cleanup();
  setLanguage('en');
});

describe('an error note', () => {
  it('offers to dismiss the message, in English and in Japanese', async () => {
    const dismiss = vi.fn();
    render(ErrorNote, { message: 'The database is busy. Try again in a moment.', onDismiss: dismiss });
    await fireEvent.click(screen.getByRole('button', { name: 'Dismiss message' }));
    expect(dismiss).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('button', { name: 'Dismiss message' }).textContent).toBe('Dismiss');
    cleanup();
    setLanguage('ja');
    render(ErrorNote, { message: 'データベースが使用中です。', onDismiss: dismiss });
    const button = screen.getByRole('button', { name: 'メッセージを閉じる' });
    expect(button.textContent).toBe('閉じる');
    expect(screen.getByRole('alert').textContent).not.toMatch(/components\./);
  });
});

describe('the research-only banner', () => {
  it('warns in the current language', () => {
    render(ResearchOnlyBanner);
    expect(screen.getByRole('note').textContent).toBe('RESEARCH ONLY — NOT VALIDATED. This model has no clinical validation: do not use its output for patient care.');
    cleanup();
    setLanguage('ja');
    render(ResearchOnlyBanner);
    expect(screen.getByRole('note').textContent).toBe('研究用・未検証：このモデルは臨床的に検証されていません。出力を診療に使用しないでください。');
  });
});

describe('screening labels', () => {
  it('show the two labels WalkScope gives in Japanese, and any other as it is', () => {
    setLanguage('ja');
    render(ScreeningLabels, { labels: ['research only', 'not shown to beat chance', 'site A'] });
    const list = screen.getByRole('list', { name: 'ラベル' });
    expect([...list.querySelectorAll('li')].map((li) => [li.textContent, li.classList.contains('chance')])).toEqual([
      ['研究用', false],
      ['偶然以上の性能は未確認', true],
      ['site A', false],
    ]);
    expect(list.textContent).not.toMatch(/components\./);
  });

  it('keep the English words in English', () => {
    render(ScreeningLabels, { labels: ['research only', 'not shown to beat chance'] });
    expect([...screen.getByRole('list', { name: 'Labels' }).querySelectorAll('li')].map((li) => li.textContent)).toEqual(['research only', 'not shown to beat chance']);
  });
});
