import path from "node:path";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { gitBlobSha } from "../../../src/git/blob-sha.js";
import { openDatabase } from "../../../src/store/sqlite/open-database.js";
import { openSqliteStore } from "../../../src/store/sqlite/sqlite-store.js";
import type { FileBody, MirrorStore, RepoIdentity, Store } from "../../../src/store/store.js";
import { legacyDatabase } from "../../helpers/legacy-database.js";
import { makeTempDir } from "../../helpers/temp-dir.js";

const identity: RepoIdentity = { id: 7, owner: "Octo", name: "Site", private: false, defaultBranch: "main", installationId: 42 };

function file(path: string, text: string): FileBody {
  const content = Buffer.from(text);
  return { path, content, sha: gitBlobSha(content), size: content.length };
}

describe("SqliteMirrorStore", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let opened: Store;
  let store: MirrorStore;

  beforeEach(async () => {
    temp = makeTempDir();
    opened = openSqliteStore(temp.dir);
    store = opened.mirror;
    await store.upsertRepo(identity, { branch: "main", config: DEFAULT_REPO_CONFIG });
  });
  afterEach(async () => {
    await opened.close();
    temp.cleanup();
  });

  it("finds repositories case-insensitively and keeps the mirror across identity updates", async () => {
    await store.applyChanges(7, { fromSha: null, toSha: "a".repeat(40), upserts: [file("a.md", "A")], deletes: [] });
    await store.upsertRepo({ ...identity, private: true }, { branch: "ignored", config: DEFAULT_REPO_CONFIG });
    const repo = await store.findRepo("octo", "SITE");
    expect(repo).toMatchObject({ id: 7, private: true, branch: "main", sha: "a".repeat(40), files: 1 });
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
  });

  it("applies a large change in steps: requests run between them, the commit moves last, and other changes wait", async () => {
    const [one, two, three] = ["1", "2", "3"].map((digit) => digit.repeat(40)) as [string, string, string];
    await store.applyChanges(7, { fromSha: null, toSha: one, upserts: [file("gone-0", "x"), file("gone-1", "x")], deletes: [] });
    const upserts = Array.from({ length: 240 }, (_, index) => file(`data/${String(index).padStart(3, "0")}.json`, `{"n":${index}}`));
    const seenBetweenSteps: Array<{ sha: string | null | undefined; files: number }> = [];
    let stepping = true;
    const watch = (): void => {
      if (!stepping) return;
      void Promise.all([store.getRepo(7), store.listFiles(7, "data/")]).then(([repo, files]) =>
        seenBetweenSteps.push({ sha: repo?.sha, files: files.length }),
      );
      setImmediate(watch);
    };
    setImmediate(watch);

    const stepped = store.applyChanges(7, { fromSha: one, toSha: two, upserts, deletes: ["gone-0", "gone-1"], origin: "writeback" });
    // Issued while the steps run: it must see the stepped change whole, so its compare-and-set fails rather than mixing in.
    const meanwhile = store.applyChanges(7, { fromSha: one, toSha: three, upserts: [file("late", "x")], deletes: [] });
    expect(await stepped).toBe(true);
    expect(await meanwhile).toBe(false);
    stepping = false;

    const partial = seenBetweenSteps.filter((seen) => seen.files > 0 && seen.files < upserts.length);
    expect(partial.length).toBeGreaterThan(1);
    expect(partial.every((seen) => seen.sha === one)).toBe(true);
    const repo = await store.getRepo(7);
    expect(repo).toMatchObject({ sha: two, files: 240 });
    expect((await store.getFile(7, "data/239.json"))?.content.toString()).toBe('{"n":239}');
    expect(await store.getFile(7, "late")).toBeNull();
  });

  it("applies nothing in steps when the mirror is not at the change's starting commit", async () => {
    await store.applyChanges(7, { fromSha: null, toSha: "1".repeat(40), upserts: [file("a", "1")], deletes: [] });
    const upserts = Array.from({ length: 120 }, (_, index) => file(`data/${index}`, "x"));
    expect(
      await store.applyChanges(7, { fromSha: "9".repeat(40), toSha: "2".repeat(40), upserts, deletes: ["a"], origin: "writeback" }),
    ).toBe(false);
    expect((await store.listFiles(7)).map((f) => f.path)).toEqual(["a"]);
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

  // The count is kept on the repository row (reads no longer count the files table per request), so every change must keep it right.
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
    await opened.close();
    opened = openSqliteStore(temp.dir);
    store = opened.mirror;
    expect(await store.findRepo("octo", "site")).toMatchObject({ files: 2 });
    expect((await store.listRepos()).map((repo) => repo.files)).toEqual([(await store.listFiles(7)).length]);
  });

  it("counts the files of a mirror made before the count was stored (schema version 2)", async () => {
    const dir = path.join(temp.dir, "version-2");
    const legacy = legacyDatabase(dir, 2);
    legacy
      .prepare(
        "INSERT INTO repos (id, owner, name, full_name_lc, private, default_branch, branch, config) VALUES (7, 'Octo', 'Site', 'octo/site', 0, 'main', 'main', ?)",
      )
      .run(JSON.stringify(DEFAULT_REPO_CONFIG));
    const insert = legacy.prepare("INSERT INTO files (repo_id, path, sha, size, content) VALUES (7, ?, ?, 1, x'41')");
    for (const name of ["a", "b", "c"]) insert.run(name, gitBlobSha(Buffer.from("A")));
    legacy.close();
    const upgradedStore = openSqliteStore(dir);
    const upgraded = upgradedStore.mirror;
    expect(await upgraded.getRepo(7)).toMatchObject({ files: 3 });
    await upgradedStore.close();
  });

  describe("contents stored once per blob sha", () => {
    const blobCount = (dir: string) => {
      const db = openDatabase(dir);
      try {
        return (db.prepare("SELECT count(*) AS n FROM blobs").get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    const other: RepoIdentity = { ...identity, id: 8, name: "Other" };

    it("keeps one copy of a content held by many paths and repositories, until no file names it", async () => {
      await store.upsertRepo(other, { branch: "main", config: DEFAULT_REPO_CONFIG });
      const same = ["a", "b", "c"].map((name) => file(name, "shared"));
      await store.applyChanges(7, { fromSha: null, toSha: "1".repeat(40), upserts: same, deletes: [] });
      await store.applyChanges(8, { fromSha: null, toSha: "1".repeat(40), upserts: [file("x", "shared"), file("y", "own")], deletes: [] });
      expect(blobCount(temp.dir)).toBe(2);

      await store.applyChanges(7, { fromSha: null, toSha: "2".repeat(40), upserts: [file("a", "edited")], deletes: ["b", "c"] });
      await store.deleteRepo(8);
      // "shared" went with the last path naming it; "own" with its repository.
      expect(blobCount(temp.dir)).toBe(1);
      expect((await store.getFile(7, "a"))?.content.toString()).toBe("edited");
      await store.applyChanges(7, { fromSha: null, toSha: null, upserts: [], deletes: [], replaceAll: true });
      expect(blobCount(temp.dir)).toBe(0);
    });

    it("names contents stored ahead, refuses a change naming one that is not stored, and sweeps the unused", async () => {
      const staged = file("s", "staged");
      await store.storeBlobs([
        { sha: staged.sha, content: staged.content },
        { sha: file("u", "unused").sha, content: Buffer.from("unused") },
      ]);
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

    it("moves the contents of a version 4 database into blobs", async () => {
      const dir = path.join(temp.dir, "version-4");
      const legacy = legacyDatabase(dir, 4);
      legacy
        .prepare(
          "INSERT INTO repos (id, owner, name, full_name_lc, private, default_branch, branch, config, file_count) VALUES (7, 'Octo', 'Site', 'octo/site', 0, 'main', 'main', ?, 2)",
        )
        .run(JSON.stringify(DEFAULT_REPO_CONFIG));
      const insert = legacy.prepare("INSERT INTO files (repo_id, path, sha, size, content) VALUES (7, ?, ?, 1, x'41')");
      for (const name of ["a", "b"]) insert.run(name, gitBlobSha(Buffer.from("A")));
      legacy.close();
      const upgradedStore = openSqliteStore(dir);
      const upgraded = upgradedStore.mirror;
      expect(await upgraded.getFile(7, "b")).toEqual({ path: "b", sha: gitBlobSha(Buffer.from("A")), size: 1, content: Buffer.from("A") });
      expect(await upgraded.getRepo(7)).toMatchObject({ files: 2, skipped: [] });
      await upgradedStore.close();
      expect(blobCount(dir)).toBe(1);
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
  });

  it("survives a reopen", async () => {
    await store.applyChanges(7, { fromSha: null, toSha: "1".repeat(40), upserts: [file("a", "persisted")], deletes: [] });
    await store.updateRepo(7, { lastError: "boom", lastSyncAt: "2026-01-01T00:00:00.000Z" });
    await opened.close();
    opened = openSqliteStore(temp.dir);
    store = opened.mirror;
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
    // Older than `since`: forgotten.
    expect(await store.recordDelivery("d-5", 9000, { since: 5000, atMost: 100 })).toBe(true);
    expect(await store.recordDelivery("d-3", 9000, { since: 5000, atMost: 100 })).toBe(true);
    expect(await store.recordDelivery("d-5", 9000, { since: 5000, atMost: 100 })).toBe(false);
  });
});
