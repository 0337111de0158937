import nock from "nock";
import { pushPayload, repositoryPayload } from "../../fixtures/events/github-examples.js";
import { API, type Commit, change, commit, expectExactlyTheFakedCalls, GitHubFake, REPO } from "../../helpers/nock-github.js";
import { mirroredFiles, type SyncHarness, startSyncHarness } from "../../helpers/test-probot.js";
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

  it("renamed and transferred: records the new name and owner as GitHub answers (1 call each); later syncs use them", async () => {
    const renamed = { ...REPO, name: "Hello-Universe" };
    new GitHubFake(renamed).repository();
    await harness.receive("repository", repositoryPayload("renamed", renamed, { repository: { name: { from: REPO.name } } }));
    expect(await repo()).toMatchObject({ owner: "Codertocat", name: "Hello-Universe", sha: c0.sha });
    expect(await harness.store.findRepo("codertocat", "hello-universe")).not.toBeNull();
    expect(await harness.store.findRepo("Codertocat", "Hello-World")).toBeNull();

    const moved = { ...renamed, owner: "Octocoders" };
    new GitHubFake(moved).repository();
    await harness.receive("repository", repositoryPayload("transferred", moved, { owner: { from: { user: { login: "Codertocat" } } } }));
    expect(await repo()).toMatchObject({ owner: "Octocoders", name: "Hello-Universe" });
    expectExactlyTheFakedCalls();

    const c1 = change(c0, { "b.md": "b" });
    new GitHubFake(moved).compare(c0.sha, c1, { from: c0 }).graphql();
    await harness.receive("push", pushPayload({ before: c0.sha, after: c1.sha, repo: moved }));
    expectExactlyTheFakedCalls();
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual({ "a.md": "a", "b.md": "b" });
  });

  it("privatized and publicized: the private flag follows GitHub's answer (1 call each)", async () => {
    new GitHubFake({ private: true }).repository();
    await harness.receive("repository", repositoryPayload("privatized", { ...REPO, private: true }));
    expect(await repo()).toMatchObject({ private: true });
    new GitHubFake().repository();
    await harness.receive("repository", repositoryPayload("publicized", REPO));
    expect(await repo()).toMatchObject({ private: false });
    expectExactlyTheFakedCalls();
  });

  it("publicized, stale or replayed, while GitHub says private: stays private", async () => {
    new GitHubFake({ private: true }).repository();
    await harness.receive("repository", repositoryPayload("privatized", { ...REPO, private: true }));
    new GitHubFake({ private: true }).repository();
    await harness.receive("repository", repositoryPayload("publicized", REPO));
    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ private: true });
  });

  it("a check that fails leaves the repository private: privatized closes at once, publicized never opens", async () => {
    nock(API).get(`/repos/${REPO.owner}/${REPO.name}`).reply(502, { message: "Bad gateway" });
    await harness.receive("repository", repositoryPayload("privatized", { ...REPO, private: true }));
    expect(await repo()).toMatchObject({ private: true, lastError: expect.stringMatching(/502/) });

    nock(API).get(`/repos/${REPO.owner}/${REPO.name}`).reply(502, { message: "Bad gateway" });
    await harness.receive("repository", repositoryPayload("publicized", REPO));
    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ private: true });
  });

  it("an event about a public repository GitHub cannot confirm (a failed check, a 404) closes it", async () => {
    nock(API).get(`/repos/${REPO.owner}/${REPO.name}`).reply(500, { message: "oops" });
    await harness.receive("repository", repositoryPayload("edited", REPO, { description: { from: "old" } }));
    expect(await repo()).toMatchObject({ private: true });
    new GitHubFake().repository();
    await harness.receive("repository", repositoryPayload("edited", REPO, { description: { from: "older" } }));
    expect(await repo()).toMatchObject({ private: false });
    new GitHubFake({ name: "gone" }).repository(404);
    await harness.receive(
      "repository",
      repositoryPayload("renamed", { ...REPO, name: "gone" }, { repository: { name: { from: REPO.name } } }),
    );
    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ private: true, name: REPO.name });
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
    moved.repository().config(null).head("main", main.sha).tarball(main);
    await harness.receive("repository", repositoryPayload("edited", moved.repo, { default_branch: { from: "master" } }));
    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ defaultBranch: "main", branch: "main", sha: main.sha });
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual({ "main.md": "main" });
  });

  it("edited with a new default branch keeps a configured branch (only the config is read)", async () => {
    const pinned = "branch: master\n";
    const moved = new GitHubFake({ defaultBranch: "main" });
    moved.repository().config(pinned);
    await harness.receive("repository", repositoryPayload("edited", moved.repo, { default_branch: { from: "master" } }));
    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ defaultBranch: "main", branch: "master", sha: c0.sha });
  });

  it("edited otherwise: only the check (1 call); about a repository not mirrored, or malformed: nothing (0 calls)", async () => {
    new GitHubFake().repository();
    await harness.receive("repository", repositoryPayload("edited", REPO, { description: { from: "old" } }));
    await harness.receive("repository", repositoryPayload("deleted", { ...REPO, id: 4040, name: "stranger" }));
    await harness.receive("repository", { action: "renamed", repository: { id: "x" } });
    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ sha: c0.sha, defaultBranch: "master" });
    expect(harness.logs.filter((line) => line.msg === "ignored a webhook delivery whose payload gitdisk cannot use")).toMatchObject([
      { event: "repository", problem: "repository is missing or has no id" },
    ]);
  });
});
