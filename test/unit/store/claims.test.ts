import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { gitBlobSha } from "../../../src/git/blob-sha.js";
import { ClaimLostError } from "../../../src/store/claim-lost-error.js";
import { openSqliteStore } from "../../../src/store/sqlite/sqlite-store.js";
import type { MirrorStore, Store } from "../../../src/store/store.js";
import type { NewWrite, WriteStore } from "../../../src/store/write-store.js";
import { makeTempDir } from "../../helpers/temp-dir.js";

const HEAD = "1".repeat(40);
const limits = { maxPaths: 500, maxWrites: 2000, maxBytes: 1024 * 1024 };
const A = { owner: "process-a", leaseMs: 1000 };
const B = { owner: "process-b", leaseMs: 1000 };
let counter = 0;

function newWrite(path: string): NewWrite {
  counter += 1;
  const content = Buffer.from(`${counter}`);
  return {
    id: `W${String(counter).padStart(25, "0")}`,
    repoId: 7,
    branch: "main",
    collection: "likes",
    recordId: path,
    path,
    op: "put",
    user: "alice",
    actor: "key",
    content,
    sha: gitBlobSha(content),
    acceptedAt: counter,
  };
}

describe("claims on the embedded store", () => {
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
    await writes.enqueue(newWrite("d/a.json"), {}, 0);
    await writes.enqueue(newWrite("d/b.json"), {}, 0);
  });
  afterEach(async () => {
    await opened.close();
    temp.cleanup();
  });

  describe("batches", () => {
    it("hands a repository's batch to one owner at a time; its owner claims it again", async () => {
      const claimed = await writes.claimBatch(7, A, limits, "B1", 0);
      expect(claimed).toMatchObject({ id: "B1", owner: A.owner });
      expect(await writes.claimBatch(7, B, limits, "B2", 500)).toBeNull();
      expect(await writes.claimBatch(7, A, limits, "B2", 500)).toMatchObject({ id: "B1", owner: A.owner });
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

    it("releases the claims of an earlier run when reopened: the data folder is one process's", async () => {
      await writes.claimBatch(7, A, { ...limits, maxWrites: 1 }, "B1", 0);
      await opened.close();
      opened = openSqliteStore(temp.dir);
      ({ mirror, writes } = opened);
      expect(await writes.claimBatch(7, B, limits, "B2", 1)).toMatchObject({ id: "B1", owner: B.owner });
    });
  });

  describe("heals", () => {
    it("gives a repository's heal to one owner until its lease lapses; its owner claims it again", async () => {
      expect(await mirror.claimHeal(7, A.owner, 1000, 0)).toBe(true);
      expect(await mirror.claimHeal(7, B.owner, 1000, 999)).toBe(false);
      expect(await mirror.claimHeal(7, A.owner, 1000, 999)).toBe(true);
      expect(await mirror.claimHeal(7, B.owner, 1000, 1999)).toBe(true);
      expect(await mirror.claimHeal(7, A.owner, 1000, 2000)).toBe(false);
    });

    it("claims no heal of a repository it does not mirror", async () => {
      expect(await mirror.claimHeal(8, A.owner, 1000, 0)).toBe(false);
    });
  });
});
