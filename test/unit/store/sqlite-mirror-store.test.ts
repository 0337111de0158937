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

// What every backend must do runs in the contract suite (test/contract/); here, what is SQLite's own: stepping, upgrades.
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

  // The count is kept on the repository row (reads no longer count the files table per request), so every change must keep it right.
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
});
