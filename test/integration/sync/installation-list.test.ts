import nock from "nock";
import { API, type Commit, commit, expectExactlyTheFakedCalls, GitHubFake, installationList, REPO } from "../../helpers/nock-github.js";
import { mirroredFiles, type SyncHarness, startSyncHarness } from "../../helpers/test-probot.js";
import { mirrorAt } from "./mirror-at.js";

/** Installations the webhooks never told of: the heal lists them from GitHub. */
describe("healing follows the app's installations", () => {
  let harness: SyncHarness;
  let c0: Commit;
  const other = { ...REPO, id: 5001, name: "installed-while-down" };

  beforeEach(async () => {
    harness = await startSyncHarness();
    c0 = commit({ "a.md": "a" });
    await mirrorAt(harness, new GitHubFake(), c0);
  });
  afterEach(async () => {
    await harness.close();
  });

  it("mirrors a repository installed while no webhook reached gitdisk, in another installation, without healing it again", async () => {
    const head = commit({ "new.md": "new" });
    installationList([{ repos: [REPO] }, { id: 8001, repos: [other], token: true }]);
    new GitHubFake(other).repository().config(null).head("master", head.sha).tarball(head);
    new GitHubFake().repository().head("master", c0.sha);

    await harness.sync.healAll();

    expectExactlyTheFakedCalls();
    expect(await harness.store.getRepo(other.id)).toMatchObject({ installationId: 8001, sha: head.sha, lastError: null });
    expect(await mirroredFiles(harness.store, other.id)).toEqual({ "new.md": "new" });
  });

  it("purges a repository the app was uninstalled from while no webhook reached gitdisk", async () => {
    installationList([]);
    await harness.sync.healAll();
    expectExactlyTheFakedCalls();
    expect(await harness.store.getRepo(REPO.id)).toBeNull();
    expect(await harness.store.listFiles(REPO.id)).toEqual([]);
  });

  it("purges a repository removed from its installation, keeps the installation's others", async () => {
    const kept = { ...REPO, id: 5002, name: "kept" };
    await harness.store.upsertRepo(
      { ...kept, installationId: 957387 },
      { branch: "master", config: (await harness.store.getRepo(REPO.id))!.config },
    );
    installationList([{ repos: [kept] }]);
    new GitHubFake(kept).repository().head("master", null);
    await harness.sync.healAll();
    expectExactlyTheFakedCalls();
    expect(await harness.store.getRepo(REPO.id)).toBeNull();
    expect(await harness.store.getRepo(kept.id)).not.toBeNull();
  });

  it("keeps the mirrors of a suspended installation, and purges nothing when the list cannot be read", async () => {
    installationList([{ repos: [], suspended: true }]);
    new GitHubFake().repository().head("master", c0.sha);
    await harness.sync.healAll();
    expect(await harness.store.getRepo(REPO.id)).toMatchObject({ sha: c0.sha });

    nock(API).get("/app/installations").query(true).reply(500, { message: "GitHub is having a bad day" });
    new GitHubFake().repository().head("master", c0.sha);
    await harness.sync.healAll();
    expectExactlyTheFakedCalls();
    expect(await harness.store.getRepo(REPO.id)).toMatchObject({ sha: c0.sha, files: 1 });
    expect(harness.logs.some((line) => line.msg?.startsWith("could not list the app's installations"))).toBe(true);
  });
});
