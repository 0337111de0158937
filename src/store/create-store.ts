import type { GitdiskConfig } from "../config/env.js";
import type { MirrorStore } from "./store.js";
import { openDatabase } from "./sqlite/open-database.js";
import { SqliteMirrorStore } from "./sqlite/sqlite-mirror-store.js";

/** Chooses the backend from the configuration: the embedded SQLite store unless DATABASE_URL is set. */
export function createStore(config: Pick<GitdiskConfig, "dataDir" | "databaseUrl">): MirrorStore {
  if (config.databaseUrl) {
    throw new Error("DATABASE_URL is set, but the PostgreSQL backend is not available yet; unset it to use the embedded store");
  }
  return new SqliteMirrorStore(openDatabase(config.dataDir));
}
