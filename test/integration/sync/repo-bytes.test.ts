import path from "node:path";
import Database from "better-sqlite3";
import { pushPayload } from "../../fixtures/events/github-examples.js";
import { change, commit, expectExactlyTheFakedCalls, expectedFiles, GitHubFake, REPO } from "../../helpers/nock-github.js";
import { mirroredFiles, type SyncHarness, startSyncHarness } from "../../helpers/test-probot.js";
import { mirrorAt } from "./mirror-at.js";

/** Rows of the store's content table, read beside the store's own connection. */
function storedContents(harness: SyncHarness): number {
  const db = new Database(path.join(harness.dataDir, "gitdisk.sqlite3"), { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM blobs").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("what a repository's mirror holds on disk", () => {
  let harness: SyncHarness;
  afterEach(async () => {
    await harness.close();
  });

  it("stores a content shared by 150 paths once", async () => {
    harness = await startSyncHarness();
    const shared = Buffer.alloc(64 * 1024, 1);
    const head = commit({ ...Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`copies/${i}.bin`, shared])), "own.md": "own" });
    await mirrorAt(harness, new GitHubFake(), head);
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual(expectedFiles(head));
    expect(storedContents(harness)).toBe(2);
  });

  it("mirrors up to GITDISK_MAX_REPO_BYTES of distinct contents and names the files beyond, in full mirrors and pushes", async () => {
    harness = await startSyncHarness({ maxRepoBytes: 250 });
    const gh = new GitHubFake();
    const hundred = (fill: string) => fill.repeat(100);
    // In archive order: a (100), b (a's content again: free), c (200), d would make 300.
    const c0 = commit({ "a.md": hundred("a"), "b.md": hundred("a"), "c.md": hundred("c"), "d.md": hundred("d") });
    await mirrorAt(harness, gh, c0);
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual(expectedFiles(c0, (file) => file !== "d.md"));
    const overCap = { reason: "mirror limited to 250 bytes (GITDISK_MAX_REPO_BYTES)", cause: "repo-full" };
    expect((await harness.store.getRepo(REPO.id))?.skipped).toEqual([{ path: "d.md", sha: c0.files.get("d.md")!.sha, ...overCap }]);

    // Deleting c frees room for e; f does not fit beside a and e.
    const c1 = change(c0, { "c.md": null, "e.md": hundred("e"), "f.md": hundred("f") });
    gh.compare(c0.sha, c1, { from: c0 }).graphql();
    await harness.receive("push", pushPayload({ before: c0.sha, after: c1.sha }));
    expectExactlyTheFakedCalls();
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual(expectedFiles(c1, (file) => !["d.md", "f.md"].includes(file)));
    expect((await harness.store.getRepo(REPO.id))?.skipped).toEqual([
      expect.objectContaining({ path: "d.md", ...overCap }),
      { path: "f.md", sha: c1.files.get("f.md")!.sha, ...overCap },
    ]);
  });
});
