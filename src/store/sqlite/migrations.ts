/**
 * Schema of the embedded store, one entry per version (PRAGMA user_version). Append only:
 * a released migration never changes, so every existing DATA_DIR upgrades the same way.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE repos (
    id              INTEGER PRIMARY KEY,
    owner           TEXT NOT NULL,
    name            TEXT NOT NULL,
    full_name_lc    TEXT NOT NULL UNIQUE,
    private         INTEGER NOT NULL,
    default_branch  TEXT NOT NULL,
    installation_id INTEGER,
    branch          TEXT NOT NULL,
    sha             TEXT,
    config          TEXT NOT NULL,
    config_error    TEXT,
    last_sync_at    TEXT,
    last_error      TEXT
  );
  CREATE TABLE files (
    repo_id INTEGER NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
    path    TEXT NOT NULL,
    sha     TEXT NOT NULL,
    size    INTEGER NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (repo_id, path)
  ) WITHOUT ROWID;
  `,
];
