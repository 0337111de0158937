import { DEFAULT_REPO_CONFIG } from "../../src/config/repo-config.js";
import { gitBlobSha } from "../../src/git/blob-sha.js";
import type { FileBody, MirrorStore, RepoIdentity } from "../../src/store/store.js";
import { STORE_BACKENDS, storePerTest } from "./store-backends.js";

const identity: RepoIdentity = { id: 7, owner: "Octo", name: "Site", private: false, defaultBranch: "main", installationId: 42 };

function file(path: string, text: string): FileBody {
  const content = Buffer.from(text);
  return { path, content, sha: gitBlobSha(content), size: content.length };
}

describe.each(STORE_BACKENDS)("MirrorStore contract: %s", (_name, makeBackend) => {
  const stores = storePerTest(makeBackend);
  let store: MirrorStore;

  beforeEach(async () => {
    store = stores.current.mirror;
    await store.upsertRepo(identity, { branch: "main", config: DEFAULT_REPO_CONFIG });
  });

  async function reopen(): Promise<void> {
    store = (await stores.reopen()).mirror;
  }

  it("finds repositories case-insensitively and keeps the mirror across identity updates", async () => {
    await store.applyChanges(7, { fromSha: null, toSha: "a".repeat(40), upserts: [file("a.md", "A")], deletes: [] });
    await store.upsertRepo({ ...identity, private: true }, { branch: "ignored", config: DEFAULT_REPO_CONFIG });
    const repo = await store.findRepo("octo", "SITE");
    expect(repo).toMatchObject({ id: 7, private: true, branch: "main", sha: "a".repeat(40), files: 1 });
    expect(repo?.config).toEqual(DEFAULT_REPO_CONFIG);
  });

  it("keeps a repository's identity, status and config as updated, ids beyond 32 bits too", async () => {
    const big = { ...identity, id: 2 ** 40, name: "Big", installationId: 2 ** 41 };
    await store.upsertRepo(big, { branch: "main", config: DEFAULT_REPO_CONFIG });
    const config = { ...DEFAULT_REPO_CONFIG, branch: "data" };
    await store.updateRepo(big.id, { private: true, configError: "bad yaml", config, lastError: null, installationId: null });
    expect(await store.getRepo(big.id)).toMatchObject({
      id: 2 ** 40,
      installationId: null,
      private: true,
      configError: "bad yaml",
      config,
      lastError: null,
      sha: null,
      files: 0,
      skipped: [],
    });
    expect((await store.listRepos()).map((repo) => repo.id)).toEqual([7, 2 ** 40]);
  });

  it("applies changes atomically with compare-and-set on the mirrored commit", async () => {
    expect(
      await store.applyChanges(7, {
        fromSha: null,
        toSha: "1".repeat(40),
        upserts: [file("a.md", "A"), file("dir/b.md", "B")],
        deletes: [],
      }),
    ).toBe(true);
    expect(await store.applyChanges(7, { fromSha: "9".repeat(40), toSha: "2".repeat(40), upserts: [], deletes: ["a.md"] })).toBe(false);
    expect(
      await store.applyChanges(7, { fromSha: "1".repeat(40), toSha: "2".repeat(40), upserts: [file("c.md", "C")], deletes: ["a.md"] }),
    ).toBe(true);
    expect((await store.listFiles(7)).map((f) => f.path)).toEqual(["c.md", "dir/b.md"]);
    expect((await store.getRepo(7))?.sha).toBe("2".repeat(40));
    expect(await store.applyChanges(99, { fromSha: null, toSha: "1".repeat(40), upserts: [file("x", "x")], deletes: [] })).toBe(false);
  });

  it("applies a change of thousands of files whole, and takes them all away again", async () => {
    const many = Array.from({ length: 1234 }, (_, index) => file(`data/${String(index).padStart(4, "0")}.json`, `${index % 600}`));
    expect(await store.applyChanges(7, { fromSha: null, toSha: "1".repeat(40), upserts: many, deletes: [] })).toBe(true);
    expect(await store.getRepo(7)).toMatchObject({ sha: "1".repeat(40), files: 1234 });
    expect((await store.fileIndex(7)).get("data/1233.json")).toBe(gitBlobSha(Buffer.from(`${1233 % 600}`)));
    expect(await stores.blobCount()).toBe(600);
    const paths = many.map((entry) => entry.path);
    expect(await store.applyChanges(7, { fromSha: "1".repeat(40), toSha: "2".repeat(40), upserts: [], deletes: paths })).toBe(true);
    expect(await store.getRepo(7)).toMatchObject({ files: 0 });
    expect(await stores.blobCount()).toBe(0);
  });

  it("lets one of two changes from the same commit through, and applies nothing of the other", async () => {
    await store.applyChanges(7, { fromSha: null, toSha: "1".repeat(40), upserts: [file("a", "1")], deletes: [] });
    const results = await Promise.all(
      ["2", "3"].map((digit) =>
        store.applyChanges(7, {
          fromSha: "1".repeat(40),
          toSha: digit.repeat(40),
          upserts: [file(`from-${digit}`, digit)],
          deletes: ["a"],
        }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.listFiles(7)).toHaveLength(1);
    expect((await store.getRepo(7))?.files).toBe(1);
  });

  it("replaces everything on a full mirror and lists by prefix", async () => {
    await store.applyChanges(7, { fromSha: null, toSha: "1".repeat(40), upserts: [file("old.md", "x")], deletes: [] });
    await store.applyChanges(7, {
      fromSha: null,
      toSha: "2".repeat(40),
      upserts: [file("dir/a", "1"), file("dir/b", "2"), file("dirt", "3")],
      deletes: [],
      replaceAll: true,
    });
    expect((await store.listFiles(7, "dir/")).map((f) => f.path)).toEqual(["dir/a", "dir/b"]);
    expect(await store.getFile(7, "old.md")).toBeNull();
    expect((await store.getFile(7, "dir/a"))?.content.toString()).toBe("1");
    expect((await store.fileIndex(7)).get("dirt")).toBe(gitBlobSha(Buffer.from("3")));
    expect(await store.getFileEntry(7, "dirt")).toEqual({ path: "dirt", sha: gitBlobSha(Buffer.from("3")), size: 1 });
    expect(await store.getFileEntry(7, "dir")).toBeNull();
  });

  it("lists in pages that sort paths bytewise, so each page starts where the last ended", async () => {
    // Upper case sorts before lower case, and "-" (0x2d) before "/" (0x2f), as bytes do; a locale would differ.
    const paths = ["d/B", "d/a", "d/a-b", "d/a/c", "d/é", "d/z", "e/x", "d"];
    await store.applyChanges(7, { fromSha: null, toSha: "1".repeat(40), upserts: paths.map((path) => file(path, path)), deletes: [] });
    const listed: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await store.listFiles(7, "d/", { after, limit: 2 });
      listed.push(...page.map((entry) => entry.path));
      if (page.length < 2) break;
      after = page[page.length - 1]!.path;
    }
    expect(listed).toEqual(["d/B", "d/a", "d/a-b", "d/a/c", "d/z", "d/é"]);
    expect((await store.listFiles(7)).map((entry) => entry.path)).toEqual(["d", ...listed, "e/x"]);
  });

  describe("snapshots", () => {
    const paths = (files: { path: string }[]) => files.map((entry) => entry.path);

    beforeEach(async () => {
      const names = ["a.md", "d/1.md", "d/2.secret", "d/3.secret", "d/4.md", "d/5.md", "e.md"];
      await store.applyChanges(7, { fromSha: null, toSha: "1".repeat(40), upserts: names.map((name) => file(name, name)), deletes: [] });
    });

    it("pairs a page under a prefix with the commit it belongs to, and says whether more follow", async () => {
      const first = await store.snapshot(7, { prefix: "d/", after: undefined, limit: 2 });
      expect(first).toMatchObject({ sha: "1".repeat(40), more: true });
      expect(paths(first!.files)).toEqual(["d/1.md", "d/2.secret"]);
      const last = await store.snapshot(7, { prefix: "d/", after: "d/3.secret", limit: 2 });
      expect(last).toMatchObject({ more: false });
      expect(paths(last!.files)).toEqual(["d/4.md", "d/5.md"]);
      expect(last!.files[0]).toEqual({ path: "d/4.md", sha: gitBlobSha(Buffer.from("d/4.md")), size: 6 });
    });

    it("fills the page past the files it may not show", async () => {
      const accepts = (path: string) => !path.endsWith(".secret");
      const page = await store.snapshot(7, { prefix: "d/", after: undefined, limit: 2, accepts });
      expect(paths(page!.files)).toEqual(["d/1.md", "d/4.md"]);
      expect(page!.more).toBe(true);
      const rest = await store.snapshot(7, { prefix: "d/", after: "d/4.md", limit: 2, accepts });
      expect(rest).toMatchObject({ more: false });
      expect(paths(rest!.files)).toEqual(["d/5.md"]);
    });

    it("answers an empty page, and null for a repository it does not mirror", async () => {
      expect(await store.snapshot(7, { prefix: "", after: undefined, limit: 0 })).toEqual({
        sha: "1".repeat(40),
        files: [],
        more: false,
      });
      expect(await store.snapshot(8, { prefix: "", after: undefined, limit: 10 })).toBeNull();
    });
  });

  it("reads a snapshot whole while a change applies: the files of one commit and that commit", async () => {
    const files = (digit: string) => Array.from({ length: 300 }, (_, index) => file(`d/${String(index).padStart(3, "0")}`, digit));
    await store.applyChanges(7, { fromSha: null, toSha: "1".repeat(40), upserts: files("1"), deletes: [] });
    const reading = store.snapshot(7, { prefix: "d/", after: undefined, limit: 300 });
    const changing = store.applyChanges(7, {
      fromSha: "1".repeat(40),
      toSha: "2".repeat(40),
      upserts: files("2"),
      deletes: [],
      origin: "writeback",
    });
    const [snapshot] = await Promise.all([reading, changing]);
    const expected = gitBlobSha(Buffer.from(snapshot!.sha === "1".repeat(40) ? "1" : "2"));
    expect(snapshot!.files).toHaveLength(300);
    expect(snapshot!.files.every((entry) => entry.sha === expected)).toBe(true);
  });

  it("gives a repository's heal to one owner until its lease lapses; its owner claims it again", async () => {
    expect(await store.claimHeal(7, "process-a", 1000, 0)).toBe(true);
    expect(await store.claimHeal(7, "process-b", 1000, 999)).toBe(false);
    expect(await store.claimHeal(7, "process-a", 1000, 999)).toBe(true);
    expect(await store.claimHeal(7, "process-b", 1000, 1999)).toBe(true);
    expect(await store.claimHeal(7, "process-a", 1000, 2000)).toBe(false);
  });

  it("claims no heal of a repository it does not mirror", async () => {
    expect(await store.claimHeal(8, "process-a", 1000, 0)).toBe(false);
  });

  it("gives a heal to one of several owners claiming at once", async () => {
    const claims = await Promise.all(["a", "b", "c"].map((owner) => store.claimHeal(7, owner, 1000, 0)));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it("renames a repository, freeing a clashing stale name, and purges on delete", async () => {
    await store.upsertRepo({ ...identity, id: 8, name: "Other" }, { branch: "main", config: DEFAULT_REPO_CONFIG });
    await store.updateRepo(8, { name: "Site" });
    expect((await store.findRepo("octo", "site"))?.id).toBe(8);
    expect(await store.getRepo(7)).toBeNull();
    await store.applyChanges(8, { fromSha: null, toSha: "1".repeat(40), upserts: [file("a", "a")], deletes: [] });
    await store.deleteRepo(8);
    expect(await store.listFiles(8)).toEqual([]);
    expect(await store.listRepos()).toEqual([]);
  });

  it("gives a re-created repository's name to its new id", async () => {
    await store.upsertRepo({ ...identity, id: 9 }, { branch: "main", config: DEFAULT_REPO_CONFIG });
    expect((await store.findRepo("OCTO", "site"))?.id).toBe(9);
    expect(await store.getRepo(7)).toBeNull();
  });

  it("keeps the file count through adds, edits, deletes, repeated paths, a full replace and a reopen", async () => {
    const count = async () => (await store.getRepo(7))?.files;
    await store.applyChanges(7, {
      fromSha: null,
      toSha: "1".repeat(40),
      upserts: [file("a", "1"), file("b", "1"), file("c", "1")],
      deletes: [],
    });
    expect(await count()).toBe(3);
    await store.applyChanges(7, {
      fromSha: null,
      toSha: "2".repeat(40),
      upserts: [file("a", "2"), file("d", "1"), file("d", "2")],
      deletes: ["b", "missing"],
    });
    expect(await count()).toBe(3);
    expect((await store.getFile(7, "d"))?.content.toString()).toBe("2");
    expect(await store.applyChanges(7, { fromSha: "9".repeat(40), toSha: "3".repeat(40), upserts: [file("e", "1")], deletes: [] })).toBe(
      false,
    );
    expect(await count()).toBe(3);
    await store.applyChanges(7, {
      fromSha: null,
      toSha: "3".repeat(40),
      upserts: [file("x", "1"), file("y", "1")],
      deletes: [],
      replaceAll: true,
    });
    expect(await count()).toBe(2);
    await reopen();
    expect(await store.findRepo("octo", "site")).toMatchObject({ files: 2 });
    expect((await store.listRepos()).map((repo) => repo.files)).toEqual([(await store.listFiles(7)).length]);
  });

  describe("contents stored once per blob sha", () => {
    const other: RepoIdentity = { ...identity, id: 8, name: "Other" };

    it("keeps one copy of a content held by many paths and repositories, until no file names it", async () => {
      await store.upsertRepo(other, { branch: "main", config: DEFAULT_REPO_CONFIG });
      const same = ["a", "b", "c"].map((name) => file(name, "shared"));
      await store.applyChanges(7, { fromSha: null, toSha: "1".repeat(40), upserts: same, deletes: [] });
      await store.applyChanges(8, { fromSha: null, toSha: "1".repeat(40), upserts: [file("x", "shared"), file("y", "own")], deletes: [] });
      expect(await stores.blobCount()).toBe(2);

      await store.applyChanges(7, { fromSha: null, toSha: "2".repeat(40), upserts: [file("a", "edited")], deletes: ["b", "c"] });
      await store.deleteRepo(8);
      // "shared" went with the last path naming it; "own" with its repository.
      expect(await stores.blobCount()).toBe(1);
      expect((await store.getFile(7, "a"))?.content.toString()).toBe("edited");
      await store.applyChanges(7, { fromSha: null, toSha: null, upserts: [], deletes: [], replaceAll: true });
      expect(await stores.blobCount()).toBe(0);
    });

    it("names contents stored ahead, refuses a change naming one that is not stored, and sweeps the unused", async () => {
      const staged = file("s", "staged");
      await store.storeBlobs([
        { sha: staged.sha, content: staged.content },
        { sha: file("u", "unused").sha, content: Buffer.from("unused") },
      ]);
      expect(await store.getBlob(staged.sha)).toEqual(staged.content);
      const missing = file("m", "never stored");
      expect(
        await store.applyChanges(7, {
          fromSha: null,
          toSha: "1".repeat(40),
          upserts: [{ path: "m", sha: missing.sha, size: missing.size }],
          deletes: [],
        }),
      ).toBe(false);
      expect(await store.getRepo(7)).toMatchObject({ sha: null, files: 0 });

      expect(
        await store.applyChanges(7, {
          fromSha: null,
          toSha: "1".repeat(40),
          upserts: [{ path: "s", sha: staged.sha, size: staged.size }],
          deletes: [],
        }),
      ).toBe(true);
      await store.sweepBlobs([staged.sha, file("u", "unused").sha]);
      expect((await store.getFile(7, "s"))?.content.toString()).toBe("staged");
      expect(await store.getBlob(file("u", "unused").sha)).toBeNull();
    });

    it("forgets on reopen the contents stored for a change that never happened", async () => {
      const orphan = file("o", "orphan");
      await store.storeBlobs([{ sha: orphan.sha, content: orphan.content }]);
      await reopen();
      expect(await store.getBlob(orphan.sha)).toBeNull();
    });
  });

  it("keeps the skipped files a sync names, until a change settles their paths", async () => {
    const skipped = [
      { path: "big.bin", sha: "b".repeat(40), reason: "over maxFileBytes", cause: "file-too-big" as const },
      { path: "photo.bin", sha: "c".repeat(40), reason: "GitHub answered 502", cause: "fetch-failed" as const },
    ];
    await store.applyChanges(7, { fromSha: null, toSha: "1".repeat(40), upserts: [file("a", "A")], deletes: [], skipped });
    expect((await store.getRepo(7))?.skipped).toEqual(skipped);
    await store.applyChanges(7, { fromSha: null, toSha: "2".repeat(40), upserts: [file("photo.bin", "P")], deletes: [] });
    expect((await store.getRepo(7))?.skipped).toEqual([skipped[0]]);
    await store.applyChanges(7, { fromSha: null, toSha: "3".repeat(40), upserts: [], deletes: [], replaceAll: true });
    expect((await store.getRepo(7))?.skipped).toEqual([]);
  });

  it("survives a reopen", async () => {
    await store.applyChanges(7, { fromSha: null, toSha: "1".repeat(40), upserts: [file("a", "persisted")], deletes: [] });
    await store.updateRepo(7, { lastError: "boom", lastSyncAt: "2026-01-01T00:00:00.000Z" });
    await reopen();
    expect((await store.getFile(7, "a"))?.content.toString()).toBe("persisted");
    expect(await store.getRepo(7)).toMatchObject({ lastError: "boom", lastSyncAt: "2026-01-01T00:00:00.000Z" });
  });

  it("remembers webhook delivery ids, within the retention by age and by count", async () => {
    const keep = { since: 0, atMost: 3 };
    expect(await store.recordDelivery("d-1", 1000, keep)).toBe(true);
    expect(await store.recordDelivery("d-1", 2000, keep)).toBe(false);
    for (const id of ["d-2", "d-3", "d-4"]) expect(await store.recordDelivery(id, 3000, keep)).toBe(true);
    // Only the newest three are kept: d-1 is forgotten, so it counts as new again.
    expect(await store.recordDelivery("d-2", 4000, keep)).toBe(false);
    expect(await store.recordDelivery("d-1", 4000, keep)).toBe(true);
    // A repeated id took no place: the newest three are still d-3, d-4 and d-1.
    expect(await store.recordDelivery("d-3", 4000, keep)).toBe(false);
    // Older than `since`: forgotten.
    expect(await store.recordDelivery("d-5", 9000, { since: 5000, atMost: 100 })).toBe(true);
    expect(await store.recordDelivery("d-3", 9000, { since: 5000, atMost: 100 })).toBe(true);
    expect(await store.recordDelivery("d-5", 9000, { since: 5000, atMost: 100 })).toBe(false);
  });
});
