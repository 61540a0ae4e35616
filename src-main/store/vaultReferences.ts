import type { Db } from './database.js';

/** Vault paths referenced by any table of `db`: videos, thumbnails and model bundle folders. */
export function referencedVaultPaths(db: Db): Set<string> {
  const rows = db
    .prepare('SELECT vault_path AS p FROM videos UNION SELECT thumbnail_path FROM videos WHERE thumbnail_path IS NOT NULL UNION SELECT vault_path FROM model_bundles')
    .all() as Array<{ p: string }>;
  return new Set(rows.map((r) => r.p));
}

/** A file is referenced when it, or a folder above it (a model bundle's folder), is. */
export function isReferenced(referenced: ReadonlySet<string>, path: string): boolean {
  for (let at = path.length; at > 0; at = path.lastIndexOf('/', at - 1)) {
    if (referenced.has(path.slice(0, at))) return true;
  }
  return false;
}
