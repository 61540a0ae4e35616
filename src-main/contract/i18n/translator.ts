import i18next, { type i18n } from 'i18next';
import en from './en/index.js';
import ja from './ja/index.js';
import { localeTags, type Language } from './languages.js';

/**
 * One translator per language over the catalogues in `en/` and `ja/` (i18next, keys such as
 * `patients.list.title`, values with `{{name}}` placeholders and i18next's plural suffixes
 * `_one` / `_other`). A key missing from a catalogue comes back as the key itself, which the
 * catalogue test (test/unit/contract/i18nCatalogue.test.ts) makes impossible in a release.
 */

/** A catalogue: nested sections whose leaves are sentences. */
export interface Catalogue {
  readonly [key: string]: string | Catalogue;
}

export const catalogues: Readonly<Record<Language, Catalogue>> = { en, ja };

export type Vars = Record<string, string | number | null | undefined>;

export interface Translator {
  readonly language: Language;
  /** The locale tag dates and numbers are formatted with (`en-GB`, `ja-JP`). */
  readonly locale: string;
  /** The sentence for `key` with `vars` filled in (`count` also picks the plural form). */
  t(key: string, vars?: Vars): string;
  /** Whether the catalogue has `key` (a plural key counts when one of its forms exists). */
  has(key: string): boolean;
}

function instanceFor(language: Language): i18n {
  const instance = i18next.createInstance();
  // Resources are given inline, so init finishes before it returns (initAsync: false).
  void instance.init({
    lng: language,
    fallbackLng: false,
    resources: { [language]: { translation: catalogues[language] } },
    initAsync: false,
    returnNull: false,
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  });
  return instance;
}

const made = new Map<Language, Translator>();

export function translatorFor(language: Language): Translator {
  const existing = made.get(language);
  if (existing) return existing;
  const instance = instanceFor(language);
  const translator: Translator = {
    language,
    locale: localeTags[language],
    t: (key, vars) => instance.t(key, vars ?? {}) as string,
    has: (key) => instance.exists(key) || instance.exists(`${key}_other`),
  };
  made.set(language, translator);
  return translator;
}
