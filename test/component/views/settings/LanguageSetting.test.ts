import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import LanguageSetting from '../../../../src-renderer/views/settings/LanguageSetting.svelte';
import type { WalkScopeClient } from '../../../../src-renderer/lib/api/client.js';
import { language, setLanguage } from '../../../../src-renderer/lib/i18n.svelte.js';

afterEach(() => {
  cleanup();
  setLanguage('en');
});

describe('the language setting', () => {
  it('saves the choice at once and switches the whole app, and back to the computer\'s own', async () => {
    const call = vi.fn(async (_m: string, request: { changes: { language: string } }) => ({ language: request.changes.language }));
    const saved = vi.fn();
    render(LanguageSetting, { client: { call } as unknown as WalkScopeClient, value: 'system', onSaved: saved });
    const select = screen.getByLabelText('Language of the screens and reports') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['Same as this computer', 'English', '日本語']);
    await fireEvent.change(select, { target: { value: 'ja' } });
    await vi.waitFor(() => expect(language()).toBe('ja'));
    expect(call).toHaveBeenCalledWith('settings.update', { changes: { language: 'ja' } });
    expect(saved).toHaveBeenCalledWith('ja');
    expect(document.documentElement.lang).toBe('ja');
    // the same control, now in Japanese
    expect(screen.getByLabelText('画面とレポートの言語')).toBeTruthy();
    await fireEvent.change(screen.getByLabelText('画面とレポートの言語'), { target: { value: 'system' } });
    // the test browser's locale is English
    await vi.waitFor(() => expect(language()).toBe('en'));
  });

  it('keeps the language and shows the reason when saving fails', async () => {
    const call = vi.fn(async () => {
      throw new Error('The database is busy. Try again in a moment.');
    });
    render(LanguageSetting, { client: { call } as unknown as WalkScopeClient, value: 'en', onSaved: () => {} });
    await fireEvent.change(screen.getByLabelText('Language of the screens and reports'), { target: { value: 'ja' } });
    await screen.findByText('The database is busy. Try again in a moment.');
    expect(language()).toBe('en');
  });
});
