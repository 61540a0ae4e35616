import type { Migration } from './migration.js';

/**
 * The name a model bundle was imported from (the zip's or folder's name the user gave), for the
 * bundle's provenance on the Models screen. Bundles installed before this have none.
 */
export const m012BundleImportedFrom: Migration = {
  version: 12,
  name: 'bundle imported from',
  sql: `
    ALTER TABLE model_bundles ADD COLUMN imported_from TEXT;
  `,
};
