import path from "node:path";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { gitBlobSha } from "../../../src/git/blob-sha.js";
import { SQLITE_MIGRATIONS } from "../../../src/store/sqlite/migrations.js";
import { openDatabase } from "../../../src/store/sqlite/open-database.js";
import { SqliteMirrorStore } from "../../../src/store/sqlite/sqlite-mirror-store.js";
import { openSqliteStore } from "../../../src/store/sqlite/sqlite-store.js";
import { SqliteWriteStore } from "../../../src/store/sqlite/sqlite-write-store.js";
import type { MirrorStore, Store } from "../../../src/store/store.js";
import type { NewWrite, WriteStore } from "../../../src/store/write-store.js";
import { legacyDatabase } from "../../helpers/legacy-database.js";
import { makeTempDir } from "../../helpers/temp-dir.js";

const HEAD = "1".repeat(40);
let counter = 0;

function newWrite(path: string, text: string | null, overrides: Partial<NewWrite> = {}): NewWrite {
  counter += 1;
  const content = text === null ? null : Buffer.from(text);
  return {
    id: `W${String(counter).padStart(25, "0")}`,
    repoId: 7,
    branch: "main",
    collection: "likes",
    recordId: path,
    path,
    op: text === null ? "delete" : "put",
    user: "alice",
    actor: "key",
    content,
    sha: content ? gitBlobSha(content) : null,
    acceptedAt: 1000 + counter,
    ...overrides,
  };
}

const limits = { maxPaths: 500, maxWrites: 2000, maxBytes: 1024 * 1024 };
/** The one flusher these tests claim batches as (claims between owners: test/unit/store/batch-claims.test.ts). */
const ME = { owner: "me", leaseMs: 60_000 };
/** A batch of ours, as a fenced call presents it. */
const mine = (id: string) => ({ id, owner: ME.owner });

describe("SqliteWriteStore", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let opened: Store;
  let mirror: MirrorStore;
  let writes: WriteStore;

  beforeEach(async () => {
    temp = makeTempDir();
    opened = openSqliteStore(temp.dir);
    ({ mirror, writes } = opened);
    await mirror.upsertRepo(
      { id: 7, owner: "octo", name: "site", private: false, defaultBranch: "main", installationId: 42 },
      { branch: "main", config: DEFAULT_REPO_CONFIG },
    );
    const existing = Buffer.from("mirror");
    await mirror.applyChanges(7, {
      fromSha: null,
      toSha: HEAD,
      upserts: [{ path: "d/m.json", content: existing, sha: gitBlobSha(existing), size: 6 }],
      deletes: [],
    });
  });
  afterEach(async () => {
    await opened.close();
    temp.cleanup();
  });

  it("judges conditions against the mirror with pending writes on top", async () => {
    const mirrorSha = gitBlobSha(Buffer.from("mirror"));
    expect(await writes.enqueue(newWrite("d/m.json", "x"), { exists: false }, 0)).toEqual({
      ok: false,
      reason: "exists",
      currentSha: mirrorSha,
    });
    expect(await writes.enqueue(newWrite("d/m.json", "x"), { sha: "0".repeat(40) }, 0)).toMatchObject({ ok: false, reason: "changed" });
    const replaced = await writes.enqueue(newWrite("d/m.json", "x"), { sha: mirrorSha }, 0);
    expect(replaced).toMatchObject({ ok: true, existed: true, write: { status: "queued", path: "d/m.json" } });
    // The pending write is now the record's state.
    expect(await writes.enqueue(newWrite("d/m.json", "y"), { sha: mirrorSha }, 0)).toMatchObject({
      ok: false,
      reason: "changed",
      currentSha: gitBlobSha(Buffer.from("x")),
    });
    expect(await writes.enqueue(newWrite("d/m.json", null), { exists: true }, 0)).toMatchObject({ ok: true });
    expect(await writes.enqueue(newWrite("d/m.json", null), { exists: true }, 0)).toEqual({
      ok: false,
      reason: "missing",
      currentSha: null,
    });
    expect(await writes.enqueue(newWrite("d/new.json", "n"), { exists: false }, 0)).toMatchObject({ ok: true, existed: false });
    expect(await writes.enqueue(newWrite("d/new.json", "n"), { exists: false }, 0)).toMatchObject({ ok: false, reason: "exists" });
  });

  it("commits writes of one turn together, each judged after the ones before it, each failing alone", async () => {
    const first = newWrite("d/same.json", "1");
    const results = await Promise.allSettled([
      writes.enqueue(first, { exists: false }, 0),
      writes.enqueue(newWrite("d/same.json", "2"), { exists: false }, 0),
      writes.enqueue({ ...newWrite("d/dup.json", "3"), id: first.id }, {}, 0),
      writes.enqueue(newWrite("d/other.json", "4"), { exists: false }, 0),
    ]);
    expect(results.map((r) => (r.status === "fulfilled" ? (r.value.ok ? "ok" : r.value.reason) : "error"))).toEqual([
      "ok",
      "exists",
      "error",
      "ok",
    ]);
    expect((await writes.status(7)).pendingWrites).toBe(2);
    expect(await writes.overlayAt(7, "d/dup.json", 0)).toBeNull();
  });

  it("overlays the newest pending write per path, under a prefix too", async () => {
    await writes.enqueue(newWrite("d/a.json", "1"), {}, 0);
    await writes.enqueue(newWrite("d/a.json", "2"), {}, 0);
    await writes.enqueue(newWrite("d/b.json", null), {}, 0);
    await writes.enqueue(newWrite("e/c.json", "3"), {}, 0);
    expect((await writes.overlayAt(7, "d/a.json", 0))?.content?.toString()).toBe("2");
    expect((await writes.overlayUnder(7, "d/", 0)).map((w) => [w.path, w.op])).toEqual([
      ["d/a.json", "put"],
      ["d/b.json", "delete"],
    ]);
    expect(await writes.overlayAt(8, "d/a.json", 0)).toBeNull();
  });

  it("forms batches oldest first within the limits, keeping a record's writes together and in order", async () => {
    for (const path of ["a", "b", "a", "c", "d", "c"]) await writes.enqueue(newWrite(path, path), {}, 0);
    const first = await writes.claimBatch(7, ME, { ...limits, maxPaths: 2 }, "B1", 5);
    expect(first?.writes.map((w) => w.path)).toEqual(["a", "b", "a"]);
    expect(first?.writes.every((w) => w.status === "committing" && w.batchId === "B1")).toBe(true);
    // Until it is finished, the same batch comes back: a retry commits exactly the same writes.
    expect((await writes.claimBatch(7, ME, limits, "B2", 6))?.id).toBe("B1");
    await writes.recordAttempt(mine("B1"), HEAD, 6);
    await writes.recordAttempt(mine("B1"), "2".repeat(40), 6);
    expect(await writes.claimBatch(7, ME, limits, "B2", 6)).toMatchObject({ id: "B1", attempts: 2, baseSha: HEAD });
    await writes.completeBatch(mine("B1"), "c".repeat(40), 10);
    const second = await writes.claimBatch(7, ME, limits, "B2", 11);
    expect(second?.writes.map((w) => w.path)).toEqual(["c", "d", "c"]);
    await writes.failBatch(mine("B2"), "no access", 12);
    expect(await writes.claimBatch(7, ME, limits, "B3", 13)).toBeNull();
    expect(await writes.getWrite(second!.writes[0]!.id)).toMatchObject({ status: "failed", error: "no access", finishedAt: 12 });
  });

  it("holds back every later write of a record that did not fit", async () => {
    await writes.enqueue(newWrite("big", "x".repeat(600)), {}, 0);
    await writes.enqueue(newWrite("other", "x".repeat(600)), {}, 0);
    await writes.enqueue(newWrite("other", "y"), {}, 0);
    await writes.enqueue(newWrite("small", "z"), {}, 0);
    const batch = await writes.claimBatch(7, ME, { ...limits, maxBytes: 1000 }, "B1", 0);
    expect(batch?.writes.map((w) => [w.path, w.content?.length])).toEqual([
      ["big", 600],
      ["small", 1],
    ]);
  });

  it("keeps committed writes overlaid until the mirror has them, and reports status", async () => {
    const { write } = (await writes.enqueue(newWrite("d/a.json", "1"), {}, 0)) as { write: { id: string } };
    await writes.enqueue(newWrite("d/b.json", "2"), {}, 0);
    expect(await writes.status(7)).toMatchObject({ pendingWrites: 2, oldestQueuedAt: expect.any(Number), lastCommit: null });
    expect(await writes.pendingRepos()).toEqual([7]);
    await writes.claimBatch(7, ME, limits, "B1", 0);
    expect((await writes.status(7)).oldestQueuedAt).toBeNull();
    await writes.completeBatch(mine("B1"), "c".repeat(40), 100, 200);
    expect(await writes.getWrite(write.id)).toMatchObject({ status: "committed", commitSha: "c".repeat(40) });
    expect(await writes.overlayAt(7, "d/a.json", 150)).not.toBeNull();
    expect(await writes.overlayAt(7, "d/a.json", 201)).toBeNull();
    expect(await writes.status(7)).toEqual({
      pendingWrites: 0,
      oldestQueuedAt: null,
      lastCommit: "c".repeat(40),
      lastCommitAt: 100,
      lastError: null,
    });
    expect(await writes.pendingRepos()).toEqual([]);
    await writes.noteError(7, "boom");
    expect((await writes.status(7)).lastError).toBe("boom");
  });

  it("stops overlaying at once when the mirror took the commit, and prunes old finished writes", async () => {
    const { write } = (await writes.enqueue(newWrite("d/a.json", "1"), {}, 0)) as { write: { id: string } };
    await writes.claimBatch(7, ME, limits, "B1", 0);
    await writes.completeBatch(mine("B1"), "c".repeat(40), 100);
    expect(await writes.overlayAt(7, "d/a.json", 100)).toBeNull();
    expect(await writes.prune(50, 1000)).toBe(0);
    expect(await writes.prune(101, 1000)).toBe(1);
    expect(await writes.getWrite(write.id)).toBeNull();
  });

  it("survives reopening: queued and committing writes are still there", async () => {
    await writes.enqueue(newWrite("d/a.json", "1"), {}, 0);
    await writes.claimBatch(7, ME, limits, "B1", 0);
    await writes.enqueue(newWrite("d/b.json", "2"), {}, 0);
    await opened.close();
    opened = openSqliteStore(temp.dir);
    ({ mirror, writes } = opened);
    expect(await writes.pendingRepos()).toEqual([7]);
    expect((await writes.claimBatch(7, ME, limits, "B2", 0))?.id).toBe("B1");
    expect((await writes.status(7)).pendingWrites).toBe(2);
  });

  it("finds a repository by the name it wrote under, case-insensitively, the newest of a reused name, across reopening", async () => {
    expect(await writes.repoIdByName("octo/site")).toBeNull();
    await writes.nameRepo(7, "Octo/Site");
    await writes.nameRepo(3, "octo/site");
    await writes.nameRepo(9, "octo/old-name");
    await writes.nameRepo(9, "octo/new-name");
    await writes.enqueue(newWrite("d/a.json", "1"), {}, 0); // a synced commit carries the names to disk
    await opened.close();
    opened = openSqliteStore(temp.dir);
    ({ mirror, writes } = opened);
    expect(await writes.repoIdByName("OCTO/site")).toBe(7);
    expect(await writes.repoIdByName("octo/new-name")).toBe(9);
    expect(await writes.repoIdByName("octo/old-name")).toBeNull();
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

    it("fails whole, every write with the reason", async () => {
      const ids = await enqueueMany(150, "d");
      await writes.claimBatch(7, ME, limits, "B1", 0);
      await writes.failBatch(mine("B1"), "branch protected", 100);
      const failed = await Promise.all(ids.map((id) => writes.getWrite(id)));
      expect(failed.every((write) => write?.status === "failed" && write.error === "branch protected")).toBe(true);
      expect(await writes.status(7)).toMatchObject({ pendingWrites: 0, lastError: "branch protected" });
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

    it("shrinks to its first writes; the others go back to the queue in order", async () => {
      const ids = await enqueueMany(5, "d");
      await writes.claimBatch(7, ME, limits, "B1", 0);
      await writes.shrinkBatch(mine("B1"), 2);
      expect((await writes.claimBatch(7, ME, limits, "B2", 0))?.writes.map((write) => write.id)).toEqual(ids.slice(0, 2));
      await writes.completeBatch(mine("B1"), "c".repeat(40), 100);
      expect((await writes.claimBatch(7, ME, limits, "B2", 0))?.writes.map((write) => write.id)).toEqual(ids.slice(2));
    });
  });
});
