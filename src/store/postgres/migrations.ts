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
    skipped         text NOT NULL DEFAULT '[]'
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
  ],
];
