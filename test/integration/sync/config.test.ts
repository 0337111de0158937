import nock from "nock";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { createRecordReads } from "../../../src/record-reads/record-reads.js";
import { installationPayload, type PushCommitLists, pushPayload } from "../../fixtures/events/github-examples.js";
import { type InProcessApi, inProcessApi } from "../../helpers/in-process-api.js";
import {
  API,
  type Commit,
  change,
  commit,
  expectExactlyTheFakedCalls,
  expectedFiles,
  GitHubFake,
  REPO,
} from "../../helpers/nock-github.js";
import { testConfig } from "../../helpers/test-config.js";
import { mirroredFiles, type SyncHarness, startSyncHarness } from "../../helpers/test-probot.js";
import { mirrorAt } from "./mirror-at.js";

const CONFIG = ".github/gitdisk.yml";
/** A JSON Schema of 2000 bytes (JSON allows the trailing spaces). */
const POST_SCHEMA = '{ "type": "object", "required": ["title"] }'.padEnd(2000);

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
    expect(state.configError).toBe(".github/gitdisk.yml is invalid: mirror.surprise: unknown key; mirror.maxFileBytes: must be >= 1");
    expect(state.config.mirror.exclude).toEqual(["**/*.tmp"]);
    expect(state).toMatchObject({ sha: c2.sha, lastError: null });
    expect(await mirroredFiles(harness.store, REPO.id)).toEqual(expectedFiles(c2, (path) => path !== "notes.tmp"));

    // A YAML syntax error is reported the same way.
    const c3 = change(c2, { [CONFIG]: "mirror: [unclosed\n" });
    gh.compare(c2.sha, c3, { from: c2 }).graphql().config("mirror: [unclosed\n");
    await push(c2, c3, [{ modified: [CONFIG] }]);
    expectExactlyTheFakedCalls();
    // It names the line and column, and not the API URL the loader read: that goes to the log.
    const { configError } = await repo();
    expect(configError).toBe(
      ".github/gitdisk.yml line 2, column 1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
    );
    expect(JSON.stringify(harness.logs.find((line) => line.configError === configError)?.err)).toContain("api.github.com");
    expect((await repo()).config.mirror.exclude).toEqual(["**/*.tmp"]);
  });

  it("refuses _extends of another repository's file, naming it and none of its keys", async () => {
    // The other repository may be private: its keys would show in this repository's configError, which /status serves.
    const yaml = "_extends: private-stuff:config/secrets.yml\n";
    const c1 = change(c0, { [CONFIG]: yaml });
    gh.compare(c0.sha, c1, { from: c0 }).graphql().config(yaml);
    nock(API)
      .get(`/repos/${REPO.owner}/private-stuff/contents/config%2Fsecrets.yml`)
      .reply(200, "db_password_hunter2: 1\n", { "content-type": "text/plain; charset=utf-8" });

    await push(c0, c1);

    expectExactlyTheFakedCalls();
    const { configError } = await repo();
    expect(configError).toBe(
      `.github/gitdisk.yml: _extends may name only ${REPO.owner}/.github's .github/gitdisk.yml, not ${REPO.owner}/private-stuff:config/secrets.yml`,
    );
    expect(JSON.stringify(await repo())).not.toContain("hunter2");
  });

  it("refuses a collection whose records the mirror leaves out, keeping the previous config", async () => {
    const yaml = "mirror:\n  exclude: ['data/**']\ncollections:\n  posts: { path: data/posts, id: '{ulid}', write: user }\n";
    const c1 = change(c0, { [CONFIG]: yaml });
    gh.compare(c0.sha, c1, { from: c0 }).graphql().config(yaml);

    await push(c0, c1);

    expectExactlyTheFakedCalls();
    const state = await repo();
    expect(state.configError).toBe(
      '.github/gitdisk.yml is invalid: collections.posts: its records in data/posts/ are left out of the mirror by mirror.exclude "data/**", so writes would never show in reads',
    );
    expect(state.config).toEqual(DEFAULT_REPO_CONFIG);
  });

  it("refuses a schema the mirror would not hold: absent from the branch, or over maxFileBytes", async () => {
    const withSchema = (maxFileBytes: number) =>
      `mirror:\n  maxFileBytes: ${maxFileBytes}\ncollections:\n  posts: { path: content/posts, id: '{ulid}', write: user, schema: schemas/post.json }\n`;
    const c1 = change(c0, { [CONFIG]: withSchema(1000) });
    gh.compare(c0.sha, c1, { from: c0 }).graphql().config(withSchema(1000)).fileInfo("schemas/post.json", "master", c1);
    await push(c0, c1);
    expectExactlyTheFakedCalls();
    expect((await repo()).configError).toBe(
      ".github/gitdisk.yml is invalid: collections.posts.schema: schemas/post.json is not a file on branch master",
    );

    const c2 = change(c1, { "schemas/post.json": POST_SCHEMA });
    gh.compare(c1.sha, c2, { from: c1 }).graphql().config(withSchema(1000)).fileInfo("schemas/post.json", "master", c2);
    await push(c1, c2, [{ modified: [CONFIG] }]);
    expectExactlyTheFakedCalls();
    expect((await repo()).configError).toBe(
      ".github/gitdisk.yml is invalid: collections.posts.schema: schemas/post.json is 2000 bytes, over mirror.maxFileBytes (1000), so the mirror would not hold it",
    );
    expect((await repo()).config).toEqual(DEFAULT_REPO_CONFIG);

    const c3 = change(c2, { [CONFIG]: withSchema(4000) });
    gh.compare(c2.sha, c3, { from: c2 })
      .graphql()
      .config(withSchema(4000))
      .fileInfo("schemas/post.json", "master", c3)
      .head("master", c3.sha)
      .tarball(c3);
    await push(c2, c3, [{ modified: [CONFIG] }]);
    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ configError: null, config: { collections: { posts: { schema: "schemas/post.json" } } } });
    expect(await mirroredFiles(harness.store, REPO.id)).toHaveProperty(["schemas/post.json"]);

    // A push that removes the schema, not touching the config, is checked too.
    const c4 = change(c3, { "schemas/post.json": null });
    gh.compare(c3.sha, c4, { from: c3 }).config(withSchema(4000)).fileInfo("schemas/post.json", "master", c4);
    await push(c3, c4, [{ removed: ["schemas/post.json"] }]);
    expectExactlyTheFakedCalls();
    expect((await repo()).configError).toBe(
      ".github/gitdisk.yml is invalid: collections.posts.schema: schemas/post.json is not a file on branch master",
    );
  });

  it("refuses a schema file no record could be checked against: not JSON, or not a JSON Schema that compiles", async () => {
    const yaml = "collections:\n  posts: { path: content/posts, id: '{ulid}', write: user, schema: schemas/post.json }\n";
    const c1 = change(c0, { [CONFIG]: yaml, "schemas/post.json": "{ not json" });
    gh.compare(c0.sha, c1, { from: c0 }).graphql().config(yaml).fileInfo("schemas/post.json", "master", c1);
    await push(c0, c1, [{ added: [CONFIG, "schemas/post.json"] }]);
    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ sha: c1.sha, config: DEFAULT_REPO_CONFIG });
    expect((await repo()).configError).toMatch(
      /^\.github\/gitdisk\.yml is invalid: collections\.posts\.schema: the schema schemas\/post\.json is not valid JSON: /,
    );

    // A fix of the schema alone (the config is in error, so any change may fix it) is read too.
    const c2 = change(c1, { "schemas/post.json": '{ "type": 12 }' });
    gh.compare(c1.sha, c2, { from: c1 }).graphql().config(yaml).fileInfo("schemas/post.json", "master", c2);
    await push(c1, c2, [{ modified: ["schemas/post.json"] }]);
    expectExactlyTheFakedCalls();
    expect((await repo()).configError).toMatch(
      /^\.github\/gitdisk\.yml is invalid: collections\.posts\.schema: the schema schemas\/post\.json does not compile: /,
    );
    expect((await repo()).config).toEqual(DEFAULT_REPO_CONFIG);

    const c3 = change(c2, { "schemas/post.json": POST_SCHEMA });
    gh.compare(c2.sha, c3, { from: c2 }).graphql().config(yaml).fileInfo("schemas/post.json", "master", c3);
    await push(c2, c3, [{ modified: ["schemas/post.json"] }]);
    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({ configError: null, config: { collections: { posts: { schema: "schemas/post.json" } } } });
  });

  it("refuses an id template that could never give an id back, keeping the previous config", async () => {
    const yaml = "collections:\n  likes: { path: data/likes, id: '{doc}{user}', write: user }\n";
    const c1 = change(c0, { [CONFIG]: yaml });
    gh.compare(c0.sha, c1, { from: c0 }).graphql().config(yaml);

    await push(c0, c1);

    expectExactlyTheFakedCalls();
    expect(await repo()).toMatchObject({
      configError:
        ".github/gitdisk.yml is invalid: collections.likes.id: id template {doc}{user}: {doc} and {user} need text between them, or an id could be split between them in several ways",
      config: DEFAULT_REPO_CONFIG,
    });
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

describe("an invalid .github/gitdisk.yml on the first install", () => {
  const KEY = "site-key-0123456789abcdef";
  const site = { ...REPO, private: true };
  let harness: SyncHarness;
  let router: InProcessApi;

  beforeEach(async () => {
    harness = await startSyncHarness();
    const config = testConfig({ apiKey: KEY });
    router = inProcessApi({ store: harness.store, config, log: harness.probot.log, records: createRecordReads({ store: harness.store }) });
  });
  afterEach(async () => {
    await harness.close();
  });

  const get = (path: string, key: boolean, method = "GET") =>
    router.route({
      method,
      path: `/v1/repos/${site.owner}/${site.name}${path}`,
      query: "",
      headers: key ? { authorization: `Bearer ${KEY}` } : {},
    });

  it("withholds the repository, mirroring nothing, until a valid config is pushed", async () => {
    const gh = new GitHubFake(site);
    const broken = "mirror:\n  exclude: ['drafts/**']\n  surprise: 1\n";
    const c0 = commit({ [CONFIG]: broken, "drafts/secret.md": "secret", "a.md": "a" });
    gh.token().repository().config(broken).head("master", c0.sha); // no tarball: nothing is mirrored

    await harness.receive("installation", installationPayload("created", [site]));

    expectExactlyTheFakedCalls();
    const reason = ".github/gitdisk.yml is invalid: mirror.surprise: unknown key";
    expect(await harness.store.getRepo(site.id)).toMatchObject({ configError: reason, config: { withheld: true }, sha: c0.sha, files: 0 });
    for (const path of ["/files/a.md", "/tree", "/collections/likes"]) {
      const keyed = await get(path, true);
      expect(keyed.status).toBe(503);
      expect(keyed.body).toEqual({
        error: {
          code: "config_invalid",
          message: `${site.owner}/${site.name} is not served until its .github/gitdisk.yml is valid: ${reason}`,
        },
      });
      // A private repository tells nothing without the key.
      expect((await get(path, false)).status).toBe(404);
    }
    expect((await get("/status", true)).body).toMatchObject({ configError: reason });

    const fixed = "mirror:\n  exclude: ['drafts/**']\n";
    const c1 = change(c0, { [CONFIG]: fixed });
    gh.compare(c0.sha, c1, { from: c0 }).config(fixed).head("master", c1.sha).tarball(c1);
    await harness.receive("push", pushPayload({ repo: site, before: c0.sha, after: c1.sha, commits: [{ modified: [CONFIG] }] }));

    expectExactlyTheFakedCalls();
    expect(await harness.store.getRepo(site.id)).toMatchObject({
      configError: null,
      sha: c1.sha,
      config: { mirror: { exclude: ["drafts/**"] } },
    });
    expect(await mirroredFiles(harness.store, site.id)).toEqual({ [CONFIG]: fixed, "a.md": "a" });
    expect((await get("/files/a.md", true)).status).toBe(200);
  });
});
