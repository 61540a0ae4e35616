/**
 * A versioned schema change, applied once inside a transaction. `PRAGMA user_version` holds
 * the newest applied version. Never edit a released migration: add a new file.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * The migration rebuilds a table other tables refer to (SQLite's 12-step table change: create
   * the new table, copy, drop the old, rename). Foreign keys are then off while it runs (SQLite
   * ignores that pragma inside a transaction, so it is set before), and `PRAGMA
   * foreign_key_check` must find nothing before the transaction commits.
   */
  rebuildsTables?: boolean;
}
