/**
 * The languages WalkScope speaks, and how a locale (the OS's, the browser's) or a stored
 * setting picks one. No Node, no DOM: the main process and the renderer both use it.
 */

export const languages = ['en', 'ja'] as const;
export type Language = (typeof languages)[number];

/** The language setting: one of the languages, or `system` for the machine's own locale. */
export const languageSettings = ['system', ...languages] as const;
export type LanguageSetting = (typeof languageSettings)[number];

/** The locale each language formats dates and numbers with (British English: day before month, 24-hour clock). */
export const localeTags: Readonly<Record<Language, string>> = { en: 'en-GB', ja: 'ja-JP' };

/** Each language's own name, as the language picker shows it. */
export const languageNames: Readonly<Record<Language, string>> = { en: 'English', ja: '日本語' };

/** The language for a locale such as `ja-JP` or `en_US.UTF-8`; English for anything else or nothing. */
export function languageFromLocale(locale: string | undefined | null): Language {
  const primary = (locale ?? '').trim().toLowerCase().split(/[-_.@]/)[0];
  return (languages as readonly string[]).includes(primary ?? '') ? (primary as Language) : 'en';
}

/** The language a setting means on a machine whose locale is `systemLocale`. */
export function resolveLanguage(setting: LanguageSetting | undefined, systemLocale: string | undefined | null): Language {
  return setting === undefined || setting === 'system' ? languageFromLocale(systemLocale) : setting;
}
