import type { StoreConfig as StoreSettings } from "../config/store-config.js";
import { ConfigError } from "../errors.js";
import { openSqliteStore } from "./sqlite/sqlite-store.js";
import type { Store } from "./store.js";

type StoreConfig = Pick<StoreSettings, "dataDir" | "databaseUrl"> & Partial<Pick<StoreSettings, "maxRepoBytes">>;

/** Chooses the backend from the configuration: the embedded SQLite store unless DATABASE_URL is set. */
export function createStore(config: StoreConfig): Store {
  if (config.databaseUrl) {
    throw new ConfigError("DATABASE_URL is set, but the PostgreSQL backend is not available yet; unset it to use the embedded store");
  }
  return openSqliteStore(config.dataDir, config.maxRepoBytes === undefined ? {} : { maxRepoBytes: config.maxRepoBytes });
}
