import { pushPayload, type PushCommitLists } from "../../fixtures/events/github-examples.js";
import { GitHubFake, REPO, change, commit, expectExactlyTheFakedCalls, expectedFiles, type Commit } from "../../helpers/nock-github.js";
import { mirroredFiles, startSyncHarness, type SyncHarness } from "../../helpers/test-probot.js";
import { mirrorAt } from "./mirror-at.js";

const CONFIG = ".github/gitdisk.yml";

describe("push changing .github/gitdisk.yml", () => {
  let harness: SyncHarness;
  let gh: GitHubFake;
  let c0: Commit;

  beforeEach(async () => {
    harness = await startSyncHarness();
    gh = new GitHubFake();
    c0 = commit({ "docs/a.md": "a", "src/b.ts": "b", "notes.tmp": "tmp" });
    await mirrorAt(harness, gh, c0);
  });
  afterEach(async () => {
    await harness.close();
  });

  const push = (from: Commit, to: Commit, commits: PushCommitLists[] = [{ added: [CONFIG] }]) =>
    harness.receive("push", pushPayload({ before: from.sha, after: to.sha, commits }));
  const repo = async () => (await harness.store.getRepo(REPO.id))!;

  it("re-reads it with the loader and re-mirrors in full when include/exclude change", async () => {
    const yaml = 'mirror:\n  include: ["docs/**", ".github/**"]\n';
    const c1 = change(c0, { [CONFIG]: yaml });
    gh.compare(c0.sha, c1, { from: c0 }).graphql().config(yaml).head("master", c1.sha).tarball(c1);

    await push(c0, c1);

    expectExactlyTheFakedCalls();
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual({ "docs/a.md": "a", [CONFIG]: yaml });
    expect(await repo()).toMatchObject({ sha: c1.sha, configError: null, config: { mirror: { include: ["docs/**", ".github/**"] } } });
  });

  it("keeps the mirror when the new config changes nothing that is mirrored", async () => {
    const yaml = "api:\n  public: ['docs/**']\n";
    const c1 = change(c0, { [CONFIG]: yaml });
    gh.compare(c0.sha, c1, { from: c0 }).graphql().config(yaml);

    await push(c0, c1);

    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ sha: c1.sha, config: { api: { public: ["docs/**"] } } });
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual(expectedFiles(c1));
  });

  it("records an invalid config in configError and keeps the previous valid one", async () => {
    const valid = "mirror:\n  exclude: ['**/*.tmp']\n";
    const c1 = change(c0, { [CONFIG]: valid });
    gh.compare(c0.sha, c1, { from: c0 }).graphql().config(valid).head("master", c1.sha).tarball(c1);
    await push(c0, c1);
    expect(await mirroredFiles(harness.store, REPO.id)).not.toHaveProperty("notes.tmp");

    const invalid = "mirror:\n  maxFileBytes: -5\n  surprise: true\n";
    const c2 = change(c1, { [CONFIG]: invalid, "docs/a.md": "a2" });
    gh.compare(c1.sha, c2, { from: c1 }).graphql().config(invalid);
    await push(c1, c2, [{ modified: [CONFIG, "docs/a.md"] }]);

    expectExactlyTheFakedCalls();
    const state = await repo();
    expect(state.configError).toMatch(/\/mirror must NOT have additional properties; \/mirror\/maxFileBytes must be >= 1/);
    expect(state.config.mirror.exclude).toEqual(["**/*.tmp"]);
    expect(state).toMatchObject({ sha: c2.sha, lastError: null });
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual(expectedFiles(c2, (path) => path !== "notes.tmp"));

    // A YAML syntax error is reported the same way.
    const c3 = change(c2, { [CONFIG]: "mirror: [unclosed\n" });
    gh.compare(c2.sha, c3, { from: c2 }).graphql().config("mirror: [unclosed\n");
    await push(c2, c3, [{ modified: [CONFIG] }]);
    expectExactlyTheFakedCalls();
    expect((await repo()).configError).toMatch(/^Configuration could not be parsed from \.github\/gitdisk\.yml \(invalid YAML\): .* at line \d+, column \d+$/);
    expect((await repo()).config.mirror.exclude).toEqual(["**/*.tmp"]);
  });

  it("notices a config change the mirror cannot see: listed by the comparison, or by the push's commits", async () => {
    const narrow = "mirror:\n  include: ['docs/**']\n";
    const c1 = change(c0, { [CONFIG]: narrow });
    gh.compare(c0.sha, c1, { from: c0 }).graphql().config(narrow).head("master", c1.sha).tarball(c1);
    await push(c0, c1);
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual({ "docs/a.md": "a" });

    const wide = "mirror:\n  include: ['docs/**', 'src/**']\n";
    const c2 = change(c1, { [CONFIG]: wide });
    // The comparison lists the config file even though it is not mirrored.
    gh.compare(c1.sha, c2, { from: c1 }).config(wide).head("master", c2.sha).tarball(c2);
    await push(c1, c2, [{ modified: [CONFIG] }]);

    expectExactlyTheFakedCalls();
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual({ "docs/a.md": "a", "src/b.ts": "b" });

    // A force push is diffed by tree, which cannot see an unmirrored file: the push's commits tell.
    const back = "mirror:\n  include: ['docs/**']\n";
    const c3 = change(c2, { [CONFIG]: back });
    gh.tree(c3).head("master", c3.sha).config(back).head("master", c3.sha).tarball(c3);
    await harness.receive("push", pushPayload({ before: c2.sha, after: c3.sha, forced: true, commits: [{ modified: [CONFIG] }] }));

    expectExactlyTheFakedCalls();
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual({ "docs/a.md": "a" });
  });

  it("follows a config on the default branch that switches the tracked branch", async () => {
    const yaml = "branch: gh-pages\n";
    const c1 = change(c0, { [CONFIG]: yaml });
    const pages = commit({ "index.html": "<p>pages" });
    gh.compare(c0.sha, c1, { from: c0 }).graphql().config(yaml).head("gh-pages", pages.sha).tarball(pages);

    await push(c0, c1);

    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ branch: "gh-pages", sha: pages.sha });
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual({ "index.html": "<p>pages" });

    // Now a push to master (the default branch, no longer tracked) changing the config is still read.
    const c2 = change(c1, { [CONFIG]: "branch: gh-pages\napi:\n  public: ['**']\n" });
    gh.config("branch: gh-pages\napi:\n  public: ['**']\n");
    await push(c1, c2, [{ modified: [CONFIG] }]);
    // …and one that does not touch it costs nothing.
    await push(c2, change(c2, { "docs/a.md": "x" }), [{ modified: ["docs/a.md"] }]);

    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ branch: "gh-pages", sha: pages.sha, config: { api: { public: ["**"] } } });
  });
});
