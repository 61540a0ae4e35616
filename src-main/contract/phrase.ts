import { z } from 'zod';
import { translatorFor } from './i18n/translator.js';

/**
 * A sentence the back end writes for people to read, as a catalogue key and its values rather
 * than finished English: each screen shows it in its reader's language
 * (`translatorFor(language).t(key, vars)`), while logs, the CLI and stored rows keep the English
 * text (`englishOf`). Values are numbers and names (file names, codes), never English prose.
 */
export const phraseSchema = z
  .object({
    key: z.string().min(1).max(200),
    vars: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  })
  .strict();
export type Phrase = z.infer<typeof phraseSchema>;

/** A phrase of `key` (call it with a literal key: the catalogue test checks that every such key exists). */
export function phrase(key: string, vars?: Record<string, string | number>): Phrase {
  return vars ? { key, vars } : { key };
}

/** The English text of a phrase: what logs, the CLI and the job's `message` keep. */
export function englishOf(p: Phrase): string {
  return translatorFor('en').t(p.key, p.vars);
}

/** A phrase stored as JSON (null, unreadable or not a phrase: null, so an old or odd row shows its English message). */
export function phraseFromJson(json: string | null): Phrase | null {
  if (json === null) return null;
  try {
    const parsed = phraseSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
