import { DEFAULT_REPO_CONFIG } from "../../src/config/repo-config.js";
import { gitBlobSha } from "../../src/git/blob-sha.js";
import { ClaimLostError } from "../../src/store/claim-lost-error.js";
import type { MirrorStore } from "../../src/store/store.js";
import type { WriteStore } from "../../src/store/write-store.js";
import { mirrorQueueRepo, newWrite, QUEUE_REPO_HEAD } from "../helpers/write-fixtures.js";
import { STORE_BACKENDS, storePerTest } from "./store-backends.js";

const HEAD = QUEUE_REPO_HEAD;
const limits = { maxPaths: 500, maxWrites: 2000, maxBytes: 1024 * 1024 };
/** The flusher most tests claim batches as; A and B are two processes sharing one queue. */
const ME = { owner: "me", leaseMs: 60_000 };
const A = { owner: "process-a", leaseMs: 1000 };
const B = { owner: "process-b", leaseMs: 1000 };
/** A batch of ours, as a fenced call presents it. */
const mine = (id: string) => ({ id, owner: ME.owner });

describe.each(STORE_BACKENDS)("WriteStore contract: %s", (_name, makeBackend) => {
  const stores = storePerTest(makeBackend);
  let mirror: MirrorStore;
  let writes: WriteStore;

  beforeEach(async () => {
    ({ mirror, writes } = stores.current);
    await mirrorQueueRepo(mirror);
  });
  async function reopen(): Promise<void> {
    ({ mirror, writes } = await stores.reopen());
  }

  async function enqueueMany(count: number, prefix: string): Promise<string[]> {
    const results = await Promise.all(
      Array.from({ length: count }, (_, i) => writes.enqueue(newWrite(`${prefix}/${String(i).padStart(4, "0")}.json`, `${i}`), {}, 0)),
    );
    return results.map((result) => (result as { write: { id: string } }).write.id);
  }

  describe("accepting writes", () => {
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

    it("keeps every field of an accepted write", async () => {
      const write = newWrite("d/kept.json", "kept", { user: "bob", actor: "user:bob", collection: "notes", recordId: "kept" });
      const result = await writes.enqueue(write, {}, 0);
      const expected = { ...write, status: "queued", batchId: null, commitSha: null, error: null, finishedAt: null };
      expect(result).toEqual({ ok: true, existed: false, write: { ...expected, seq: expect.any(Number) } });
      expect(await writes.getWrite(write.id)).toEqual({ ...expected, seq: (result as { write: { seq: number } }).write.seq });
      expect(await writes.getWrite("W-unknown")).toBeNull();
    });

    it("judges writes issued together one after another, each failing alone", async () => {
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

    it("accepts one of many creations of the same record issued at once (linearisable per record)", async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => writes.enqueue(newWrite("d/race.json", `${i}`), { exists: false }, 0)),
      );
      expect(results.filter((result) => result.ok)).toHaveLength(1);
      expect((await writes.status(7)).pendingWrites).toBe(1);
    });
  });

  describe("reading through the queue", () => {
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
      expect((await writes.overlayUnder(7, "d/", 150)).map((w) => w.path)).toEqual(["d/a.json", "d/b.json"]);
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
      await writes.noteError(7, null);
      expect((await writes.status(7)).lastError).toBeNull();
    });

    it("reports an empty status for a repository that never wrote", async () => {
      expect(await writes.status(99)).toEqual({
        pendingWrites: 0,
        oldestQueuedAt: null,
        lastCommit: null,
        lastCommitAt: null,
        lastError: null,
      });
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
  });

  describe("batches", () => {
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

    it("takes the writes of one branch at a time, the oldest write's first", async () => {
      await writes.enqueue(newWrite("a", "1", { branch: "data" }), {}, 0);
      await writes.enqueue(newWrite("b", "2"), {}, 0);
      await writes.enqueue(newWrite("c", "3", { branch: "data" }), {}, 0);
      expect(await writes.claimBatch(7, ME, limits, "B1", 0)).toMatchObject({ branch: "data", writes: [{ path: "a" }, { path: "c" }] });
      await writes.completeBatch(mine("B1"), "c".repeat(40), 1);
      expect(await writes.claimBatch(7, ME, limits, "B2", 2)).toMatchObject({ branch: "main", writes: [{ path: "b" }] });
    });

    it("completes a batch the branch already held with no commit of its own, keeping the last commit", async () => {
      await writes.enqueue(newWrite("d/a.json", "1"), {}, 0);
      await writes.claimBatch(7, ME, limits, "B1", 0);
      await writes.completeBatch(mine("B1"), "c".repeat(40), 10);
      const { write } = (await writes.enqueue(newWrite("d/a.json", "1"), {}, 20)) as { write: { id: string } };
      await writes.claimBatch(7, ME, limits, "B2", 20);
      await writes.noteError(7, "GitHub answered 502");
      await writes.completeBatch(mine("B2"), null, 30);
      expect(await writes.getWrite(write.id)).toMatchObject({ status: "committed", commitSha: null, finishedAt: 30 });
      expect(await writes.status(7)).toEqual({
        pendingWrites: 0,
        oldestQueuedAt: null,
        lastCommit: "c".repeat(40),
        lastCommitAt: 10,
        lastError: null,
      });
      expect(await writes.overlayAt(7, "d/a.json", 30)).toBeNull();
    });

    it("fails whole, every write with the reason", async () => {
      const ids = await enqueueMany(150, "d");
      await writes.claimBatch(7, ME, limits, "B1", 0);
      await writes.failBatch(mine("B1"), "branch protected", 100);
      const failed = await Promise.all(ids.map((id) => writes.getWrite(id)));
      expect(failed.every((write) => write?.status === "failed" && write.error === "branch protected")).toBe(true);
      expect(await writes.status(7)).toMatchObject({ pendingWrites: 0, lastError: "branch protected" });
    });

    it("shrinks to its first writes; the others go back to the queue in order", async () => {
      const ids = await enqueueMany(5, "d");
      await writes.claimBatch(7, ME, limits, "B1", 0);
      await writes.shrinkBatch(mine("B1"), 2);
      expect((await writes.claimBatch(7, ME, limits, "B2", 0))?.writes.map((write) => write.id)).toEqual(ids.slice(0, 2));
      await writes.completeBatch(mine("B1"), "c".repeat(40), 100);
      expect((await writes.claimBatch(7, ME, limits, "B2", 0))?.writes.map((write) => write.id)).toEqual(ids.slice(2));
    });

    it("survives reopening: queued and committing writes are still there", async () => {
      await writes.enqueue(newWrite("d/a.json", "1"), {}, 0);
      await writes.claimBatch(7, ME, limits, "B1", 0);
      await writes.enqueue(newWrite("d/b.json", "2"), {}, 0);
      await reopen();
      expect(await writes.pendingRepos()).toEqual([7]);
      expect((await writes.claimBatch(7, ME, limits, "B2", 0))?.id).toBe("B1");
      expect((await writes.status(7)).pendingWrites).toBe(2);
    });
  });

  describe("claims", () => {
    beforeEach(async () => {
      await writes.enqueue(newWrite("d/a.json", "a"), {}, 0);
      await writes.enqueue(newWrite("d/b.json", "b"), {}, 0);
    });

    it("hands a repository's batch to one owner at a time; its owner claims it again", async () => {
      expect(await writes.claimBatch(7, A, limits, "B1", 0)).toMatchObject({ id: "B1", owner: A.owner });
      expect(await writes.claimBatch(7, B, limits, "B2", 500)).toBeNull();
      expect(await writes.claimBatch(7, A, limits, "B2", 500)).toMatchObject({ id: "B1", owner: A.owner });
    });

    it("never gives a batch to two owners claiming at once", async () => {
      const owners = ["p1", "p2", "p3", "p4"].map((owner) => ({ owner, leaseMs: 1000 }));
      const claims = await Promise.all(owners.map((claim, i) => writes.claimBatch(7, claim, limits, `B${i}`, 0)));
      const granted = claims.filter((claim) => claim !== null);
      expect(granted).toHaveLength(1);
      expect(granted[0]!.writes.map((write) => write.path)).toEqual(["d/a.json", "d/b.json"]);
    });

    it("lets another owner take over a batch whose lease lapsed, with its attempts so far", async () => {
      const claimed = (await writes.claimBatch(7, A, limits, "B1", 0))!;
      await writes.recordAttempt(claimed, HEAD, 100); // renews A's lease to 1100
      expect(await writes.claimBatch(7, B, limits, "B2", 1099)).toBeNull();
      const taken = await writes.claimBatch(7, B, limits, "B2", 1100);
      expect(taken).toMatchObject({ id: "B1", owner: B.owner, attempts: 1, baseSha: HEAD });
      expect(taken?.writes.map((write) => write.path)).toEqual(["d/a.json", "d/b.json"]);
    });

    it("refuses every change by an owner whose batch was taken over, changing nothing", async () => {
      const stale = (await writes.claimBatch(7, A, limits, "B1", 0))!;
      const current = (await writes.claimBatch(7, B, limits, "B2", 5000))!;
      await expect(writes.recordAttempt(stale, HEAD, 5001)).rejects.toThrow(ClaimLostError);
      await expect(writes.completeBatch(stale, "c".repeat(40), 5001)).rejects.toThrow(ClaimLostError);
      await expect(writes.shrinkBatch(stale, 1)).rejects.toThrow(ClaimLostError);
      await expect(writes.failBatch(stale, "refused", 5001)).rejects.toThrow(ClaimLostError);
      expect(await writes.status(7)).toMatchObject({ pendingWrites: 2, lastCommit: null, lastError: null });
      expect(await writes.claimBatch(7, B, limits, "B3", 5002)).toMatchObject({ id: "B1", attempts: 0, writes: current.writes });
      await writes.completeBatch(current, "c".repeat(40), 5002);
      expect(await writes.status(7)).toMatchObject({ pendingWrites: 0, lastCommit: "c".repeat(40) });
    });

    it("refuses a change to a batch already finished, by its owner too", async () => {
      const claimed = (await writes.claimBatch(7, A, limits, "B1", 0))!;
      await writes.completeBatch(claimed, "c".repeat(40), 1);
      await expect(writes.failBatch(claimed, "late", 2)).rejects.toThrow(ClaimLostError);
      expect(await writes.getWrite(claimed.writes[0]!.id)).toMatchObject({ status: "committed" });
    });

    it("after a restart, gives a batch to whoever claims once the earlier run's lease lapsed", async () => {
      await writes.claimBatch(7, A, limits, "B1", 0);
      await reopen();
      expect(await writes.claimBatch(7, B, limits, "B2", A.leaseMs)).toMatchObject({ id: "B1", owner: B.owner });
    });
  });

  describe("repository names", () => {
    it("finds a repository by the name it wrote under, case-insensitively, the newest of a reused name, across reopening", async () => {
      expect(await writes.repoIdByName("octo/site")).toBeNull();
      await writes.nameRepo(7, "Octo/Site");
      await writes.nameRepo(3, "octo/site");
      await writes.nameRepo(9, "octo/old-name");
      await writes.nameRepo(9, "octo/new-name");
      await writes.enqueue(newWrite("d/a.json", "1"), {}, 0); // a synced commit carries the names to disk
      await reopen();
      expect(await writes.repoIdByName("OCTO/site")).toBe(7);
      expect(await writes.repoIdByName("octo/new-name")).toBe(9);
      expect(await writes.repoIdByName("octo/old-name")).toBeNull();
    });

    it("follows the repository's renames", async () => {
      await writes.nameRepo(7, "octo/site");
      await mirror.updateRepo(7, { name: "New" });
      expect([await writes.repoIdByName("octo/new"), await writes.repoIdByName("octo/site")]).toEqual([7, null]);
      await mirror.upsertRepo(
        { id: 7, owner: "Elsewhere", name: "New", private: false, defaultBranch: "main", installationId: 42 },
        { branch: "main", config: DEFAULT_REPO_CONFIG },
      );
      expect(await writes.repoIdByName("elsewhere/new")).toBe(7);
    });
  });
});
