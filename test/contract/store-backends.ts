import { PGlite } from "@electric-sql/pglite";
import { openPostgresStore } from "../../src/store/postgres/open-postgres-store.js";
import { openDatabase } from "../../src/store/sqlite/open-database.js";
import { SqliteMirrorStore } from "../../src/store/sqlite/sqlite-mirror-store.js";
import type { MirrorStore } from "../../src/store/store.js";
import { pgliteSqlClient } from "../helpers/pglite-sql-client.js";
import { makeTempDir } from "../helpers/temp-dir.js";

export interface Stores {
  store: MirrorStore;
}

/** One backend as the contract suites see it: a fresh database per test, reopened as a restart would. */
export interface StoreBackend {
  name: string;
  /** The stores over a new, empty database. */
  open(): Promise<Stores>;
  /** The stores again over the database of the last `open`, after the previous ones were closed. */
  reopen(): Promise<Stores>;
  /** Distinct contents stored: each is kept once, however many files name it. */
  blobCount(): Promise<number>;
  /** Frees what the backend holds for the whole test file. */
  dispose(): Promise<void>;
}

async function sqliteBackend(): Promise<StoreBackend> {
  let temp: ReturnType<typeof makeTempDir> | undefined;
  const stores = (): Stores => ({ store: new SqliteMirrorStore(openDatabase(temp!.dir)) });
  return {
    name: "sqlite",
    async open() {
      temp?.cleanup();
      temp = makeTempDir();
      return stores();
    },
    reopen: async () => stores(),
    async blobCount() {
      const db = openDatabase(temp!.dir);
      try {
        return (db.prepare("SELECT count(*) AS n FROM blobs").get() as { n: number }).n;
      } finally {
        db.close();
      }
    },
    async dispose() {
      temp?.cleanup();
    },
  };
}

/** PostgreSQL in process: one PGlite for the file (it takes seconds to start), its schema dropped for each test. */
async function pgliteBackend(): Promise<StoreBackend> {
  const db = await PGlite.create();
  const stores = async (): Promise<Stores> => ({ store: await openPostgresStore(pgliteSqlClient(db)) });
  return {
    name: "pglite",
    async open() {
      await db.exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
      return stores();
    },
    reopen: stores,
    async blobCount() {
      const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM blobs");
      return rows[0]!.n;
    },
    async dispose() {
      await db.close();
    },
  };
}

const ALL: Record<string, () => Promise<StoreBackend>> = { sqlite: sqliteBackend, pglite: pgliteBackend };

/**
 * Every backend the contract suites run over; GITDISK_TEST_BACKENDS (e.g. `sqlite`) narrows the list.
 * Each is a factory (PGlite takes seconds to start: call it in `beforeAll`); a suite makes its own, so test files share no database.
 */
export const STORE_BACKENDS: Array<[string, () => Promise<StoreBackend>]> = (
  process.env.GITDISK_TEST_BACKENDS?.split(",") ?? Object.keys(ALL)
).map((name) => {
  const make = ALL[name.trim()];
  if (!make) throw new Error(`GITDISK_TEST_BACKENDS names an unknown backend "${name}"; known: ${Object.keys(ALL).join(", ")}`);
  return [name.trim(), make];
});
