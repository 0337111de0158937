import nock from "nock";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { gitBlobSha } from "../../../src/git/blob-sha.js";
import { installationPayload, pushPayload } from "../../fixtures/events/github-examples.js";
import {
  API,
  type Commit,
  change,
  commit,
  expectExactlyTheFakedCalls,
  expectedFiles,
  GitHubFake,
  INSTALLATION_ID,
  installationList,
  REPO,
} from "../../helpers/nock-github.js";
import { mirroredFiles, type SyncHarness, startSyncHarness } from "../../helpers/test-probot.js";
import { mirrorAt } from "./mirror-at.js";

const fileOf = (path: string, text: string) => ({
  path,
  sha: gitBlobSha(Buffer.from(text)),
  size: text.length,
  content: Buffer.from(text),
});

describe("self-healing", () => {
  let harness: SyncHarness;
  let gh: GitHubFake;
  let c0: Commit;

  beforeEach(async () => {
    harness = await startSyncHarness();
    gh = new GitHubFake();
    c0 = commit({ "a.md": "a0", "b.md": "b0" });
    await mirrorAt(harness, gh, c0);
  });
  afterEach(async () => {
    await harness.close();
  });

  const repo = async () => (await harness.store.getRepo(REPO.id))!;

  it("repairs a missed webhook: head, then only what changed", async () => {
    const c1 = change(c0, { "a.md": "a1", "b.md": null });
    // Healing authenticates as the installation (Probot reuses the token it already has).
    gh.repository().head("master", c1.sha).compare(c0.sha, c1, { from: c0 }).graphql();
    installationList([{ repos: [REPO] }]);
    await harness.sync.healAll();
    expectExactlyTheFakedCalls();
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual(expectedFiles(c1));
    expect(await repo()).toMatchObject({ sha: c1.sha, lastError: null });
  });

  it("costs two calls per repository when nothing changed (the repository, its branch head), after the installation list", async () => {
    gh.repository().head("master", c0.sha);
    installationList([{ repos: [REPO] }]);
    await harness.sync.healAll();
    expectExactlyTheFakedCalls();
  });

  it("follows a force push missed while offline, without any payload", async () => {
    const rewritten = commit({ "z.md": "z" });
    gh.repository().head("master", rewritten.sha).compare(c0.sha, rewritten, { status: "diverged", files: [] }).tree(rewritten).graphql();
    installationList([{ repos: [REPO] }]);
    await harness.sync.healAll();
    expectExactlyTheFakedCalls();
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual({ "z.md": "z" });
  });

  it("reports a repository GitHub no longer shows, and keeps its mirror, readable with the key only", async () => {
    gh.repository(404);
    installationList([{ repos: [REPO] }]);
    await harness.sync.healAll();
    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ sha: c0.sha, files: 2, private: true, lastError: expect.stringMatching(/not accessible/) });
  });

  it("takes the visibility from GitHub: a repository made private while its webhook was lost is closed, and opened again once public", async () => {
    new GitHubFake({ private: true }).repository();
    gh.head("master", c0.sha);
    installationList([{ repos: [REPO] }]);
    await harness.sync.healAll();
    expect(await repo()).toMatchObject({ private: true, lastError: null });

    gh.repository().head("master", c0.sha);
    installationList([{ repos: [REPO] }]);
    await harness.sync.healAll();
    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ private: false, lastError: null });
  });

  it("heals repositories side by side: one slow to answer does not hold back closing another made private", async () => {
    // Listed first, so that a round taking one repository after another would wait for it.
    const slow = new GitHubFake({ id: REPO.id - 1, name: "Slow-Site" });
    const slowHead = commit({ "index.md": "slow" });
    // Mirrored as mirrorAt does, on the installation token the harness already holds.
    slow.repository().config(null).head(slow.repo.defaultBranch, slowHead.sha).tarball(slowHead);
    await harness.receive("installation", installationPayload("created", [slow.repo]));
    // The slow repository's check takes seconds; the other's answer (now private) comes at once.
    nock(API).get(`/repos/${slow.repo.owner}/${slow.repo.name}`).delay(3_000).reply(503, { message: "slow" });
    new GitHubFake({ private: true }).repository();
    gh.head("master", c0.sha);
    installationList([{ repos: [REPO, slow.repo] }]);
    const round = harness.sync.healAll();
    const closedBy = Date.now() + 2_000;
    while (!(await repo()).private && Date.now() < closedBy) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await repo()).toMatchObject({ private: true });
    await round;
    expectExactlyTheFakedCalls();
  });

  it("leaves the visibility as it was when GitHub fails to answer a routine heal, so an outage does not close a public site", async () => {
    nock(API).get(`/repos/${REPO.owner}/${REPO.name}`).reply(503, { message: "unavailable" });
    installationList([{ repos: [REPO] }]);
    await harness.sync.healAll();
    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ private: false, sha: c0.sha, lastError: expect.stringMatching(/503/) });
  });

  it("records a failed installation token as the repository's lastError", async () => {
    const suspended = { ...REPO, id: 77, name: "suspended" };
    await harness.store.upsertRepo({ ...suspended, installationId: 777 }, { branch: "master", config: (await repo()).config });
    await harness.store.applyChanges(77, { fromSha: null, toSha: c0.sha, upserts: [], deletes: [] });
    nock(API).post("/app/installations/777/access_tokens").reply(404, { message: "Not Found" });
    gh.repository().head("master", c0.sha);
    installationList([{ repos: [REPO] }, { id: 777, repos: [suspended], suspended: true }]);
    await harness.sync.healAll();
    expectExactlyTheFakedCalls();
    expect(await harness.store.getRepo(77)).toMatchObject({ sha: c0.sha, lastError: expect.stringMatching(/GitHub answered 404/) });
    expect(await repo()).toMatchObject({ lastError: null });
  });

  it("clears the mirror of a deleted branch, and follows a default branch renamed while offline", async () => {
    gh.repository().head("master", null);
    installationList([{ repos: [REPO] }]);
    await harness.sync.healAll();
    expect(await repo()).toMatchObject({ sha: null, lastError: 'branch "master" does not exist on GitHub' });

    const main = commit({ "main.md": "main" });
    const renamed = new GitHubFake({ defaultBranch: "main" });
    renamed.repository().config(null).head("main", main.sha).tarball(main);
    installationList([{ repos: [REPO] }]);
    await harness.sync.healAll();
    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ defaultBranch: "main", branch: "main", sha: main.sha, lastError: null });
  });

  it("syncRepo brings one repository to its live head and returns its state", async () => {
    const c1 = change(c0, { "c.md": "c" });
    gh.repository().head("master", c1.sha).compare(c0.sha, c1, { from: c0 }).graphql();
    expect(await harness.sync.syncRepo(REPO.id)).toMatchObject({ sha: c1.sha, files: 3 });
    expect(await harness.sync.syncRepo(999)).toBeNull();
    expectExactlyTheFakedCalls();
  });
});

describe("heal timer", () => {
  it("heals soon after start-up and on its interval, and stops with stop()", async () => {
    const harness = await startSyncHarness({ healIntervalMs: 40 });
    const c0 = commit({ "a.md": "a" });
    const c1 = change(c0, { "a.md": "a1" });
    // Mirrored at c0 before the first heal is due (40 ms after start), which lists the installations first.
    await harness.store.upsertRepo({ ...REPO, installationId: INSTALLATION_ID }, { branch: "master", config: DEFAULT_REPO_CONFIG });
    await harness.store.applyChanges(REPO.id, { fromSha: null, toSha: c0.sha, upserts: [fileOf("a.md", "a")], deletes: [] });
    // The first heal catches up; the next ones find nothing to do.
    for (let heals = 0; heals < 3; heals++) installationList([{ repos: [REPO], token: heals === 0 }]);
    new GitHubFake()
      .repository()
      .repository()
      .repository()
      .head("master", c1.sha)
      .compare(c0.sha, c1, { from: c0 })
      .graphql()
      .head("master", c1.sha)
      .head("master", c1.sha);

    for (let waited = 0; nock.pendingMocks().length > 0 && waited < 5000; waited += 10)
      await new Promise((resolve) => setTimeout(resolve, 10));
    await harness.sync.stop();
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual({ "a.md": "a1" });
    // Stopped: three more intervals pass without a call (any would be unexpected).
    await new Promise((resolve) => setTimeout(resolve, 150));
    expectExactlyTheFakedCalls();
    await harness.close();
  });
});

describe("token mode (a personal access token, repository webhooks)", () => {
  it("mirrors a repository on its first push and heals it without installations", async () => {
    const harness = await startSyncHarness({ githubToken: "ghp_test_token" });
    const head = commit({ "t.md": "t" });
    const gh = new GitHubFake();
    gh.repository().config(null).head("master", head.sha).tarball(head);
    await harness.receive("push", pushPayload({ before: "0".repeat(40), after: head.sha, installationId: null }));
    expect(await harness.store.getRepo(REPO.id)).toMatchObject({ installationId: null, sha: head.sha });

    const next = change(head, { "t.md": "t2" });
    gh.repository().head("master", next.sha).compare(head.sha, next, { from: head }).graphql();
    await harness.sync.healAll();
    expectExactlyTheFakedCalls();
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual({ "t.md": "t2" });
    await harness.close();
  });
});
