import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, errorSentence } from '../../../../src-renderer/lib/api/client.js';
import { setLanguage } from '../../../../src-renderer/lib/i18n.svelte.js';

afterEach(() => setLanguage('en'));

describe('an error reply said in the current language', () => {
  const reply = { code: 'PATIENT_NOT_FOUND', message: 'No patient with code X9 exists.', detail: 'X9' };

  it('is the English sentence in English, the Japanese one in Japanese, with the detail', () => {
    expect(errorSentence(reply)).toBe('No patient with code X9 exists.');
    setLanguage('ja');
    expect(errorSentence(reply)).toBe('患者コード X9 の患者は存在しません。');
    expect(new ApiError(reply).message).toBe('患者コード X9 の患者は存在しません。');
    expect(new ApiError(reply).code).toBe('PATIENT_NOT_FOUND');
  });

  it('falls back to the sentence the back end sent for an unknown code or a reply without its detail', () => {
    setLanguage('ja');
    expect(errorSentence({ code: 'NOT_A_CODE', message: 'Something new.', detail: 'x' })).toBe('Something new.');
    expect(errorSentence({ code: 'PATIENT_NOT_FOUND', message: 'No patient with code X9 exists.' })).toBe('No patient with code X9 exists.');
  });
});
