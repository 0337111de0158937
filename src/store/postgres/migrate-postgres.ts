import { POSTGRES_MIGRATIONS } from "./migrations.js";
import type { SqlClient } from "./sql-client.js";

/** Any constant: held while migrating, so processes starting together upgrade the schema once. */
const MIGRATION_LOCK = 7_160_051_601;

/** Brings the schema up to date, in one transaction: a failed migration leaves the previous version whole. */
export async function migratePostgres(client: SqlClient): Promise<void> {
  await client.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await tx.query("CREATE TABLE IF NOT EXISTS gitdisk_schema (version integer NOT NULL)");
    const { rows } = await tx.query<{ version: number }>("SELECT version FROM gitdisk_schema");
    const current = rows[0]?.version ?? 0;
    if (current >= POSTGRES_MIGRATIONS.length) return;
    for (const migration of POSTGRES_MIGRATIONS.slice(current)) {
      for (const statement of migration) await tx.query(statement);
    }
    if (rows.length === 0) await tx.query("INSERT INTO gitdisk_schema (version) VALUES ($1)", [POSTGRES_MIGRATIONS.length]);
    else await tx.query("UPDATE gitdisk_schema SET version = $1", [POSTGRES_MIGRATIONS.length]);
  });
}
