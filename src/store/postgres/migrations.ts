/**
 * Schema of the PostgreSQL backend, one entry per version (recorded in `gitdisk_schema`). Append only
 * once released: a released migration never changes, so every existing database upgrades the same way.
 *
 * The same tables as the embedded store's latest schema (src/store/sqlite/migrations.ts), so both
 * backends answer alike. Paths are compared bytewise (COLLATE "C"), as SQLite compares them, so a
 * listing page starts exactly where the last one ended whatever the server's locale. `files.sha`
 * references `blobs`: a sweep in one process can never leave a file of another without its content.
 *
 * A version is a list of statements, each sent on its own: drivers' parameterised queries take one.
 */
export const POSTGRES_MIGRATIONS: ReadonlyArray<readonly string[]> = [
  [
    `CREATE TABLE repos (
    id              bigint PRIMARY KEY,
    owner           text NOT NULL,
    name            text NOT NULL,
    full_name_lc    text NOT NULL UNIQUE,
    private         boolean NOT NULL,
    default_branch  text NOT NULL,
    installation_id bigint,
    branch          text NOT NULL,
    sha             text,
    config          text NOT NULL,
    config_error    text,
    last_sync_at    text,
    last_error      text,
    file_count      integer NOT NULL DEFAULT 0,
    skipped         text NOT NULL DEFAULT '[]',
    heal_owner      text,
    heal_until      bigint NOT NULL DEFAULT 0
  )`,
    `CREATE TABLE blobs (
    sha     text PRIMARY KEY,
    content bytea NOT NULL
  )`,
    `CREATE TABLE files (
    repo_id bigint NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
    path    text COLLATE "C" NOT NULL,
    sha     text NOT NULL REFERENCES blobs(sha),
    size    bigint NOT NULL,
    PRIMARY KEY (repo_id, path)
  )`,
    "CREATE INDEX files_sha ON files (sha)",
    `CREATE TABLE webhook_deliveries (
    id          text PRIMARY KEY,
    seq         bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    received_at bigint NOT NULL
  )`,
    "CREATE INDEX webhook_deliveries_received ON webhook_deliveries (received_at)",
    // The write queue (src/store/write-store.ts). `in_overlay` marks the rows reads must still see.
    `CREATE TABLE writes (
      seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      id            text NOT NULL UNIQUE,
      repo_id       bigint NOT NULL,
      branch        text NOT NULL,
      collection    text NOT NULL,
      record_id     text NOT NULL,
      path          text COLLATE "C" NOT NULL,
      op            text NOT NULL CHECK (op IN ('put', 'delete')),
      user_login    text NOT NULL,
      actor         text NOT NULL,
      content       bytea,
      sha           text,
      status        text NOT NULL CHECK (status IN ('queued', 'committing', 'committed', 'failed')),
      batch_id      text,
      commit_sha    text,
      error         text,
      in_overlay    boolean NOT NULL DEFAULT true,
      overlay_until bigint,
      accepted_at   bigint NOT NULL,
      finished_at   bigint
    )`,
    "CREATE INDEX writes_queue ON writes (repo_id, status, seq)",
    "CREATE INDEX writes_overlay ON writes (repo_id, path, seq) WHERE in_overlay",
    "CREATE INDEX writes_batch ON writes (batch_id) WHERE batch_id IS NOT NULL",
    "CREATE INDEX writes_finished ON writes (finished_at) WHERE finished_at IS NOT NULL",
    `CREATE TABLE write_batches (
      id          text PRIMARY KEY,
      repo_id     bigint NOT NULL,
      branch      text NOT NULL,
      status      text NOT NULL CHECK (status IN ('committing', 'committed', 'failed')),
      base_sha    text,
      attempts    integer NOT NULL DEFAULT 0,
      commit_sha  text,
      created_at  bigint NOT NULL,
      finished_at bigint,
      owner       text,
      lease_until bigint NOT NULL DEFAULT 0,
      lease_ms    bigint NOT NULL DEFAULT 0
    )`,
    "CREATE INDEX write_batches_open ON write_batches (repo_id) WHERE status = 'committing'",
    `CREATE TABLE write_state (
      repo_id        bigint PRIMARY KEY,
      last_commit    text,
      last_commit_at bigint,
      last_error     text,
      full_name_lc   text
    )`,
    "CREATE INDEX write_state_name ON write_state (full_name_lc)",
    // The write state follows its repository's renames, so `/writes/{id}` answers under the newest name once the mirror is purged.
    `CREATE FUNCTION write_state_follows_rename() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE write_state SET full_name_lc = NEW.full_name_lc WHERE repo_id = NEW.id;
      RETURN NULL;
    END $$`,
    `CREATE TRIGGER write_state_follows_rename AFTER UPDATE OF full_name_lc ON repos
      FOR EACH ROW WHEN (NEW.full_name_lc IS DISTINCT FROM OLD.full_name_lc)
      EXECUTE FUNCTION write_state_follows_rename()`,
  ],
  // Version 2: site keys per repository (KeyStore), stored as SHA-256 hashes; revoking deletes the row.
  [
    `CREATE TABLE site_keys (
      id           text PRIMARY KEY,
      repo_id      bigint NOT NULL,
      name         text NOT NULL,
      hash         text NOT NULL UNIQUE,
      created_at   bigint NOT NULL,
      last_used_at bigint
    )`,
    "CREATE INDEX site_keys_repo ON site_keys (repo_id, created_at)",
  ],
];
