import { languageFromLocale, resolveLanguage, type Language, type LanguageSetting } from '../../src-main/contract/i18n/languages.js';
import { translatorFor, type Vars } from '../../src-main/contract/i18n/translator.js';
import type { Phrase } from '../../src-main/contract/phrase.js';

/**
 * The language the screens are shown in. `t()` reads it, so every text a component draws
 * with `t()` is drawn again when the language changes. It starts from the browser's (the
 * OS's) locale and follows the language setting once Settings are loaded or changed.
 */
class CurrentLanguage {
  value = $state<Language>(languageFromLocale(typeof navigator === 'undefined' ? undefined : navigator.language));
}

const current = new CurrentLanguage();

export function language(): Language {
  return current.value;
}

/** Follows the stored setting (`system`: the browser's locale) and marks the page's language for screen readers and fonts. */
export function applyLanguageSetting(setting: LanguageSetting | undefined): void {
  setLanguage(resolveLanguage(setting, typeof navigator === 'undefined' ? undefined : navigator.language));
}

export function setLanguage(language: Language): void {
  current.value = language;
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}

/** The sentence for `key` in the current language. */
export function t(key: string, vars?: Vars): string {
  return translatorFor(current.value).t(key, vars);
}

/**
 * A sentence the back end sent as a phrase (src-main/contract/phrase.ts), in the current
 * language; its English `fallback` when there is no phrase (rows from before phrases) or this
 * catalogue does not hold its key (a newer back end).
 */
export function phraseText(phrase: Phrase | null | undefined, fallback: string): string {
  const translator = translatorFor(current.value);
  return phrase && translator.has(phrase.key) ? translator.t(phrase.key, phrase.vars) : fallback;
}
