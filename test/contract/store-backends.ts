import { PGlite } from "@electric-sql/pglite";
import { openPostgresStore } from "../../src/store/postgres/open-postgres-store.js";
import { openDatabase } from "../../src/store/sqlite/open-database.js";
import { openSqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import type { Store } from "../../src/store/store.js";
import { pgliteSqlClient } from "../helpers/pglite-sql-client.js";
import { makeTempDir } from "../helpers/temp-dir.js";

/** One backend as the contract suites see it: a fresh database per test, reopened as a restart would. */
export interface StoreBackend {
  name: string;
  /** The store over a new, empty database. */
  open(): Promise<Store>;
  /** The store again over the database of the last `open`, after the previous one was closed. */
  reopen(): Promise<Store>;
  /** Distinct contents stored: each is kept once, however many files name it. */
  blobCount(): Promise<number>;
  /** Frees what the backend holds for the whole test file. */
  dispose(): Promise<void>;
}

async function sqliteBackend(): Promise<StoreBackend> {
  let temp: ReturnType<typeof makeTempDir> | undefined;
  const openStore = (): Store => openSqliteStore(temp!.dir);
  return {
    name: "sqlite",
    async open() {
      temp?.cleanup();
      temp = makeTempDir();
      return openStore();
    },
    reopen: async () => openStore(),
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
  const openStore = (): Promise<Store> => openPostgresStore(pgliteSqlClient(db));
  return {
    name: "pglite",
    async open() {
      await db.exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
      return openStore();
    },
    reopen: openStore,
    async blobCount() {
      const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM blobs");
      return rows[0]!.n;
    },
    async dispose() {
      await db.close();
    },
  };
}

/** A contract suite's store: one backend for the test file, a fresh database for each test, closed after it. */
export interface StorePerTest {
  /** The store the running test opened. */
  readonly current: Store;
  /** Distinct contents stored (StoreBackend.blobCount). */
  blobCount(): Promise<number>;
  /** Closes the store and opens it again over the same database, as a restart would. */
  reopen(): Promise<Store>;
}

/** Registers a suite's hooks around `makeBackend`: call it at the top of the suite, before its own hooks. */
export function storePerTest(makeBackend: () => Promise<StoreBackend>): StorePerTest {
  let backend: StoreBackend;
  let opened: Store | undefined;
  beforeAll(async () => {
    backend = await makeBackend();
  }, 60_000);
  afterAll(async () => {
    await backend.dispose();
  });
  beforeEach(async () => {
    opened = await backend.open();
  });
  afterEach(async () => {
    await opened?.close();
  });
  return {
    get current() {
      if (!opened) throw new Error("no store is open outside a test");
      return opened;
    },
    blobCount: () => backend.blobCount(),
    async reopen() {
      await opened?.close();
      opened = await backend.reopen();
      return opened;
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
