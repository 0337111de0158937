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
  /**
   * Version 2: the write queue (src/store/write-store.ts). `in_overlay` marks the rows reads must still
   * see; the partial index keeps overlay lookups independent of how many finished writes are kept.
   */
  `
    CREATE TABLE writes (
      seq           INTEGER PRIMARY KEY AUTOINCREMENT,
      id            TEXT NOT NULL UNIQUE,
      repo_id       INTEGER NOT NULL,
      branch        TEXT NOT NULL,
      collection    TEXT NOT NULL,
      record_id     TEXT NOT NULL,
      path          TEXT NOT NULL,
      op            TEXT NOT NULL CHECK (op IN ('put', 'delete')),
      user          TEXT NOT NULL,
      content       BLOB,
      sha           TEXT,
      status        TEXT NOT NULL CHECK (status IN ('queued', 'committing', 'committed', 'failed')),
      batch_id      TEXT,
      commit_sha    TEXT,
      error         TEXT,
      in_overlay    INTEGER NOT NULL DEFAULT 1,
      overlay_until INTEGER,
      accepted_at   INTEGER NOT NULL,
      finished_at   INTEGER
    );
    CREATE INDEX writes_queue ON writes (repo_id, status, seq);
    CREATE INDEX writes_overlay ON writes (repo_id, path, seq) WHERE in_overlay = 1;
    CREATE INDEX writes_batch ON writes (batch_id) WHERE batch_id IS NOT NULL;
    CREATE INDEX writes_finished ON writes (finished_at) WHERE finished_at IS NOT NULL;
    CREATE TABLE write_batches (
      id          TEXT PRIMARY KEY,
      repo_id     INTEGER NOT NULL,
      branch      TEXT NOT NULL,
      status      TEXT NOT NULL CHECK (status IN ('committing', 'committed', 'failed')),
      base_sha    TEXT,
      attempts    INTEGER NOT NULL DEFAULT 0,
      commit_sha  TEXT,
      created_at  INTEGER NOT NULL,
      finished_at INTEGER
    );
    CREATE INDEX write_batches_open ON write_batches (repo_id) WHERE status = 'committing';
    CREATE TABLE write_state (
      repo_id        INTEGER PRIMARY KEY,
      last_commit    TEXT,
      last_commit_at INTEGER,
      last_error     TEXT
    );
    `,
  /**
   * Version 3: the mirror's file count kept on the repository row. Counting `files` in every repository
   * lookup walked every mirrored file's row, contents included, on every API request (13 ms per read
   * of a 5,000-file mirror in `npm run bench`).
   */
  `
    ALTER TABLE repos ADD COLUMN file_count INTEGER NOT NULL DEFAULT 0;
    UPDATE repos SET file_count = (SELECT count(*) FROM files WHERE files.repo_id = repos.id);
    `,
  /**
   * Version 4: the repository's name with its write state, so `/writes/{id}` and `/status` still answer
   * for writes of a repository whose mirror was purged (the app was uninstalled from it).
   */
  `
    ALTER TABLE write_state ADD COLUMN full_name_lc TEXT;
    UPDATE write_state SET full_name_lc = (SELECT full_name_lc FROM repos WHERE repos.id = write_state.repo_id);
    INSERT OR IGNORE INTO write_state (repo_id, full_name_lc)
      SELECT DISTINCT writes.repo_id, repos.full_name_lc FROM writes JOIN repos ON repos.id = writes.repo_id;
    CREATE INDEX write_state_name ON write_state (full_name_lc);
    `,
  /**
   * Version 5: contents stored once per git blob sha, whatever the number of paths and repositories
   * holding it (150 paths of one 10 MB blob took 1.5 GB); `files` names them. The files a sync could
   * not mirror, with why, kept on the repository for /status.
   */
  `
    CREATE TABLE blobs (
      sha     TEXT PRIMARY KEY,
      content BLOB NOT NULL
    );
    INSERT OR IGNORE INTO blobs (sha, content) SELECT sha, content FROM files;
    ALTER TABLE files DROP COLUMN content;
    CREATE INDEX files_sha ON files (sha);
    ALTER TABLE repos ADD COLUMN skipped TEXT NOT NULL DEFAULT '[]';
    `,
  /**
   * Version 6: the ids (X-GitHub-Delivery) of the webhook deliveries handled lately, so a
   * redelivered or replayed delivery is recognised; bounded by age and count (MirrorStore.recordDelivery).
   */
  `
    CREATE TABLE webhook_deliveries (
      id          TEXT PRIMARY KEY,
      received_at INTEGER NOT NULL
    );
    CREATE INDEX webhook_deliveries_received ON webhook_deliveries (received_at);
    `,
  /**
   * Version 7: the write state follows its repository's renames (a `repository.renamed` delivery, or a
   * heal that finds the new name), so that once the mirror is purged `/status` and `/writes/{id}` answer
   * under the newest name known rather than the one the last write was made under.
   */
  `
    CREATE TRIGGER write_state_follows_rename AFTER UPDATE OF full_name_lc ON repos
    WHEN NEW.full_name_lc IS NOT OLD.full_name_lc
    BEGIN
      UPDATE write_state SET full_name_lc = NEW.full_name_lc WHERE repo_id = NEW.id;
    END;
    `,
  /**
   * Version 8: who made each write (the API's actor, e.g. `key`), so `/writes/{id}` answers only them.
   * Every write before it was made with the site key.
   */
  `
    ALTER TABLE writes ADD COLUMN actor TEXT NOT NULL DEFAULT 'key';
    `,
  /**
   * Version 9: claims. A committing batch is held by one owner until its lease ends (WriteStore.claimBatch),
   * and a repository's periodic heal by one owner until its lease ends (MirrorStore.claimHeal). Batches
   * left by earlier versions have no owner and a lapsed lease: the first claim takes them.
   */
  `
    ALTER TABLE write_batches ADD COLUMN owner TEXT;
    ALTER TABLE write_batches ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE write_batches ADD COLUMN lease_ms INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE repos ADD COLUMN heal_owner TEXT;
    ALTER TABLE repos ADD COLUMN heal_until INTEGER NOT NULL DEFAULT 0;
    `,
  /**
   * Version 10: site keys per repository (KeyStore), stored as SHA-256 hashes, never in clear. Revoking
   * deletes the row, so a revoked key is found by nothing.
   */
  `
    CREATE TABLE site_keys (
      id           TEXT PRIMARY KEY,
      repo_id      INTEGER NOT NULL,
      name         TEXT NOT NULL,
      hash         TEXT NOT NULL UNIQUE,
      created_at   INTEGER NOT NULL,
      last_used_at INTEGER
    );
    CREATE INDEX site_keys_repo ON site_keys (repo_id, created_at);
    `,
];
