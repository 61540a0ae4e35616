/**
 * A versioned schema change, applied once inside a transaction. `PRAGMA user_version` holds
 * the newest applied version. Never edit a released migration: add a new file.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
