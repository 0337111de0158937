import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { SQLITE_MIGRATIONS } from "../../src/store/sqlite/migrations.js";

/** A database in a new folder `dir` as an older release left it: schema `version`, for upgrade tests. Close it before opening `dir` again. */
export function legacyDatabase(dir: string, version: number): Database.Database {
  fs.mkdirSync(dir);
  const legacy = new Database(path.join(dir, "gitdisk.sqlite3"));
  for (const migration of SQLITE_MIGRATIONS.slice(0, version)) legacy.exec(migration);
  legacy.pragma(`user_version = ${version}`);
  return legacy;
}
