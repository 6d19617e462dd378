export interface Migration {
  /** Equal to its position in the list, starting at 1; recorded in PRAGMA user_version. */
  version: number;
  name: string;
  sql: string;
}
