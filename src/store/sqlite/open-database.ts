import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { ConfigError, messageOf } from "../../errors.js";
import { lockDataDir } from "./lock-data-dir.js";
import { SQLITE_MIGRATIONS } from "./migrations.js";

export type SqliteDatabase = Database.Database;

/**
 * Opens (creating if needed) the embedded database in `dataDir` and brings its schema up to date.
 * WAL with synchronous=FULL: a committed transaction is fsynced, so an acknowledged write
 * survives kill -9 and power loss, while readers never block the writer.
 */
export function openDatabase(dataDir: string): SqliteDatabase {
  const file = path.join(dataDir, "gitdisk.sqlite3");
  let db: SqliteDatabase;
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    lockDataDir(dataDir);
    db = new Database(file);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`cannot open the database ${file} (DATA_DIR): ${messageOf(error)}`, { dataDir });
  }
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db);
  return db;
}

function migrate(db: SqliteDatabase): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  const apply = db.transaction(() => {
    for (let version = current; version < SQLITE_MIGRATIONS.length; version++) {
      db.exec(SQLITE_MIGRATIONS[version]!);
    }
    db.pragma(`user_version = ${SQLITE_MIGRATIONS.length}`);
  });
  if (current < SQLITE_MIGRATIONS.length) apply();
}

/**
 * Runs `work` (transactions) without waiting for the disk at their commits: they reach the OS, so
 * they survive kill -9, and the next synchronous=FULL commit makes them durable with itself, because it
 * syncs the whole WAL. For the intermediate steps of a long operation whose durability only matters
 * together with the final commit that follows them: each would otherwise block the event loop for a
 * disk sync of its own.
 */
export function withoutDiskSync<T>(db: SqliteDatabase, work: () => T): T {
  db.pragma("synchronous = NORMAL");
  try {
    return work();
  } finally {
    db.pragma("synchronous = FULL");
  }
}
