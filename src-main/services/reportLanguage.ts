import { join } from 'node:path';
import type { Settings } from '../contract/entities.js';
import { resolveLanguage, type Language } from '../contract/i18n/languages.js';
import { findResourcesDir } from '../detect/modelLock.js';
import { japaneseFontFile } from '../report/pdfFonts.js';

/** The language reports are written in: the setting, or for `system` this machine's locale (as Node's Intl sees it). */
export function reportLanguage(settings: Pick<Settings, 'language'>, systemLocale: string = Intl.DateTimeFormat().resolvedOptions().locale): Language {
  return resolveLanguage(settings.language, systemLocale);
}

/** Where the bundled Japanese font is (resources/fonts, put there at install or build time), or null when no resources folder is found. */
export function japaneseFontPath(): string | null {
  const found = findResourcesDir();
  return 'dir' in found ? join(found.dir, 'fonts', japaneseFontFile) : null;
}
