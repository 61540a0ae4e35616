import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogues, translatorFor, type Catalogue } from '../../../src-main/contract/i18n/translator.js';
import { languageFromLocale, languages, resolveLanguage } from '../../../src-main/contract/i18n/languages.js';
import { formatDecimal, formatLocalDate, formatLocalDateTime } from '../../../src-main/contract/i18n/localeFormat.js';
import { errorCatalogue } from '../../../src-main/contract/errors.js';

/** Every leaf of a catalogue as `dotted.key` → sentence. */
function leaves(catalogue: Catalogue, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(catalogue)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (typeof value === 'string') out.set(key, value);
    else for (const [k, v] of leaves(value, key)) out.set(k, v);
  }
  return out;
}

const pluralSuffix = /_(zero|one|two|few|many|other)$/;
/** A key without its plural form: Japanese has only `_other`, English `_one` and `_other`. */
const baseKey = (key: string): string => key.replace(pluralSuffix, '');
const placeholders = (sentence: string): string[] => [...new Set([...sentence.matchAll(/\{\{\s*([\w.]+)/g)].map((m) => m[1] ?? ''))].sort();

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|svelte)$/.test(name) && !path.includes(`${join('contract', 'i18n')}`)) out.push(path);
  }
  return out;
}

const root = join(import.meta.dirname, '..', '..', '..');

describe('the catalogues', () => {
  const en = leaves(catalogues.en);
  const ja = leaves(catalogues.ja);

  it('have the same keys in English and Japanese (plural forms counted as one key)', () => {
    const enKeys = new Set([...en.keys()].map(baseKey));
    const jaKeys = new Set([...ja.keys()].map(baseKey));
    expect([...enKeys].filter((k) => !jaKeys.has(k)), 'keys missing in ja').toEqual([]);
    expect([...jaKeys].filter((k) => !enKeys.has(k)), 'keys missing in en').toEqual([]);
  });

  it('give each plural key its `_other` form in both languages', () => {
    for (const [name, sentences] of [['en', en], ['ja', ja]] as const) {
      const plural = [...sentences.keys()].filter((k) => pluralSuffix.test(k)).map(baseKey);
      expect(plural.filter((k) => !sentences.has(`${k}_other`)), `${name}: plural keys without _other`).toEqual([]);
    }
  });

  it('use the same placeholders in both languages, and no sentence is empty', () => {
    const byBase = (sentences: Map<string, string>) => {
      const out = new Map<string, Set<string>>();
      for (const [k, v] of sentences) {
        const set = out.get(baseKey(k)) ?? new Set<string>();
        for (const p of placeholders(v)) set.add(p);
        out.set(baseKey(k), set);
      }
      return out;
    };
    const enPlaces = byBase(en);
    const jaPlaces = byBase(ja);
    const differing = [...enPlaces.keys()].filter((k) => [...(enPlaces.get(k) ?? [])].sort().join() !== [...(jaPlaces.get(k) ?? [])].sort().join());
    expect(differing, 'keys whose placeholders differ').toEqual([]);
    expect([...en, ...ja].filter(([, v]) => v.trim() === '').map(([k]) => k), 'empty sentences').toEqual([]);
  });

  it('hold every key the code asks for with a literal t("…") (in both languages)', () => {
    const files = [...sourceFiles(join(root, 'src-renderer')), ...sourceFiles(join(root, 'src-main'))];
    const missing: string[] = [];
    let asked = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?<![\w.])t\(\s*['"]([A-Za-z0-9_.]+)['"]/g)) {
        asked += 1;
        const key = match[1] ?? '';
        for (const language of languages) {
          if (!translatorFor(language).has(key)) missing.push(`${relative(root, file)}: ${key} (${language})`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(asked).toBeGreaterThan(0);
  });

  it('hold every key the back end makes a phrase of with a literal phrase("…") (in both languages)', () => {
    const missing: string[] = [];
    let made = 0;
    for (const file of sourceFiles(join(root, 'src-main'))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/(?<![\w.])phrase\(\s*['"]([A-Za-z0-9_.]+)['"]/g)) {
        made += 1;
        const key = match[1] ?? '';
        for (const language of languages) {
          if (!translatorFor(language).has(key)) missing.push(`${relative(root, file)}: ${key} (${language})`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(made).toBeGreaterThan(0);
  });

  it('give every error code its sentence in both languages, with the same {{detail}}', () => {
    for (const [code, english] of Object.entries(errorCatalogue)) {
      for (const language of languages) {
        const key = `errors.${code}`;
        expect(translatorFor(language).has(key), `${key} in ${language}`).toBe(true);
        if (english.includes('{detail}')) expect(translatorFor(language).t(key, { detail: 'X-DETAIL' }), `${key} in ${language}`).toContain('X-DETAIL');
      }
    }
  });
});

describe('the translator', () => {
  it('fills placeholders and picks plural forms per language', () => {
    expect(translatorFor('en').t('common.time.secondsLeft', { count: 1 })).toBe('1 s left');
    expect(translatorFor('en').t('common.time.minutesLeft', { count: 3 })).toBe('3 min left');
    expect(translatorFor('ja').t('common.time.minutesLeft', { count: 3 })).toBe('残り 3 分');
    expect(translatorFor('ja').t('common.nav.patients')).toBe('患者');
  });

  it('answers a key it does not hold with the key itself (the test above keeps that out of a release)', () => {
    expect(translatorFor('en').has('common.nothing.here')).toBe(false);
    expect(translatorFor('en').t('common.nothing.here')).toBe('common.nothing.here');
  });
});

describe('languages and locale formatting', () => {
  it('picks the language from a locale, English for anything it does not speak', () => {
    expect(languageFromLocale('ja-JP')).toBe('ja');
    expect(languageFromLocale('ja_JP.UTF-8')).toBe('ja');
    expect(languageFromLocale('en-US')).toBe('en');
    expect(languageFromLocale('de-DE')).toBe('en');
    expect(languageFromLocale('')).toBe('en');
    expect(languageFromLocale(undefined)).toBe('en');
    expect(resolveLanguage('system', 'ja-JP')).toBe('ja');
    expect(resolveLanguage('en', 'ja-JP')).toBe('en');
    expect(resolveLanguage(undefined, 'fr')).toBe('en');
  });

  it('formats dates in each language in local time, and numbers with its separators', () => {
    const iso = new Date(2026, 11, 30, 14, 5).toISOString();
    expect(formatLocalDateTime('en', iso)).toBe('30 Dec 2026 14:05');
    expect(formatLocalDateTime('ja', iso)).toBe('2026/12/30 14:05');
    expect(formatLocalDate('en', iso)).toBe('30 Dec 2026');
    expect(formatLocalDate('ja', iso)).toBe('2026/12/30');
    expect(formatLocalDateTime('ja', 'not a date')).toBe('—');
    expect(formatLocalDate('en', null)).toBe('—');
    expect(formatDecimal('en', 1234.567, 1)).toBe('1,234.6');
    expect(formatDecimal('ja', 1234.567, 2)).toBe('1,234.57');
    expect(formatDecimal('en', Number.NaN, 1)).toBe('—');
  });
});
