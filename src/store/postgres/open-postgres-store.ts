import type { Store } from "../store.js";
import { migratePostgres } from "./migrate-postgres.js";
import { PostgresKeyStore } from "./postgres-key-store.js";
import { PostgresMirrorStore, type PostgresMirrorStoreOptions } from "./postgres-mirror-store.js";
import { PostgresWriteStore } from "./postgres-write-store.js";
import type { SqlClient } from "./sql-client.js";
import { sweepUnnamedBlobs } from "./sweep-blobs.js";

/**
 * The PostgreSQL backend over `sql`, its schema brought up to date; closing the store closes `sql`.
 * Contents a crash left stored for a change that never happened are swept; a change another process
 * is about to make with such a content then finds it gone and fetches it again (MirrorStore.applyChanges).
 * Claims are kept: a batch or heal another process holds stays its own until its lease lapses.
 */
export async function openPostgresStore(sql: SqlClient, options: PostgresMirrorStoreOptions = {}): Promise<Store> {
  await migratePostgres(sql);
  await sql.transaction((tx) => sweepUnnamedBlobs(tx));
  return {
    mirror: new PostgresMirrorStore(sql, options),
    writes: new PostgresWriteStore(sql),
    keys: new PostgresKeyStore(sql),
    close: () => sql.close(),
  };
}
