import type { PGlite } from "@electric-sql/pglite";
import type { SqlClient, SqlQueryable } from "../../src/store/postgres/sql-client.js";

type PgliteQueryable = Pick<PGlite, "query">;

function queryable(db: PgliteQueryable): SqlQueryable {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const result = await db.query<R>(sql, [...params]);
      return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
    },
  };
}

/**
 * The PostgreSQL backend's client over an in-process PGlite. It borrows `db`: closing the client leaves
 * it open, so a test can reopen the store over the same database, and one PGlite (seconds to start)
 * serves a whole test file.
 */
export function pgliteSqlClient(db: PGlite): SqlClient {
  return {
    ...queryable(db),
    transaction: (work) => db.transaction((tx) => work(queryable(tx))),
    close: async () => {},
  };
}
