import type { SqlQueryable } from "./sql-client.js";
import { FOREIGN_KEY_VIOLATION, sqlState } from "./sql-values.js";

/**
 * Removes those of these blobs (all, when left out) that no file names. Runs inside a transaction, in a
 * savepoint: when a change in another transaction names one of them meanwhile, the foreign key refuses
 * the delete, and only the sweep is given up (a later one retries), not the transaction around it.
 */
export async function sweepUnnamedBlobs(tx: SqlQueryable, shas?: Iterable<string>): Promise<void> {
  const only = shas === undefined ? undefined : [...new Set(shas)];
  if (only?.length === 0) return;
  await tx.query("SAVEPOINT sweep_blobs");
  try {
    await tx.query(
      `DELETE FROM blobs b WHERE ${only ? "b.sha = ANY($1::text[]) AND" : ""} NOT EXISTS (SELECT 1 FROM files f WHERE f.sha = b.sha)`,
      only ? [only] : [],
    );
    await tx.query("RELEASE SAVEPOINT sweep_blobs");
  } catch (error) {
    if (sqlState(error) !== FOREIGN_KEY_VIOLATION) throw error;
    await tx.query("ROLLBACK TO SAVEPOINT sweep_blobs");
  }
}
