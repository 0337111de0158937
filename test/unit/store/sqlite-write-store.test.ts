import path from "node:path";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { SQLITE_MIGRATIONS } from "../../../src/store/sqlite/migrations.js";
import { openDatabase } from "../../../src/store/sqlite/open-database.js";
import { SqliteMirrorStore } from "../../../src/store/sqlite/sqlite-mirror-store.js";
import { openSqliteStore } from "../../../src/store/sqlite/sqlite-store.js";
import { SqliteWriteStore } from "../../../src/store/sqlite/sqlite-write-store.js";
import type { MirrorStore, Store } from "../../../src/store/store.js";
import type { WriteStore } from "../../../src/store/write-store.js";
import { legacyDatabase } from "../../helpers/legacy-database.js";
import { makeTempDir } from "../../helpers/temp-dir.js";
import { mirrorQueueRepo, newWrite, QUEUE_REPO_HEAD } from "../../helpers/write-fixtures.js";

const HEAD = QUEUE_REPO_HEAD;

const limits = { maxPaths: 500, maxWrites: 2000, maxBytes: 1024 * 1024 };
/** The flusher most tests claim batches as (claims between owners: test/contract/write-store.contract.test.ts). */
const ME = { owner: "me", leaseMs: 60_000 };
/** A batch of ours, as a fenced call presents it. */
const mine = (id: string) => ({ id, owner: ME.owner });

// What every backend must do runs in the contract suite (test/contract/); here, what is SQLite's own: stepping, crashes between steps, upgrades.
describe("SqliteWriteStore", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let opened: Store;
  let mirror: MirrorStore;
  let writes: WriteStore;

  beforeEach(async () => {
    temp = makeTempDir();
    opened = openSqliteStore(temp.dir);
    ({ mirror, writes } = opened);
    await mirrorQueueRepo(mirror);
  });
  afterEach(async () => {
    await opened.close();
    temp.cleanup();
  });

  it("releases the claims of an earlier run when reopened: the data folder is one process's", async () => {
    await writes.enqueue(newWrite("d/a.json", "a"), {}, 0);
    await writes.enqueue(newWrite("d/b.json", "b"), {}, 0);
    await writes.claimBatch(7, { owner: "process-a", leaseMs: 1000 }, { ...limits, maxWrites: 1 }, "B1", 0);
    await opened.close();
    opened = openSqliteStore(temp.dir);
    ({ mirror, writes } = opened);
    expect(await writes.claimBatch(7, { owner: "process-b", leaseMs: 1000 }, limits, "B2", 1)).toMatchObject({
      id: "B1",
      owner: "process-b",
    });
  });

  it("upgrading from version 3, names the repositories that have write state or queued writes", async () => {
    const dir = path.join(temp.dir, "version-3");
    const legacy = legacyDatabase(dir, 3);
    const addRepo = legacy.prepare(
      "INSERT INTO repos (id, owner, name, full_name_lc, private, default_branch, branch, config) VALUES (?, 'Octo', ?, ?, 0, 'main', 'main', '{}')",
    );
    addRepo.run(7, "Committed", "octo/committed");
    addRepo.run(8, "Queued", "octo/queued");
    legacy.prepare("INSERT INTO write_state (repo_id, last_commit, last_commit_at) VALUES (7, ?, 1)").run(HEAD);
    legacy
      .prepare(
        "INSERT INTO writes (id, repo_id, branch, collection, record_id, path, op, user, status, accepted_at) VALUES ('W1', 8, 'main', 'likes', 'a', 'd/a.json', 'delete', 'alice', 'queued', 1)",
      )
      .run();
    legacy.close();
    const db = openDatabase(dir);
    const upgraded = new SqliteWriteStore(db);
    expect(await upgraded.repoIdByName("octo/committed")).toBe(7);
    expect(await upgraded.repoIdByName("octo/queued")).toBe(8);
    db.close();
  });

  it("upgrading to the version that records actors, counts every earlier write as the key's, and follows renames from then on", async () => {
    const dir = path.join(temp.dir, "before-actors");
    const legacy = legacyDatabase(
      dir,
      SQLITE_MIGRATIONS.findIndex((migration) => migration.includes("ADD COLUMN actor")),
    );
    legacy
      .prepare(
        "INSERT INTO writes (id, repo_id, branch, collection, record_id, path, op, user, status, accepted_at) VALUES ('W1', 8, 'main', 'likes', 'a', 'd/a.json', 'delete', 'alice', 'queued', 1)",
      )
      .run();
    legacy.close();
    const db = openDatabase(dir);
    const upgraded = new SqliteWriteStore(db);
    expect(await upgraded.getWrite("W1")).toMatchObject({ actor: "key", user: "alice" });
    const upgradedMirror = new SqliteMirrorStore(db);
    await upgradedMirror.upsertRepo(
      { id: 8, owner: "octo", name: "old", private: false, defaultBranch: "main", installationId: 1 },
      { branch: "main", config: DEFAULT_REPO_CONFIG },
    );
    await upgraded.nameRepo(8, "octo/old");
    await upgradedMirror.updateRepo(8, { name: "New" });
    expect([await upgraded.repoIdByName("octo/new"), await upgraded.repoIdByName("octo/old")]).toEqual([8, null]);
    db.close();
  });

  describe("a batch larger than one step of forming (100 writes)", () => {
    async function enqueueMany(count: number, prefix: string): Promise<string[]> {
      const results = await Promise.all(
        Array.from({ length: count }, (_, i) => writes.enqueue(newWrite(`${prefix}/${String(i).padStart(4, "0")}.json`, `${i}`), {}, 0)),
      );
      return results.map((result) => (result as { write: { id: string } }).write.id);
    }

    it("is formed in steps that let other writes through in between, and ends whole", async () => {
      const ids = await enqueueMany(250, "d");
      const forming = writes.claimBatch(7, ME, limits, "B1", 0);
      // Accepted while the batch is being formed: answered before it is done, and not part of it.
      const during = writes.enqueue(newWrite("late/x.json", "late"), {}, 0);
      const answeredFirst = await Promise.race([during.then(() => "write"), forming.then(() => "batch")]);
      expect(answeredFirst).toBe("write");
      const batch = (await forming)!;
      expect(batch.writes.map((write) => write.id)).toEqual(ids);
      expect(batch.writes.every((write) => write.status === "committing" && write.batchId === "B1")).toBe(true);

      await writes.completeBatch(mine("B1"), "c".repeat(40), 100);
      expect(await Promise.all([ids[0]!, ids[249]!].map(async (id) => (await writes.getWrite(id))?.status))).toEqual([
        "committed",
        "committed",
      ]);
      expect(await writes.status(7)).toMatchObject({ pendingWrites: 1, lastCommit: "c".repeat(40) });
      expect((await writes.claimBatch(7, ME, limits, "B2", 0))?.writes.map((write) => write.path)).toEqual(["late/x.json"]);
    });

    it("is completed in steps that let other writes through; cut short by a crash, it stays open to be completed again", async () => {
      const ids = await enqueueMany(250, "d");
      await writes.claimBatch(7, ME, limits, "B1", 0);
      const completing = writes.completeBatch(mine("B1"), "c".repeat(40), 100);
      const during = writes.enqueue(newWrite("late/x.json", "late"), {}, 0);
      expect(await Promise.race([during.then(() => "write"), completing.then(() => "batch")])).toBe("write");
      await opened.close(); // the process dies between two steps
      await expect(completing).rejects.toThrow();

      opened = openSqliteStore(temp.dir);
      ({ mirror, writes } = opened);
      const statuses = await Promise.all(ids.map(async (id) => (await writes.getWrite(id))?.status));
      expect(statuses.filter((status) => status === "committed").length).toBeGreaterThanOrEqual(100);
      expect(statuses).toContain("committing");
      const resumed = (await writes.claimBatch(7, ME, limits, "B2", 0))!;
      expect(resumed.id).toBe("B1");
      expect(resumed.writes.map((write) => write.id)).toEqual(ids);
      await writes.completeBatch(mine("B1"), "c".repeat(40), 100);
      expect((await Promise.all(ids.map((id) => writes.getWrite(id)))).every((write) => write?.status === "committed")).toBe(true);
      expect(await writes.status(7)).toMatchObject({ pendingWrites: 1, lastCommit: "c".repeat(40) });
    });

    it("cut short by a crash while forming, is a smaller batch of the oldest writes; the rest stay queued in order", async () => {
      const ids = await enqueueMany(250, "d");
      const forming = writes.claimBatch(7, ME, limits, "B1", 0);
      await new Promise((resolve) => setImmediate(resolve));
      await opened.close(); // the process dies between two steps
      await expect(forming).rejects.toThrow();
      opened = openSqliteStore(temp.dir);
      ({ mirror, writes } = opened);
      const resumed = (await writes.claimBatch(7, ME, limits, "B2", 0))!;
      const kept = resumed.writes.length;
      expect(resumed.id).toBe("B1");
      expect([100, 200]).toContain(kept); // whole steps only
      expect(resumed.writes.map((write) => write.id)).toEqual(ids.slice(0, kept));
      await writes.completeBatch(mine("B1"), "c".repeat(40), 100);
      expect((await writes.claimBatch(7, ME, limits, "B2", 0))?.writes.map((write) => write.id)).toEqual(ids.slice(kept));
    });
  });
});
