import { DEFAULT_REPO_CONFIG, WITHHELD_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { installationPayload, installationRepositoriesPayload } from "../../fixtures/events/github-examples.js";
import { commit, expectExactlyTheFakedCalls, expectedFiles, GitHubFake, REPO, submodule } from "../../helpers/nock-github.js";
import { mirroredFiles, type SyncHarness, startSyncHarness } from "../../helpers/test-probot.js";

const CONFIG = `
mirror:
  include: ["content/**", "data/**", ".github/**", "link.md"]
  exclude: ["**/*.tmp"]
  maxFileBytes: 64
`;

describe("install: full mirror from one tarball", () => {
  let harness: SyncHarness;
  beforeEach(async () => {
    harness = await startSyncHarness({ now: () => new Date("2026-03-04T05:06:07.000Z") });
  });
  afterEach(async () => {
    await harness.close();
  });

  it("mirrors the tracked branch with include/exclude/maxFileBytes, symlinks as their target, no submodules", async () => {
    const head = commit({
      ".github/gitdisk.yml": CONFIG,
      "content/index.md": "# Home\n",
      "content/deep/er/page.md": "deep",
      "content/draft.tmp": "excluded by exclude",
      "content/big.bin": Buffer.alloc(65, 1),
      "content/exact.txt": "x".repeat(64),
      "data/users/ann.json": '{"name":"Ann"}',
      "link.md": { symlink: "content/index.md" },
      "src/app.ts": "not included",
      "vendor/lib": submodule(),
    });
    const gh = new GitHubFake();
    gh.token().repository().config(CONFIG).head("master", head.sha).tarball(head);

    await harness.receive("installation", installationPayload("created"));

    expectExactlyTheFakedCalls();
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual(
      expectedFiles(head, (path, size) => !["content/draft.tmp", "content/big.bin", "src/app.ts"].includes(path) && size <= 64),
    );
    expect((await harness.store.getFile(REPO.id, "link.md"))?.content.toString()).toBe("content/index.md");
    const repo = await harness.store.getRepo(REPO.id);
    expect(repo).toMatchObject({
      owner: "Codertocat",
      name: "Hello-World",
      defaultBranch: "master",
      branch: "master",
      sha: head.sha,
      installationId: 957387,
      lastSyncAt: "2026-03-04T05:06:07.000Z",
      lastError: null,
      configError: null,
    });
    expect(repo?.config.mirror).toEqual({
      include: ["content/**", "data/**", ".github/**", "link.md"],
      exclude: ["**/*.tmp"],
      maxFileBytes: 64,
    });
  });

  it("mirrors the configured branch; no config file means the default branch and default settings", async () => {
    const site = { ...REPO, id: 1001, name: "site" };
    const blog = { ...REPO, id: 1002, name: "blog" };
    const siteHead = commit({ ".github/gitdisk.yml": "branch: gh-pages\n", "index.html": "<p>site" });
    const blogHead = commit({ "post.md": "hello" });
    new GitHubFake(site).token().repository().config("branch: gh-pages\n").head("gh-pages", siteHead.sha).tarball(siteHead);
    new GitHubFake(blog).repository().config(null).head("master", blogHead.sha).tarball(blogHead);

    await harness.receive("installation", installationPayload("created", [site, blog]));

    expectExactlyTheFakedCalls();
    expect(await harness.store.getRepo(site.id)).toMatchObject({ branch: "gh-pages", sha: siteHead.sha });
    expect(await harness.store.getRepo(blog.id)).toMatchObject({ branch: "master", sha: blogHead.sha, config: DEFAULT_REPO_CONFIG });
    expect(await mirroredFiles(harness.store, blog.id)).toEqual({ "post.md": "hello" });
  });

  it("records an invalid config in configError and mirrors nothing: the defaults are for a repository without one", async () => {
    const head = commit({ ".github/gitdisk.yml": "mirror: [not, a, map]\n", "a.md": "a" });
    new GitHubFake().token().repository().config("mirror: [not, a, map]\n").head("master", head.sha);

    await harness.receive("installation", installationPayload("created"));

    expectExactlyTheFakedCalls();
    const repo = await harness.store.getRepo(REPO.id);
    expect(repo?.configError).toBe(".github/gitdisk.yml is invalid: mirror: must be a mapping of keys");
    expect(repo?.config).toEqual(WITHHELD_REPO_CONFIG);
    expect(repo).toMatchObject({ sha: head.sha, files: 0 });
  });

  it("rejects a tarball that holds another commit, keeping nothing half-done", async () => {
    const head = commit({ "a.md": "a" });
    new GitHubFake()
      .token()
      .repository()
      .config(null)
      .head("master", head.sha)
      .tarball(head, { commitId: "f".repeat(40) });

    await harness.receive("installation", installationPayload("created"));

    expectExactlyTheFakedCalls();
    const repo = await harness.store.getRepo(REPO.id);
    expect(repo).toMatchObject({ sha: null, files: 0 });
    expect(repo?.lastError).toMatch(/holds commit f{40}/);
  });

  it("mirrors a repository added to the installation, and purges one removed from it", async () => {
    const space = { ...REPO, id: 186853007, name: "Space" };
    const head = commit({ "planet.md": "mars" });
    new GitHubFake(space).token().repository().config(null).head("master", head.sha).tarball(head);

    await harness.receive("installation_repositories", installationRepositoriesPayload("added", [space]));
    expect(await mirroredFiles(harness.store, space.id)).toEqual({ "planet.md": "mars" });

    await harness.receive("installation_repositories", installationRepositoriesPayload("removed", [space]));
    expectExactlyTheFakedCalls();
    expect(await harness.store.getRepo(space.id)).toBeNull();
    expect(await harness.store.listFiles(space.id)).toEqual([]);
  });

  it("purges every repository of a deleted installation, with no call to GitHub", async () => {
    const other = { ...REPO, id: 555, name: "other" };
    const head = commit({ "a.md": "a" });
    new GitHubFake().token().repository().config(null).head("master", head.sha).tarball(head);
    new GitHubFake(other).repository().config(null).head("master", head.sha).tarball(head);
    await harness.receive("installation", installationPayload("created", [REPO, other]));
    expect((await harness.store.listRepos()).map((repo) => repo.id)).toEqual([555, REPO.id]);

    // GitHub's deletion payload may list only some repositories: the installation id finds the rest.
    await harness.receive("installation", installationPayload("deleted", [REPO]));

    expectExactlyTheFakedCalls();
    expect(await harness.store.listRepos()).toEqual([]);
  });

  it("re-installing a repository mirrored with the same settings only checks its head", async () => {
    const head = commit({ "a.md": "a" });
    new GitHubFake().token().repository().config(null).head("master", head.sha).tarball(head);
    await harness.receive("installation", installationPayload("created"));

    new GitHubFake().repository().config(null).head("master", head.sha);
    await harness.receive("installation", installationPayload("created"));

    expectExactlyTheFakedCalls();
    expect(await harness.store.getRepo(REPO.id)).toMatchObject({ sha: head.sha, files: 1 });
  });

  it("clears the mirror and reports it when the tracked branch does not exist", async () => {
    new GitHubFake().token().repository().config("branch: missing\n").head("missing", null);

    await harness.receive("installation", installationPayload("created"));

    expectExactlyTheFakedCalls();
    expect(await harness.store.getRepo(REPO.id)).toMatchObject({
      branch: "missing",
      sha: null,
      files: 0,
      lastError: 'branch "missing" does not exist on GitHub',
    });
  });
});
