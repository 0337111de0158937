import { pushPayload, repositoryPayload } from "../../fixtures/events/github-examples.js";
import { GitHubFake, REPO, change, commit, expectExactlyTheFakedCalls, type Commit } from "../../helpers/nock-github.js";
import { mirroredFiles, startSyncHarness, type SyncHarness } from "../../helpers/test-probot.js";
import { mirrorAt } from "./mirror-at.js";

describe("repository events", () => {
  let harness: SyncHarness;
  let c0: Commit;

  beforeEach(async () => {
    harness = await startSyncHarness();
    c0 = commit({ "a.md": "a" });
    await mirrorAt(harness, new GitHubFake(), c0);
  });
  afterEach(async () => {
    await harness.close();
  });

  const repo = () => harness.store.getRepo(REPO.id);

  it("renamed and transferred: records the new name and owner (0 calls); later syncs use them", async () => {
    const renamed = { ...REPO, name: "Hello-Universe" };
    await harness.receive("repository", repositoryPayload("renamed", renamed, { repository: { name: { from: REPO.name } } }));
    expect(await repo()).toMatchObject({ owner: "Codertocat", name: "Hello-Universe", sha: c0.sha });
    expect(await harness.store.findRepo("codertocat", "hello-universe")).not.toBeNull();
    expect(await harness.store.findRepo("Codertocat", "Hello-World")).toBeNull();

    const moved = { ...renamed, owner: "Octocoders" };
    await harness.receive("repository", repositoryPayload("transferred", moved, { owner: { from: { user: { login: "Codertocat" } } } }));
    expect(await repo()).toMatchObject({ owner: "Octocoders", name: "Hello-Universe" });
    expectExactlyTheFakedCalls();

    const c1 = change(c0, { "b.md": "b" });
    new GitHubFake(moved).compare(c0.sha, c1, { from: c0 }).graphql();
    await harness.receive("push", pushPayload({ before: c0.sha, after: c1.sha, repo: moved }));
    expectExactlyTheFakedCalls();
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual({ "a.md": "a", "b.md": "b" });
  });

  it("privatized and publicized: flips the private flag (0 calls)", async () => {
    await harness.receive("repository", repositoryPayload("privatized", { ...REPO, private: true }));
    expect(await repo()).toMatchObject({ private: true });
    await harness.receive("repository", repositoryPayload("publicized", { ...REPO, private: false }));
    expect(await repo()).toMatchObject({ private: false });
    expectExactlyTheFakedCalls();
  });

  it("deleted: purges the repository and its files (0 calls)", async () => {
    await harness.receive("repository", repositoryPayload("deleted", REPO));
    expectExactlyTheFakedCalls();
    expect(await repo()).toBeNull();
    expect(await harness.store.listFiles(REPO.id)).toEqual([]);
  });

  it("edited with a new default branch: re-reads the config from it and re-mirrors the new branch", async () => {
    const main = commit({ "main.md": "main" });
    const moved = new GitHubFake({ defaultBranch: "main" });
    moved.config(null).head("main", main.sha).tarball(main);
    await harness.receive("repository", repositoryPayload("edited", moved.repo, { default_branch: { from: "master" } }));
    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ defaultBranch: "main", branch: "main", sha: main.sha });
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual({ "main.md": "main" });
  });

  it("edited with a new default branch keeps a configured branch (only the config is read)", async () => {
    const pinned = "branch: master\n";
    const moved = new GitHubFake({ defaultBranch: "main" });
    moved.config(pinned);
    await harness.receive("repository", repositoryPayload("edited", moved.repo, { default_branch: { from: "master" } }));
    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ defaultBranch: "main", branch: "master", sha: c0.sha });
  });

  it("edited otherwise, or about a repository not mirrored: nothing to do (0 calls)", async () => {
    await harness.receive("repository", repositoryPayload("edited", REPO, { description: { from: "old" } }));
    await harness.receive("repository", repositoryPayload("deleted", { ...REPO, id: 4040, name: "stranger" }));
    await harness.receive("repository", { action: "renamed", repository: { id: "x" } });
    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ sha: c0.sha, defaultBranch: "master" });
    expect(harness.logs.some((line) => line.msg === "ignored a malformed repository payload")).toBe(true);
  });
});
