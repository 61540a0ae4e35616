import type { Migration } from './migration.js';

/**
 * A job's progress message as a catalogue phrase (JSON `{ key, vars }`, src-main/contract/phrase.ts)
 * beside its English `message`, so the screens show it in the reader's language. Jobs from
 * before this have none and show their English message.
 */
export const m013JobMessagePhrase: Migration = {
  version: 13,
  name: 'job message phrase',
  sql: `
    ALTER TABLE jobs ADD COLUMN message_phrase_json TEXT;
  `,
};
