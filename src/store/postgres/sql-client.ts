/**
 * The few things the PostgreSQL backend needs from a driver, so it depends on none: node-postgres's
 * Pool and PGlite (in-process PostgreSQL, used by the tests) each fit behind a thin adapter.
 *
 * Drivers differ in how they return some types; the backend accepts either form:
 * `bigint` columns as a number or a string, `bytea` as a Buffer or a Uint8Array.
 */
export interface SqlResult<R> {
  rows: R[];
  /** Rows inserted, updated or deleted by the statement. */
  rowCount: number;
}

export interface SqlQueryable {
  /** One statement, with `$1`-style parameters; a failure carries the SQLSTATE in `code`. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<SqlResult<R>>;
}

export interface SqlClient extends SqlQueryable {
  /** Runs `work` on one connection in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
