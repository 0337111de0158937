import type { StoreConfig as StoreSettings } from "../config/store-config.js";
import { ConfigError } from "../errors.js";
import { openDatabase } from "./sqlite/open-database.js";
import { SqliteMirrorStore } from "./sqlite/sqlite-mirror-store.js";
import { SqliteWriteStore } from "./sqlite/sqlite-write-store.js";
import type { MirrorStore } from "./store.js";
import type { WriteStore } from "./write-store.js";

type StoreConfig = Pick<StoreSettings, "dataDir" | "databaseUrl"> & Partial<Pick<StoreSettings, "maxRepoBytes">>;

/** Chooses the backend from the configuration: the embedded SQLite store unless DATABASE_URL is set. */
export function createStore(config: StoreConfig): MirrorStore {
  return createStores(config).store;
}

/**
 * The mirror and the write queue on one database: accepting a write checks the mirror and queues in
 * one transaction. Closing the mirror store closes both.
 */
export function createStores(config: StoreConfig): { store: MirrorStore; writeStore: WriteStore } {
  if (config.databaseUrl) {
    throw new ConfigError("DATABASE_URL is set, but the PostgreSQL backend is not available yet; unset it to use the embedded store");
  }
  const db = openDatabase(config.dataDir);
  const store = new SqliteMirrorStore(db, config.maxRepoBytes === undefined ? {} : { maxRepoBytes: config.maxRepoBytes });
  return { store, writeStore: new SqliteWriteStore(db) };
}
