import type { Store } from "../store.js";
import { openDatabase } from "./open-database.js";
import { SqliteKeyStore } from "./sqlite-key-store.js";
import { SqliteMirrorStore, type SqliteMirrorStoreOptions } from "./sqlite-mirror-store.js";
import { SqliteWriteStore } from "./sqlite-write-store.js";

/** The embedded store in `dataDir`: the mirror, the write queue and the keys on one SQLite database, closed together. */
export function openSqliteStore(dataDir: string, options: SqliteMirrorStoreOptions = {}): Store {
  const db = openDatabase(dataDir);
  return {
    mirror: new SqliteMirrorStore(db, options),
    writes: new SqliteWriteStore(db),
    keys: new SqliteKeyStore(db),
    async close() {
      db.close();
    },
  };
}
